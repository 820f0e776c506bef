/**
 * `decode` as a library: take apart what was pasted from a log (a Co-signer request or a handler
 * response, JWT or JSON), say what it is and which checks apply, verify it and judge it. The CLI's
 * `cosigner-sim decode` is a thin shell around {@link decodeMessage}.
 */
export { classifyPayload, decodeMessage, hasErrors } from './decode.js';
export type { Classification, DecodedKind, DecodeFinding, DecodeOptions, DecodeReport, FindingSeverity } from './decode.js';
export { parsePasted } from './paste.js';
export type { PastedMessage } from './paste.js';
