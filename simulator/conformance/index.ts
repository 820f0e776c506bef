/**
 * The conformance battery (`cosigner-sim conformance`): probes, independent of the user's
 * policy, that say whether a Callback Handler is safe and robust to put in front of a Co-signer.
 */
export { PROBES, PROBE_IDS, PROBE_GROUPS, type ProbeGroup, type ProbeInfo } from './table.js';
export { runConformance, type ConformanceOptions, type ConformanceOutcome } from './run.js';
export { certificateSignatureOid } from './tls.js';
