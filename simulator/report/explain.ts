/**
 * The failure story of one exchange, told once: the request line, the payload (the fields a
 * policy decides on first), what came back (status,
 * Content-Type, size, time), the decoded JWT header, payload and signature (or the JSON body, or
 * the first 300 raw bytes), each failed check with its hint and its consequence (what the real
 * Co-signer would do with that answer, marked as docs/protocol.md marks it), and the ✓/✗/– row of every check.
 * {@link explainExchange} builds the structured story, already redacted; the render functions
 * turn it into plain lines, and a {@link ReportStyle} lets each surface colour them (the matcher
 * message, the pretty reporter). Surfaces that must escape (JUnit XML, GitHub workflow commands)
 * escape the plain lines. Pure: no I/O, no clock.
 */
import { failedChecks } from '../checks/index.js';
import { parseJwsBody } from '../codec/response.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import { resolveProfile, type Profile } from '../protocol/profiles.js';
import type { CallbackResult, CheckOutcome, CheckStatus, Endpoint, SentRequest, Stage } from '../protocol/types.js';
import { consequenceMark, consequenceOf, type Consequence, type ConsequenceContext } from './consequences.js';
import { createRedactor, type Redactor } from './redact.js';

/** How many bytes of a body that is neither a JWT nor JSON the story shows. */
export const RAW_BODY_PREVIEW_BYTES = 300;
/** Longest one-line JSON shown (header, payload, body, expected, received), in characters. */
export const MAX_JSON_CHARS = 600;

/** What every explain function accepts. */
export interface RedactOptions {
  /** Show signatures, keys and raw bodies as they are (`--show-secrets`). Default false. */
  showSecrets?: boolean;
}

/** A check as any surface holds it: a response check, or a scenario's `expectation`. */
export type ExplainableCheck = Omit<CheckOutcome, 'id'> & { id: string };

export interface ExplainOptions extends RedactOptions {
  /**
   * The failed checks to tell, in order. Default: the exchange's own failed checks. A scenario
   * reporter passes the scenario's (its `expectation`, and step-prefixed messages).
   */
  failed?: readonly ExplainableCheck[];
  /** The checks of the ✓/✗/– row. Default: the exchange's checks. */
  checks?: readonly Pick<ExplainableCheck, 'id' | 'status'>[];
  /** Show the rest of the payload whole, not cut at {@link MAX_JSON_CHARS} (`--verbose`). Default false. */
  full?: boolean;
  /**
   * The Co-signer version the consequence lines are told for (which answers it honours) when the
   * exchange names none of its own (`result.profile` wins: a scenario's own profile). Default `latest`.
   */
  profile?: Profile;
}

export interface RequestStory {
  method: 'POST';
  /** Redacted (a password in the URL). */
  url: string;
  endpoint: Endpoint;
  option: SecurityOptionNumber;
  /** `option 4 jwt+pinned` */
  optionText: string;
  stage: Stage;
  requestId: string;
  txId?: string;
  /** The optional fields the payload lacked (`destinations.0.dstAddress`), when any. */
  omittedFields?: string[];
  /** True when `--optional-fields random` chose them: a failure then names them first. */
  omittedAtRandom?: boolean;
  /** The request headers as sent, one-line JSON, redacted. */
  headers: string;
}

/**
 * The request payload, the fields a policy decides on first [protocol.md §4.1, §4.2, §6]: the
 * amount fields, each destination's type and address, the operation, the stage and the
 * externalTxId; then every other field. Payloads are not secrets (keys and signatures are), so
 * it is shown whenever the exchange is, redacted like everything else.
 */
export interface PayloadStory {
  /** `name value` pairs, the value as one-line JSON (the stage bare; destinations as `[{dstType, dstAddress}]`), in the order above. */
  first: { name: string; value: string }[];
  /** The payload without the fields in `first` (destinations keep their other fields), one-line JSON; absent when nothing is left. */
  rest?: string;
}

export interface ResponseStory {
  status: number;
  contentType?: string;
  bodyBytes: number;
  truncated: boolean;
}

/** The transport failure: no usable HTTP exchange, or one that broke off. */
export interface TransportStory {
  check: 'connect' | 'tls' | 'deadline';
  code?: string;
  message: string;
  /** Only when no failed check already carries the same hint. */
  hint?: string;
}

