/**
 * One module that explains and redacts an exchange, for every surface: the matchers, the pretty,
 * JUnit, GitHub and JSON reporters, and `decode`. It imports checks, codec and protocol only, so
 * the matchers that use it stay transport-free.
 */
export {
  CHECK_SYMBOLS,
  MAX_JSON_CHARS,
  PLAIN_STYLE,
  RAW_BODY_PREVIEW_BYTES,
  consequenceContext,
  explainCheck,
  explainExchange,
  explainPayload,
  explainToken,
  oneLineJson,
  optionText,
  renderChecksRow,
  renderExchange,
  renderFailedCheckLines,
  renderPayloadLines,
  renderRequestLines,
  renderResponseLines,
  renderTokenLines,
} from './explain.js';
export type {
  BodyStory,
  CheckMark,
  ExchangeStory,
  ExplainableCheck,
  ExplainOptions,
  FailedCheckLineOptions,
  FailedCheckStory,
  PayloadStory,
  RedactOptions,
  RenderOptions,
  ReportStyle,
  RequestLineOptions,
  RequestStory,
  ResponseStory,
  SignatureStory,
  TokenStory,
  TransportStory,
} from './explain.js';
export { CONSEQUENCE_STAGES, consequenceMark, consequenceOf, consequenceStage, consequenceTable } from './consequences.js';
export type { Consequence, ConsequenceContext, ConsequenceRow, ConsequenceStage } from './consequences.js';
export { REDACTED, createRedactor, isSecretKey, looksLikePrivateKeyDer, redactText, redactValue } from './redact.js';
export type { Redactor } from './redact.js';
