/**
 * What every matcher shares: the received-value guard and the failure message layout. The
 * exchange part of a message (request line, response, decoded JWT, failed checks, checks row)
 * and the redaction come from simulator/report, the same module every CLI reporter uses, so a
 * failure reads the same in a test log and in a CI report. Pure text functions over a recorded
 * CallbackResult: no I/O, no clock, so a message is the same however often vitest evaluates it.
 */
import type { MatcherResult, MatcherState } from 'vitest';
import { failedChecks } from '../simulator/checks/index.js';
import { InvalidArgumentError, MatcherBadReceivedError } from '../simulator/errors.js';
import { SECURITY_OPTIONS } from '../simulator/protocol/options.js';
import type { Action, CallbackResult, CheckOutcome } from '../simulator/protocol/types.js';
import {
  PLAIN_STYLE,
  consequenceContext,
  explainCheck,
  explainExchange,
  oneLineJson,
  optionText,
  redactText,
  renderChecksRow,
  renderFailedCheckLines,
  renderPayloadLines,
  renderRequestLines,
  renderResponseLines,
  type ReportStyle,
} from '../simulator/report/index.js';
import type { ReasonExpectation } from './types.js';

/** What a synchronous matcher returns (vitest exports only the union with the async form). */
export type SyncExpectationResult = Exclude<MatcherResult, PromiseLike<unknown>>;

/** The part of vitest's matcher state the messages read; the asymmetric form has no more. */
export type MatcherContext = Pick<MatcherState, 'isNot' | 'utils'> & { promise?: string };

/** How many bytes of a body that is neither a JWT nor JSON the message shows. */
export { RAW_BODY_PREVIEW_BYTES } from '../simulator/report/index.js';

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
  return optionText(result.request.option);
}

/**
 * Remove what must never reach a test log from a piece of handler-supplied text (the one
 * redactor of simulator/report: PEM blocks, even cut off, bare private keys, JWS signatures, ...).
 *
 * @example
 * redact('-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----'); // '[PRIVATE KEY redacted]'
 */
export function redact(text: string): string {
  return redactText(text);
}

/** The matcher colours: ✓ as expected, ✗ as received, – dimmed. */
function matcherStyle(utils: MatcherContext['utils']): ReportStyle {
  return {
    ...PLAIN_STYLE,
    mark: (status, text) => (status === 'pass' ? utils.EXPECTED_COLOR(text) : status === 'fail' ? utils.RECEIVED_COLOR(text) : utils.DIM_COLOR(text)),
  };
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
  if (typeof value === 'string') return utils.printReceived(redactText(value));
  return value !== null && typeof value === 'object' ? utils.RECEIVED_COLOR(oneLineJson(value)) : utils.printReceived(value);
}

/**
 * One block per failed check: `Check failed: <id>: <message>`, its hint, and what the real
 * Co-signer would do with that answer (told for the exchange it failed on, under the profile it
 * was judged under: the Co-signer's `profile`, a send's own; `latest` when the result names none).
 */
export function checkFailure(c: CheckOutcome, result: CallbackResult): string {
  return renderFailedCheckLines([explainCheck(c, { at: consequenceContext(result) })], { mark: 'Check failed: ', values: false }).join('\n');
}

/** The blocks of every failed check, in the order the checks ran. */
export function failedCheckBlocks(result: CallbackResult): string[] {
  return failedChecks(result).map((c) => checkFailure(c, result));
}

/**
 * The request line and the payload that was sent (the fields a policy decides on first, then the
 * rest), then what came back: status, Content-Type, size and time, and the decoded
 * JWT header and payload (even when the signature is bad) or the JSON body or the first 300 raw
 * bytes.
 *
 * @example
 * exchangeLines(res)[0]; // 'Request:  POST https://127.0.0.1:40123/v2/tx_sign_request  (option 4 jwt+pinned, signing stage)'
 */
export function exchangeLines(result: CallbackResult): string[] {
  const story = explainExchange(result);
  return [...renderRequestLines(story), ...renderPayloadLines(story), ...renderResponseLines(story)];
}

/** `Checks: ✓ connect ✓ tls … ✗ jwt-signature – response-shape …` */
export function checksLine(utils: MatcherContext['utils'], result: CallbackResult): string {
  return renderChecksRow(result.checks, matcherStyle(utils));
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
  // The exchange lines are redacted already; this pass catches what a matcher quoted from the
  // handler in its own problem text (a key sent as the action, ...).
  return redactText(blocks.filter((b) => b !== '').join('\n\n'));
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
