import type { KeyObject } from 'node:crypto';
import { parseResponseBody, type ParsedBody } from '../codec/response.js';
import { SECURITY_OPTIONS } from '../protocol/options.js';
import type { Profile } from '../protocol/profiles.js';
import type { CallbackResult, CheckId, CheckOutcome, Decision, Warning } from '../protocol/types.js';
import { bodyFormatCheck, jwtAlgCheck, jwtSignatureCheck } from './body.js';
import type { Check, CheckInput } from './context.js';
import { actionCheck, rejectionReasonCheck, requestIdCheck, responseShapeCheck } from './decision.js';
import { httpStatusCheck } from './http-status.js';
import { connectCheck, deadlineCheck, tlsCheck } from './transport.js';
import { collectWarnings } from './warnings.js';

export type { Check, CheckInput } from './context.js';

/** Every check, in the order they run (a later check may be blocked by an earlier one). */
export const CHECKS: readonly Check[] = [
  connectCheck,
  tlsCheck,
  deadlineCheck,
  httpStatusCheck,
  bodyFormatCheck,
  jwtAlgCheck,
  jwtSignatureCheck,
  responseShapeCheck,
  requestIdCheck,
  actionCheck,
  rejectionReasonCheck,
];

export interface JudgeSettings {
  handlerPublicKey?: KeyObject;
  timeoutMs: number;
  /** The Co-signer's own limit (default 30 000 ms [protocol.md §0.5.1]); tests lower it. */
  cosignerLimitMs?: number;
  /** Warnings the caller already knows about (plain http, ...). */
  warnings?: Warning[];
  /** The Co-signer version the answer is judged for (which actions it honours); default `latest`. */
  profile?: Profile;
}

/** Read the decision fields exactly as the handler sent them. */
export function readDecision(claims: Record<string, unknown> | undefined): Decision {
  if (!claims) return { hasRejectionReason: false };
  const has = Object.prototype.hasOwnProperty.call(claims, 'rejectionReason');
  return {
    action: claims.action,
    requestId: claims.requestId,
    ...(has ? { rejectionReason: claims.rejectionReason } : {}),
    hasRejectionReason: has,
  };
}

/**
 * Judge one recorded exchange: run every check in order and collect warnings. Pure: the same
 * exchange and settings give the same verdict, so it is safe to call again (the matchers do).
 *
 * @example
 * const judged = judgeExchange(recorded, { handlerPublicKey: kit.handler.publicKey, timeoutMs: 30_000 });
 * judged.checks.find((c) => c.id === 'request-id')?.status; // 'pass'
 */
export function judgeExchange(
  recorded: Omit<CallbackResult, 'checks' | 'ok' | 'warnings' | 'decision'>,
  settings: JudgeSettings,
): CallbackResult {
  // A copy: judging stays pure, and the decoded parts are added to the copy.
  const response = recorded.response ? { ...recorded.response } : undefined;
  const layer = SECURITY_OPTIONS[recorded.request.option].messageLayer;
  const parsed: ParsedBody | undefined = response && response.complete && !recorded.transportFailure ? parseResponseBody(layer, response.body) : undefined;
  const claims = parsed?.format === 'jws' ? parsed.payload : parsed?.format === 'json' ? parsed.value : undefined;
  // The decoded parts go on the response for reporters and matchers, even when a check fails.
  if (response && parsed) {
    if (parsed.format === 'jws') response.jwt = { header: parsed.header, payload: parsed.payload };
    else if (parsed.format === 'json') response.json = parsed.value;
    else if (parsed.header || parsed.payload) response.jwt = { ...(parsed.header ? { header: parsed.header } : {}), ...(parsed.payload ? { payload: parsed.payload } : {}) };
  }
  const decision = readDecision(claims);
  const input: CheckInput = {
    result: { ...recorded, decision },
    timeoutMs: settings.timeoutMs,
    ...(settings.cosignerLimitMs !== undefined ? { cosignerLimitMs: settings.cosignerLimitMs } : {}),
    ...(settings.handlerPublicKey ? { handlerPublicKey: settings.handlerPublicKey } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(parsed ? { parsed } : {}),
    ...(claims ? { claims } : {}),
  };
  const prior = new Map<CheckId, CheckOutcome>();
  for (const check of CHECKS) prior.set(check.id, check.run(input, prior));
  const checks = [...prior.values()];
  const warnings = [...(settings.warnings ?? []), ...collectWarnings(input)];
  return {
    ...recorded,
    ...(response ? { response } : {}),
    decision,
    checks,
    warnings,
    ok: checks.every((c) => c.status !== 'fail'),
  };
}

/** The failed checks of a result, in order. */
export function failedChecks(result: Pick<CallbackResult, 'checks'>): CheckOutcome[] {
  return result.checks.filter((c) => c.status === 'fail');
}