/** The third segment of a JWS. */
export type SignatureStory =
  | { kind: 'none' } // not three segments
  | { kind: 'empty' } // `alg: none` style: nothing after the second dot
  | { kind: 'redacted'; chars: number }
  | { kind: 'shown'; value: string };

/** A decoded JWT, unverified. `header`/`payload` are one-line JSON, or undefined when not a JSON object. */
export interface TokenStory {
  header?: string;
  payload?: string;
  signature: SignatureStory;
  /** Why the text is not one well-formed compact JWS, when it is not. */
  problem?: { message: string; hint: string };
}

export type BodyStory =
  | { kind: 'jwt'; token: TokenStory }
  | { kind: 'json'; text: string }
  | { kind: 'empty' }
  | { kind: 'raw'; preview: string; cut: boolean; redacted: boolean };

export interface FailedCheckStory {
  id: string;
  /** One line: what is wrong. */
  message: string;
  hint?: string;
  /** One-line JSON, each present only when the check recorded that value. */
  expected?: string;
  received?: string;
  /** What the real Co-signer would do with this answer; absent for a check it never sees (`upstream`). */
  consequence?: Consequence;
}

export interface CheckMark {
  id: string;
  status: CheckStatus;
}

/** Everything a surface prints about one exchange, redacted unless `showSecrets`. */
export interface ExchangeStory {
  request: RequestStory;
  payload: PayloadStory;
  response?: ResponseStory;
  totalMs: number;
  transport?: TransportStory;
  body?: BodyStory;
  failed: FailedCheckStory[];
  checks: CheckMark[];
  redacted: boolean;
}

/** `option 4 jwt+pinned` */
export function optionText(option: SecurityOptionNumber): string {
  return `option ${option} ${SECURITY_OPTIONS[option].label}`;
}

/**
 * A value on one line: JSON (strings quoted), redacted, cut at {@link MAX_JSON_CHARS}.
 *
 * @example
 * oneLineJson({ action: 'APPROVE' }); // '{"action":"APPROVE"}'
 */
