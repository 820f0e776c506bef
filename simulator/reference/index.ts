/**
 * The reference Callback Handler: a correct handler for one security option. `answer` is its
 * pipeline without a socket (authenticate, parse, decide, encode, with hooks); the listener and
 * startReferenceHandler put it on a server. To start one for a run, prefer startTarget
 * (`cosigner-sim/targets`), which also resolves the Co-signer side's key material.
 */
export {
  answer,
  createReferenceListener,
  startReferenceHandler,
  HandlerHttpError,
  MAX_REQUEST_BYTES,
  type AnswerOptions,
  type DecisionOverride,
  type HandlerAnswer,
  type HandlerHooks,
  type HookContext,
  type ReferenceHandlerOptions,
  type ReferenceListenerOptions,
  type SetupContext,
  type StartedReferenceHandler,
} from './handler.js';
export { DEFAULT_POLICY, RETRY_MARKER, createPolicyState, decide, inferStage, type PolicyConfig, type PolicyDecision, type PolicyState } from './policy.js';
