/**
 * What every matcher shares: the received-value guard, the failure message layout and the
 * redaction of anything secret-looking. Pure text functions over a recorded CallbackResult: no
 * I/O, no clock, so a message is the same however often vitest evaluates it.
 */
import type { MatcherResult, MatcherState } from 'vitest';
import { failedChecks } from '../simulator/checks/index.js';
import { InvalidArgumentError, MatcherBadReceivedError } from '../simulator/errors.js';
import { SECURITY_OPTIONS } from '../simulator/protocol/options.js';
import type { Action, CallbackResult, CheckOutcome } from '../simulator/protocol/types.js';
import type { ReasonExpectation } from './types.js';

/** What a synchronous matcher returns (vitest exports only the union with the async form). */
export type SyncExpectationResult = Exclude<MatcherResult, PromiseLike<unknown>>;

/** The part of vitest's matcher state the messages read; the asymmetric form has no more. */
export type MatcherContext = Pick<MatcherState, 'isNot' | 'utils'> & { promise?: string };

/** How many bytes of a body that is neither a JWT nor JSON the message shows. */
export const RAW_BODY_PREVIEW_BYTES = 300;
/** Longest decoded header/payload shown, in characters. */
const MAX_JSON_CHARS = 600;

const RECEIVED_HINT = 'pass the value returned by cosigner.sendTx()';

/** True for the object `cosigner.sendTx()` and friends resolve to. */
export function isCallbackResult(value: unknown): value is CallbackResult {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { [K in keyof CallbackResult]?: unknown };
  const request = v.request as Record<string, unknown> | null | undefined;
  return (
    typeof request === 'object' &&
    request !== null &&
    typeof request.url === 'string' &&
    typeof request.requestId === 'string' &&
    (request.option === 1 || request.option === 2 || request.option === 3 || request.option === 4 || request.option === 5) &&
    Array.isArray(v.checks) &&
    typeof v.decision === 'object' &&
    v.decision !== null &&
    typeof v.timings === 'object' &&
    v.timings !== null
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof (value as { then?: unknown }).then === 'function') return 'a Promise: did you forget `await` before cosigner.sendTx()?';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  return `a ${typeof value}`;
}

/**
 * A usage error, not a failed assertion: the matcher was given something other than a
 * CallbackResult.
 *
 * @example
 * assertCallbackResult(await cosigner.sendTx(), 'toBeSignedApproval'); // passes
 * assertCallbackResult(cosigner.sendTx(), 'toBeSignedApproval');       // throws CSIM_MATCHER_BAD_RECEIVED (a Promise)
 */
export function assertCallbackResult(received: unknown, matcherName: string): asserts received is CallbackResult {
  if (isCallbackResult(received)) return;
  throw new MatcherBadReceivedError(`${matcherName}: expected a CallbackResult, received ${describeValue(received)}`, { hint: RECEIVED_HINT });
}

/**
 * A `reason` argument must be a string or a RegExp; anything else is a usage error.
 *
 * @example
 * assertReasonArgument(/limit/, 'toBeRejection', true); // passes
 */
export function assertReasonArgument(reason: unknown, matcherName: string, optional: boolean): asserts reason is ReasonExpectation | undefined {
  if (typeof reason === 'string' || reason instanceof RegExp || (optional && reason === undefined)) return;
  throw new InvalidArgumentError(`${matcherName}: the reason must be a string (exact text) or a RegExp, got ${describeValue(reason)}`, {
    hint: `e.g. ${matcherName}(/limit/) or ${matcherName}('amount 250000.00 USD exceeds the limit of 100000 USD')`,
  });
}

/** True when `reason` (as sent) is a string equal to, or matching, the expectation. */
export function reasonMatches(received: unknown, expected: ReasonExpectation): boolean {
  if (typeof received !== 'string') return false;
  if (typeof expected === 'string') return received === expected;
  expected.lastIndex = 0; // a /g or /y pattern keeps state between calls
  return expected.test(received);
}

/** The source form of an expectation for the hint line: `/limit/` or `"exact text"`. */
export function printArgument(value: ReasonExpectation): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** "an APPROVE", "a REJECT". */
export function withArticle(action: Action): string {
  return `${action === 'APPROVE' || action === 'IGNORE' ? 'an' : 'a'} ${action}`;
}

/** True when the option signs its messages with JWTs (1, 4, 5). */
export function isJwtOption(result: CallbackResult): boolean {
  return SECURITY_OPTIONS[result.request.option].messageLayer === 'jwt';
}

