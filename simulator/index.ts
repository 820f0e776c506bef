/**
 * cosigner-sim: a simulated Fireblocks API Co-signer for testing Callback Handlers.
 *
 * The root entry is the light one: the client, the checks, the wire types, key material and the
 * errors. It loads no server, no scenario parser and no schema validator, and undici and
 * selfsigned only on first use (test/light-root.test.ts holds this). The rest lives on subpaths:
 * `cosigner-sim/targets` (startTarget), `cosigner-sim/reference`, `cosigner-sim/suite`
 * (loadScenarios, runScenarios), `cosigner-sim/conformance`, `cosigner-sim/selftest`,
 * `cosigner-sim/matchers` and `cosigner-sim/vitest`.
 *
 * @example
 * import { createCosigner, generateKit } from 'cosigner-sim';
 * import { startReferenceHandler } from 'cosigner-sim/reference';
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
  type ClientOptions,
  type Cosigner,
  type CosignerOptions,
  type CosignerTarget,
  type RequestContentType,
  type SendConfigChangeOptions,
  type SendOverrides,
  type SendRawOptions,
  type SendTxOptions,
} from './client/cosigner.js';
export { resolveMaterial, type MaterialInput, type ResolvedMaterial } from './client/material.js';
export { CHECKS, failedChecks, judgeExchange } from './checks/index.js';
export { signCompactJws } from './codec/jws.js';
export {
  COSIGNER_JWT_HEADER,
  createRequestFactory,
  serializePayload,
  buildEndpointUrl,
  validateBaseUrl,
  DEFAULT_DEST_ADDRESS,
  type BuildOptions,
  type BuiltRequest,
  type RequestFactory,
  type TxBuildInput,
  type ConfigBuildInput,
  type WireMode,
} from './protocol/index.js';
export { cachedKit, generateKit, generateRsaKeyPair, generateTestCertificate } from './keys/generate.js';
export { readKit, writeKit } from './keys/kit.js';
export { assertRsa2048, parseCertificate, parsePrivateKey, parsePublicKey } from './keys/parse.js';
export { KIT_FILES, cosignerKitFiles, kitCosigners, type CertMaterial, type Kit, type KeyPairMaterial } from './keys/types.js';
export {
  SECURITY_OPTIONS,
  SECURITY_OPTION_NUMBERS,
  parseSecurityOption,
  type MessageLayer,
  type SecurityOptionNumber,
  type SecurityOption,
  type TlsMode,
} from './protocol/options.js';
export { resolveProfile, listProfiles, type Profile, type Platform } from './protocol/profiles.js';
export {
  ACTIONS,
  CHECK_IDS,
  SCENARIO_CHECK_IDS,
  CONFIG_CHANGE_TYPES,
  TX_OPERATIONS,
  type Action,
  type CallbackResult,
  type CheckId,
  type CheckOutcome,
  type CheckStatus,
  type ConfigChangeSignRequestPayload,
  type ConfigChangeType,
  type ConnectionInfo,
  type Decision,
  type DecodedJwt,
  type Endpoint,
  type JsonObject,
  type JsonValue,
  type PeerCertificateInfo,
  type ReceivedResponse,
  type SentRequest,
  type Stage,
  type Timings,
  type TransportFailure,
  type TxDestination,
  type TxOperation,
  type TxSignRequestPayload,
  type Warning,
} from './protocol/types.js';
export {
  ERROR_CODES,
  CsimError,
  InvalidOptionError,
  InvalidUrlError,
  KeyFormatError,
  KeyUnsupportedError,
  CertFormatError,
  FileNotFoundError,
  MissingMaterialError,
  InvalidArgumentError,
  OverridePathError,
  ScenarioInvalidError,
  NoScenariosError,
  ConfigInvalidError,
  UsageError,
  MatcherBadReceivedError,
  MatcherSetupError,
  MissingDependencyError,
  TargetStartError,
  UnknownProfileError,
  OptionUnavailableError,
  InternalError,
  isCsimError,
  type AnyCsimError,
  type CsimErrorCode,
  type CsimErrorOptions,
} from './errors.js';
export { parseDuration } from './lib/duration.js';
