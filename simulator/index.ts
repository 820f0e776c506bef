/**
 * cosigner-sim: a simulated Fireblocks API Co-signer for testing Callback Handlers.
 *
 * @example
 * import { createCosigner, generateKit, startReferenceHandler } from 'cosigner-sim';
 * const kit = await generateKit();
 * const handler = await startReferenceHandler({ option: 4, kit });
 * const cosigner = createCosigner({ url: handler.url, option: 4, kit });
 * const res = await cosigner.sendTx({ payload: { amountStr: '250000' } });
 * res.decision.action; // 'REJECT'
 * await handler.close();
 *
 * @packageDocumentation
 */
export {
  createCosigner,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TIMEOUT_MS,
  REQUEST_CONTENT_TYPES,
  type Cosigner,
  type CosignerOptions,
  type RequestContentType,
  type SendConfigChangeOptions,
  type SendOverrides,
  type SendRawOptions,
  type SendTxOptions,
} from './client/cosigner.js';
export type { MaterialInput } from './client/material.js';
export { CHECKS, failedChecks, judgeExchange } from './checks/index.js';
export { signCompactJws } from './codec/jws.js';
export { COSIGNER_JWT_HEADER, createRequestFactory, serializePayload, buildEndpointUrl, validateBaseUrl, DEFAULT_DEST_ADDRESS, type BuildOptions, type BuiltRequest, type RequestFactory, type TxBuildInput, type ConfigBuildInput, type WireMode } from './protocol/index.js';
export { cachedKit, generateKit, generateRsaKeyPair, generateTestCertificate } from './keys/generate.js';
export { readKit, writeKit } from './keys/kit.js';
export { assertRsa2048, parseCertificate, parsePrivateKey, parsePublicKey } from './keys/load.js';
export { KIT_FILES, type CertMaterial, type Kit, type KeyPairMaterial } from './keys/types.js';
export { SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS, parseSecurityOption, type MessageLayer, type SecurityOptionNumber, type SecurityOption, type TlsMode } from './protocol/options.js';
export * from './protocol/types.js';
export {
  startReferenceHandler,
  HandlerHttpError,
  type HandlerHooks,
  type HookContext,
  type ReferenceHandlerOptions,
  type StartedReferenceHandler,
} from './reference/handler.js';
export { DEFAULT_POLICY, decide, RETRY_MARKER, type PolicyConfig, type PolicyDecision } from './reference/policy.js';
export * from './errors.js';
export { PROBES, PROBE_IDS, PROBE_GROUPS, runConformance, type ConformanceOptions, type ConformanceOutcome, type ProbeInfo } from './conformance/index.js';
export { createZoo, type ZooEntry } from './selftest/zoo.js';
export { formatSelftestTable, runSelftest } from './selftest/run.js';
export { filterScenarios, runScenarios } from './runner/index.js';
export { loadScenarios } from './suite/index.js';
export { parseDuration } from './lib/duration.js';
export type { Scenario, ScenarioResult, RunSummary, ScenarioCheckOutcome } from './runner/types.js';