/** `option 4 jwt+pinned` */
export function optionLabel(result: CallbackResult): string {
  return `option ${result.request.option} ${SECURITY_OPTIONS[result.request.option].label}`;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
const COMPLETE_PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const JWS_WITH_SIGNATURE = /\b(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.)([A-Za-z0-9_-]{12,})/g;

function redactWith(text: string, pem: RegExp): string {
  return text
    .replace(pem, (_block, label: string) => `[${label} redacted]`)
    .replace(JWS_WITH_SIGNATURE, (_token, head: string, signature: string) => `${head}<signature: ${signature.length} chars, redacted>`);
}

/**
 * Remove what must never reach a test log from one piece of handler-supplied text: PEM blocks
 * (keys, certificates; a block cut off at the end of the text too) and JWS signature segments.
 * Header and payload segments stay, since the message decodes them anyway.
 *
 * @example
 * redact('-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----'); // '[PRIVATE KEY redacted]'
 */
export function redact(text: string): string {
  return redactWith(text, PEM_BLOCK);
}

function oneLine(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = redact(text);
  return text.length > MAX_JSON_CHARS ? `${text.slice(0, MAX_JSON_CHARS)}… (${text.length} chars)` : text;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/**
 * Why a check did not pass, as the end of a sentence: "it passed", "it was blocked: body-format
 * failed", "it does not apply: option 2 exchanges plain JSON".
 */
export function checkState(c: CheckOutcome | undefined): string {
  if (c === undefined) return 'it did not run';
  if (c.status === 'pass') return 'it passed';
  if (c.status === 'fail') return `it failed: ${c.message ?? c.reason ?? ''}`;
  const why = (c.message ?? c.reason ?? 'skipped').replace(/^not checked: /, '');
  return c.reason === 'blocked' ? `it was blocked: ${why}` : c.reason === 'not-applicable' ? `it does not apply: ${why}` : `it was skipped: ${why}`;
}

/** A value from the handler on one line: strings and numbers as vitest prints them, objects as JSON. */
export function printReceivedValue(utils: MatcherContext['utils'], value: unknown): string {
  if (value === undefined) return utils.DIM_COLOR('(none)');
  return value !== null && typeof value === 'object' ? utils.RECEIVED_COLOR(oneLine(value)) : utils.printReceived(value);
}

/** One block per failed check: `Check failed: <id>: <message>` and its hint. */
export function checkFailure(c: CheckOutcome): string {
  const head = `Check failed: ${c.id}: ${redact(c.message ?? c.reason ?? 'failed')}`;
  return c.hint ? `${head}\n  hint: ${c.hint}` : head;
}

/** The blocks of every failed check, in the order the checks ran. */
export function failedCheckBlocks(result: CallbackResult): string[] {
  return failedChecks(result).map(checkFailure);
}

function bodyLines(result: CallbackResult): string[] {
  const response = result.response;
  if (!response) return [];
  const { jwt } = response;
  if (jwt && (jwt.header || jwt.payload)) {
    const segments = response.body.trim().split('.');
    const signature = segments.length === 3 ? (segments[2] ?? '') : undefined;
    return [
      `  JWT header:    ${jwt.header ? oneLine(jwt.header) : '(not a JSON object)'}`,
      `  JWT payload:   ${jwt.payload ? oneLine(jwt.payload) : '(not a JSON object)'}`,
      `  JWT signature: ${signature === undefined ? '(none)' : signature === '' ? '(empty: the token is unsigned)' : `<${signature.length} chars, redacted>`}`,
    ];
  }
  if (response.json !== undefined) return [`  JSON body: ${oneLine(response.json)}`];
  if (response.body === '') return ['  Body: (empty)'];
  // Redact the whole body first, so a key or signature cut off by the preview is still caught.
  const bytes = Buffer.from(redact(response.body), 'utf8');
  const shown = bytes.subarray(0, RAW_BODY_PREVIEW_BYTES).toString('utf8');
  const label = bytes.length > RAW_BODY_PREVIEW_BYTES ? `Body (first ${RAW_BODY_PREVIEW_BYTES} bytes, redacted)` : 'Body';
  return [`  ${label}: ${JSON.stringify(shown)}`];
}

/**
 * The request line, then what came back: status, Content-Type, size and time, and the decoded
 * JWT header and payload (even when the signature is bad) or the JSON body or the first 300 raw
 * bytes.
 *
 * @example
 * exchangeLines(res)[0]; // 'Request:  POST https://127.0.0.1:40123/v2/tx_sign_request  (option 4 jwt+pinned, signing stage)'
 */
export function exchangeLines(result: CallbackResult): string[] {
  const { request, response, transportFailure: failure } = result;
  const lines = [`Request:  ${request.method} ${request.url}  (${optionLabel(result)}, ${request.stage} stage)`];
  const broke = failure ? `${failure.check} failed${failure.code ? ` (${failure.code})` : ''}: ${failure.message}` : '';
  if (!response) {
    lines.push(`Response: none after ${ms(result.timings.totalMs)}${broke ? `, ${broke}` : ''}`);
    return lines;
  }
  const type = response.headers['content-type'] ?? 'no Content-Type';
  const size = response.truncated ? `more than ${response.bodyBytes} bytes (stopped reading at the size cap)` : `${response.bodyBytes} bytes`;
  lines.push(`Response: ${response.status} ${type}, ${size} in ${ms(result.timings.totalMs)}`);
  if (broke) lines.push(`  broken off: ${broke}`);
  lines.push(...bodyLines(result));
  return lines;
}

/** `Checks: ✓ connect ✓ tls … ✗ jwt-signature – response-shape …` */
export function checksLine(utils: MatcherContext['utils'], result: CallbackResult): string {
  const marks = result.checks.map((c) =>
    c.status === 'pass' ? utils.EXPECTED_COLOR(`✓ ${c.id}`) : c.status === 'fail' ? utils.RECEIVED_COLOR(`✗ ${c.id}`) : utils.DIM_COLOR(`– ${c.id}`),
  );
  return `Checks: ${marks.join(' ')}`;
}

/** Expected vs received action, requestId and rejectionReason, labels aligned. */
function comparisonLines(ctx: MatcherContext, result: CallbackResult, expectedAction: Action | undefined, expectedReason: ReasonExpectation | undefined): string[] {
  const u = ctx.utils;
  const { decision } = result;
  const rows: [string, string][] = [];
  if (!ctx.isNot && expectedAction) rows.push(['Expected action:', u.printExpected(expectedAction)]);
  rows.push(['Received action:', printReceivedValue(u, decision.action)]);
  if (!ctx.isNot) rows.push(['Expected requestId:', u.printExpected(result.request.requestId)]);
  rows.push(['Received requestId:', printReceivedValue(u, decision.requestId)]);
  if (!ctx.isNot && expectedReason !== undefined) rows.push(['Expected rejectionReason:', u.printExpected(expectedReason)]);
  if (decision.hasRejectionReason) rows.push(['Received rejectionReason:', printReceivedValue(u, decision.rejectionReason)]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`);
}

/** Everything a matcher says about one result, for both the plain and the `.not` form. */
export interface FailureText {
  matcherName: string;
  /** What goes between the parentheses of the hint line; '' for none. */
  argument?: string;
  /** Why the plain form failed: one block per problem (empty when it passed). */
  problems: readonly string[];
  /** Why the `.not` form failed: a headline ending in ':' and any detail. */
  notProblems: readonly string[];
  expectedAction?: Action;
  expectedReason?: ReasonExpectation;
}

/**
 * The whole failure message, in the layout of the README: hint line; what failed (or, for
 * `.not`, what unexpectedly held); expected vs received; request and response; every check.
 *
 * @example
 * formatFailure(this, res, { matcherName: 'toBeSignedApproval', problems, notProblems });
 */
export function formatFailure(ctx: MatcherContext, result: CallbackResult, text: FailureText): string {
  const u = ctx.utils;
  const hint = u.matcherHint(text.matcherName, 'result', text.argument ?? '', { isNot: ctx.isNot, promise: ctx.promise ?? '' });
  const blocks = [
    hint,
    (ctx.isNot ? text.notProblems : text.problems).join('\n'),
    comparisonLines(ctx, result, text.expectedAction, text.expectedReason).join('\n'),
    [...exchangeLines(result), checksLine(u, result)].join('\n'),
  ];
  // Pieces of handler text were redacted where they were cut; this pass catches whole PEM blocks
  // and tokens anywhere else (a key sent as the rejectionReason, ...).
  return redactWith(blocks.filter((b) => b !== '').join('\n\n'), COMPLETE_PEM_BLOCK);
}

/**
 * A matcher's return value. `pass` is computed by the caller without looking at `isNot`;
 * `message` is a thunk (vitest evaluates it only on failure). `actual`/`expected` are
 * `{action, requestId}`, returned when they differ so vitest prints a diff; when they are equal
 * a diff would only say "Compared values have no visual difference", so they are left out.
 *
 * @example
 * return toResult(this, res, problems.length === 0, { matcherName: 'toBeApproval', problems, notProblems, expectedAction: 'APPROVE' });
 */
export function toResult(ctx: MatcherContext, result: CallbackResult, pass: boolean, text: FailureText): SyncExpectationResult {
  const actual = { action: result.decision.action, requestId: result.decision.requestId };
  const expected = { action: text.expectedAction ?? result.decision.action, requestId: result.request.requestId };
  const differ = actual.action !== expected.action || actual.requestId !== expected.requestId;
  return {
    pass,
    message: () => formatFailure(ctx, result, text),
    ...(differ ? { actual, expected } : {}),
  };
}