export function oneLineJson(value: unknown, options: RedactOptions & { maxChars?: number } = {}): string {
  const r = createRedactor(options.showSecrets ?? false);
  const max = options.maxChars ?? MAX_JSON_CHARS;
  let text: string;
  try {
    text = JSON.stringify(r.value(value)) ?? String(value);
  } catch {
    text = String(value);
  }
  text = r.text(text);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function signatureOf(segment: string | undefined, r: Redactor): SignatureStory {
  if (segment === undefined) return { kind: 'none' };
  if (segment === '') return { kind: 'empty' };
  return r.enabled ? { kind: 'redacted', chars: segment.length } : { kind: 'shown', value: segment };
}

function thirdSegment(token: string): string | undefined {
  const segments = token.trim().split('.');
  return segments.length === 3 ? segments[2] : undefined;
}

/**
 * Decode a JWT without verifying it: header, payload (redacted) and the signature's length. For
 * the `decode` command and for any text a user pastes; a malformed token keeps what decodes and
 * says what is wrong.
 *
 * @example
 * explainToken('eyJhbGciOiJSUzI1NiJ9.eyJhY3Rpb24iOiJBUFBST1ZFIn0.c2ln').header; // '{"alg":"RS256"}'
 */
export function explainToken(token: string, options: RedactOptions = {}): TokenStory {
  const r = createRedactor(options.showSecrets ?? false);
  const parsed = parseJwsBody(token);
  const header = 'header' in parsed ? parsed.header : undefined;
  const payload = 'payload' in parsed ? parsed.payload : undefined;
  return {
    ...(header ? { header: oneLineJson(header, options) } : {}),
    ...(payload ? { payload: oneLineJson(payload, options) } : {}),
    signature: signatureOf(thirdSegment(token), r),
    ...(parsed.format === 'invalid' ? { problem: { message: r.text(parsed.problem), hint: parsed.hint } } : {}),
  };
}

function bodyStory(result: CallbackResult, r: Redactor, options: RedactOptions): BodyStory | undefined {
  const response = result.response;
  if (!response) return undefined;
  const { jwt } = response;
  if (jwt && (jwt.header || jwt.payload)) {
    // The parts the checks decoded, so the story shows what was judged.
    return {
      kind: 'jwt',
      token: {
        ...(jwt.header ? { header: oneLineJson(jwt.header, options) } : {}),
        ...(jwt.payload ? { payload: oneLineJson(jwt.payload, options) } : {}),
        signature: signatureOf(thirdSegment(response.body), r),
      },
    };
  }
  if (response.json !== undefined) return { kind: 'json', text: oneLineJson(response.json, options) };
  if (response.body === '') return { kind: 'empty' };
  // Redact the whole body first, so a key or signature cut off by the preview is still caught.
  const bytes = Buffer.from(r.text(response.body), 'utf8');
  return { kind: 'raw', preview: bytes.subarray(0, RAW_BODY_PREVIEW_BYTES).toString('utf8'), cut: bytes.length > RAW_BODY_PREVIEW_BYTES, redacted: r.enabled };
}

/** The amount fields of a tx payload (the asset with them: an amount means nothing without it), in wire order [protocol.md §4.1]. */
const AMOUNT_FIELDS = ['amount', 'amountStr', 'requestedAmount', 'requestedAmountStr', 'fee', 'asset'] as const;
/** What a destination is shown by, first [protocol.md §4.2]. */
const DESTINATION_FIELDS = ['dstType', 'dstAddress'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The payload of a request, the fields a policy decides on first, redacted.
 *
 * @example
 * explainPayload(res.request).first.map((f) => f.name); // ['amount', 'amountStr', …, 'destinations', 'operation', 'stage', 'externalTxId']
 */
export function explainPayload(request: Pick<SentRequest, 'payload' | 'stage' | 'endpoint'>, options: RedactOptions & { full?: boolean } = {}): PayloadStory {
  const json = (v: unknown, maxChars?: number) => oneLineJson(v, { ...options, ...(maxChars !== undefined ? { maxChars } : {}) });
  const payload: Record<string, unknown> = isObject(request.payload) ? request.payload : {};
  const first: PayloadStory['first'] = [];
  const shown = new Set<string>();
  const take = (name: string) => {
    if (!(name in payload)) return;
    first.push({ name, value: json(payload[name]) });
    shown.add(name);
  };
  if (request.endpoint === 'config_change_sign_request') take('type');
  for (const f of AMOUNT_FIELDS) take(f);
  let destinations: unknown = payload['destinations'];
  if (Array.isArray(destinations)) {
    const picked = destinations.map((d) => (isObject(d) ? Object.fromEntries(DESTINATION_FIELDS.filter((f) => f in d).map((f) => [f, d[f]])) : d));
    first.push({ name: 'destinations', value: json(picked) });
    // What is left of each destination goes with the rest, so nothing is shown twice.
    destinations = destinations.map((d) => (isObject(d) ? Object.fromEntries(Object.entries(d).filter(([k]) => !(DESTINATION_FIELDS as readonly string[]).includes(k))) : d));
  }
  take('operation');
  first.push({ name: 'stage', value: request.stage });
  take('externalTxId');
  const restObject = Object.fromEntries(
    Object.entries(payload)
      .filter(([k]) => !shown.has(k))
      .map(([k, v]) => [k, k === 'destinations' ? destinations : v]),
  );
  const rest = Object.keys(restObject).length > 0 ? json(restObject, options.full ? Number.MAX_SAFE_INTEGER : undefined) : undefined;
  return { first, ...(rest !== undefined ? { rest } : {}) };
}

/**
 * One failed check, redacted, with its expected and received values on one line each.
 *
 * @example
 * explainCheck({ id: 'request-id', status: 'fail', message: 'wrong', hint: 'copy it' }); // { id: 'request-id', message: 'wrong', hint: 'copy it' }
 */
export function explainCheck(c: ExplainableCheck, options: RedactOptions & { at?: ConsequenceContext } = {}): FailedCheckStory {
  const r = createRedactor(options.showSecrets ?? false);
  const consequence = options.at && c.status === 'fail' ? consequenceOf(c.id, options.at) : undefined;
  // Each value only when the check recorded it: a check that knows only what it received (a TLS
  // or connect failure's code) must not print `expected: undefined`.
  return {
    id: c.id,
    message: r.text(c.message ?? c.reason ?? 'failed'),
    ...(c.hint ? { hint: r.text(c.hint) } : {}),
    ...(c.expected !== undefined ? { expected: oneLineJson(c.expected, options) } : {}),
    ...(c.received !== undefined ? { received: oneLineJson(c.received, options) } : {}),
    ...(consequence ? { consequence } : {}),
  };
}

/**
 * The profile an exchange was judged under (its own `profile` id), else `fallback` (the run's).
 * An id that does not resolve (a hand-made result) falls back too: a report or a matcher message
 * must not throw over the line it adds.
 */
function judgedProfile(result: Pick<CallbackResult, 'profile'>, fallback: Profile | undefined): Profile | undefined {
  if (result.profile === undefined || result.profile === fallback?.id) return fallback;
  try {
    return resolveProfile(result.profile);
  } catch {
    return fallback;
  }
}

/**
 * What a consequence line reads about an exchange: where the request landed, what the handler
 * answered, and the profile: the one the exchange was judged under (`result.profile`, a
 * scenario's own or a library Co-signer's), else `profile` (the run's), else `latest`.
 *
 * @example
 * consequenceOf('deadline', consequenceContext(result)); // { text: 'the transaction fails at …', mark: 'documented', … }
 */
export function consequenceContext(result: Pick<CallbackResult, 'request' | 'decision' | 'profile'>, profile?: Profile): ConsequenceContext {
  const { request } = result;
  const judged = judgedProfile(result, profile);
  return {
    endpoint: request.endpoint,
    stage: request.stage,
    action: result.decision.action,
    ...(isObject(request.payload) && request.payload['sourceType'] !== undefined ? { sourceType: request.payload['sourceType'] } : {}),
    ...(judged ? { profile: judged } : {}),
  };
}

/**
 * Turn one recorded exchange into its story: the request, the response and its decoded body,
 * every failed check and the checks row, redacted unless `showSecrets`.
 *
 * @example
 * const story = explainExchange(await cosigner.sendTx());
 * renderRequestLines(story)[0]; // 'Request:  POST https://127.0.0.1:8443/v2/tx_sign_request  (option 4 jwt+pinned, signing stage)'
 */
export function explainExchange(result: CallbackResult, options: ExplainOptions = {}): ExchangeStory {
  const r = createRedactor(options.showSecrets ?? false);
  const { request, response, transportFailure: failure } = result;
  const at = consequenceContext(result, options.profile);
  const failed = (options.failed ?? failedChecks(result)).filter((c) => c.status === 'fail').map((c) => explainCheck(c, { ...options, at }));
  const hintTold = (hint: string) => failed.some((c) => c.hint === r.text(hint));
  return {
    request: {
      method: request.method,
      url: r.text(request.url),
      endpoint: request.endpoint,
      option: request.option,
      optionText: optionText(request.option),
      stage: request.stage,
      requestId: request.requestId,
      ...(request.txId !== undefined ? { txId: request.txId } : {}),
      ...(request.omittedFields?.length ? { omittedFields: [...request.omittedFields], ...(request.optionalFields === 'random' ? { omittedAtRandom: true } : {}) } : {}),
      headers: oneLineJson(request.headers, options),
    },
    payload: explainPayload(request, options),
    ...(response
      ? {
          response: {
            status: response.status,
            ...(response.headers['content-type'] !== undefined ? { contentType: response.headers['content-type'] } : {}),
            bodyBytes: response.bodyBytes,
            truncated: response.truncated,
          },
        }
      : {}),
    totalMs: result.timings.totalMs,
    ...(failure
      ? {
          transport: {
            check: failure.check,
            ...(failure.code ? { code: failure.code } : {}),
            message: r.text(failure.message),
            ...(failure.hint && !hintTold(failure.hint) ? { hint: r.text(failure.hint) } : {}),
          },
        }
      : {}),
    ...(response ? { body: bodyStory(result, r, options)! } : {}),
    failed,
    checks: (options.checks ?? result.checks).map(({ id, status }) => ({ id, status })),
    redacted: r.enabled,
  };
}

// ---- rendering -------------------------------------------------------------------------------

/**
 * How a surface colours the plain lines. Every function gets plain text and returns it wrapped;
 * stripping the colour must give back the plain text.
 */
export interface ReportStyle {
  /** `Request:`, `Response:`, `Checks:` */
  label(text: string): string;
  /** The id of a failed check in its headline. */
  id(text: string): string;
  /** `hint:` */
  hint(text: string): string;
  expected(text: string): string;
  received(text: string): string;
  /** One mark of the checks row, e.g. `✓ tls`. */
  mark(status: CheckStatus, text: string): string;
}

const same = (text: string) => text;

/** No colour: for files, JUnit, GitHub and tests. */
export const PLAIN_STYLE: ReportStyle = { label: same, id: same, hint: same, expected: same, received: same, mark: (_s, text) => text };

/** The symbol of each status in the checks row. */
export const CHECK_SYMBOLS: Readonly<Record<CheckStatus, string>> = { pass: '✓', fail: '✗', skip: '–' };

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

export interface RequestLineOptions {
  style?: ReportStyle;
  /** Add a line with the requestId (and the txId when it differs). Default false. */
  ids?: boolean;
  /** Add a line with the request headers (`--verbose`). Default false. */
  headers?: boolean;
}

/**
 * `Request:  POST <url>  (option 4 jwt+pinned, signing stage)`, and the requestId line when asked.
 *
 * @example
 * renderRequestLines(story, { ids: true });
 */
export function renderRequestLines(story: Pick<ExchangeStory, 'request'>, options: RequestLineOptions = {}): string[] {
  const s = options.style ?? PLAIN_STYLE;
  const q = story.request;
  const lines = [`${s.label('Request:')}  ${q.method} ${q.url}  (${q.optionText}, ${q.stage} stage)`];
  if (options.ids) lines.push(`          requestId ${q.requestId}${q.txId !== undefined && q.txId !== q.requestId ? `, txId ${q.txId}` : ''}`);
  if (q.omittedFields) lines.push(`          without optional fields: ${q.omittedFields.join(', ')}${q.omittedAtRandom ? ' (left out at random: --optional-fields random)' : ''}`);
  if (options.headers) lines.push(`          headers ${q.headers}`);
  return lines;
}

/**
 * `Payload:  amount 250000, amountStr "250000", …, destinations [{"dstType":"ONE_TIME_ADDRESS","dstAddress":"0x…"}], operation "TRANSFER", stage signing, externalTxId "…"`,
 * then `          rest of payload: {…}`.
 *
 * @example
 * renderPayloadLines(explainExchange(res))[0].startsWith('Payload:  amount '); // true
 */
export function renderPayloadLines(story: Pick<ExchangeStory, 'payload'>, style: ReportStyle = PLAIN_STYLE): string[] {
  const p = story.payload;
  const lines = [`${style.label('Payload:')}  ${p.first.map((f) => `${f.name} ${f.value}`).join(', ')}`];
  if (p.rest !== undefined) lines.push(`          rest of payload: ${p.rest}`);
  return lines;
}

/**
 * The decoded JWT, one line per part, each prefixed by `indent`.
 *
 * @example
 * renderTokenLines(explainToken(token)); // ['JWT header:    {…}', 'JWT payload:   {…}', 'JWT signature: <342 chars, redacted>']
 */
export function renderTokenLines(token: TokenStory, indent = ''): string[] {
  const sig = token.signature;
  const signature =
    sig.kind === 'none' ? '(none)' : sig.kind === 'empty' ? '(empty: the token is unsigned)' : sig.kind === 'redacted' ? `<${sig.chars} chars, redacted>` : sig.value;
  const lines = [
    `${indent}JWT header:    ${token.header ?? '(not a JSON object)'}`,
    `${indent}JWT payload:   ${token.payload ?? '(not a JSON object)'}`,
    `${indent}JWT signature: ${signature}`,
  ];
  if (token.problem) lines.push(`${indent}Not a compact JWS: ${token.problem.message}`, `${indent}  hint: ${token.problem.hint}`);
  return lines;
}

function bodyLines(body: BodyStory): string[] {
  switch (body.kind) {
    case 'jwt':
      return renderTokenLines(body.token, '  ');
    case 'json':
      return [`  JSON body: ${body.text}`];
    case 'empty':
      return ['  Body: (empty)'];
    case 'raw': {
      const label = body.cut ? `Body (first ${RAW_BODY_PREVIEW_BYTES} bytes${body.redacted ? ', redacted' : ''})` : 'Body';
      return [`  ${label}: ${JSON.stringify(body.preview)}`];
    }
  }
}

/**
 * What came back: `Response: 200 application/jwt, 612 bytes in 38 ms` (or why nothing did),
 * then the decoded JWT, the JSON body or the first 300 raw bytes.
 *
 * @example
 * renderResponseLines(story).join('\n');
 */
export function renderResponseLines(story: ExchangeStory, style: ReportStyle = PLAIN_STYLE): string[] {
  const t = story.transport;
  const broke = t ? `${t.check} failed${t.code ? ` (${t.code})` : ''}: ${t.message}` : '';
  const hint = t?.hint ? [`  ${style.hint('hint:')} ${t.hint}`] : [];
  const res = story.response;
  if (!res) return [`${style.label('Response:')} none after ${ms(story.totalMs)}${broke ? `, ${broke}` : ''}`, ...hint];
  const type = res.contentType ?? 'no Content-Type';
  const size = res.truncated ? `more than ${res.bodyBytes} bytes (stopped reading at the size cap)` : `${res.bodyBytes} bytes`;
  const lines = [`${style.label('Response:')} ${res.status} ${type}, ${size} in ${ms(story.totalMs)}`];
  if (broke) lines.push(`  broken off: ${broke}`, ...hint);
  if (story.body) lines.push(...bodyLines(story.body));
  return lines;
}

export interface FailedCheckLineOptions {
  style?: ReportStyle;
  /** Before the id: `✗ ` by default; the matcher message says `Check failed: `. */
  mark?: string;
  /** Before the hint, expected and received lines. Default two spaces. */
  indent?: string;
  /** Print the expected and received lines. Default true. */
  values?: boolean;
  /** Print the consequence line under each check that has one. Default true. */
  consequences?: boolean;
}

/**
 * Each failed check: `✗ <id>: <message>`, then its hint, what the real Co-signer would do with
 * that answer (`consequence: … [documented; D-resp §0.5.1]`), and its expected and received values.
 *
 * @example
 * renderFailedCheckLines(story.failed); // ['✗ jwt-signature: response JWT does not verify…', '  hint: sign with…']
 */
export function renderFailedCheckLines(failed: readonly FailedCheckStory[], options: FailedCheckLineOptions = {}): string[] {
  const s = options.style ?? PLAIN_STYLE;
  const mark = options.mark ?? '✗ ';
  const indent = options.indent ?? '  ';
  const lines: string[] = [];
  for (const c of failed) {
    lines.push(`${mark}${s.id(c.id)}: ${c.message}`);
    if (c.hint) lines.push(`${indent}${s.hint('hint:')} ${c.hint}`);
    if (c.consequence && (options.consequences ?? true)) lines.push(`${indent}${s.hint('consequence:')} ${c.consequence.text} ${consequenceMark(c.consequence)}`);
    if (options.values ?? true) {
      if (c.expected !== undefined) lines.push(`${indent}expected: ${s.expected(c.expected)}`);
      if (c.received !== undefined) lines.push(`${indent}received: ${s.received(c.received)}`);
    }
  }
  return lines;
}

/**
 * `Checks: ✓ connect ✓ tls … ✗ jwt-signature – response-shape …`
 *
 * @example
 * renderChecksRow(story.checks);
 */
export function renderChecksRow(checks: readonly CheckMark[], style: ReportStyle = PLAIN_STYLE): string {
  return `${style.label('Checks:')} ${checks.map((c) => style.mark(c.status, `${CHECK_SYMBOLS[c.status]} ${c.id}`)).join(' ')}`;
}

export interface RenderOptions extends FailedCheckLineOptions {
  /** Add the requestId line under the request line. Default false. */
  ids?: boolean;
}

/**
 * The whole story as plain lines, in the order every surface tells it: failed checks, request,
 * payload, response and body, checks row.
 *
 * @example
 * console.log(renderExchange(explainExchange(result)).join('\n'));
 */
export function renderExchange(story: ExchangeStory, options: RenderOptions = {}): string[] {
  const style = options.style ?? PLAIN_STYLE;
  // Under --optional-fields random a failure may be the missing field, not the handler's logic: say so first.
  const q = story.request;
  const omitted = story.failed.length > 0 && q.omittedAtRandom && q.omittedFields ? [`this request had no ${q.omittedFields.map((f) => `\`${f}\``).join(', ')} (left out at random; --optional-fields all sends them)`] : [];
  return [
    ...omitted,
    ...renderFailedCheckLines(story.failed, options),
    ...renderRequestLines(story, { style, ids: options.ids ?? false }),
    ...renderPayloadLines(story, style),
    ...renderResponseLines(story, style),
    renderChecksRow(story.checks, style),
  ];
}
