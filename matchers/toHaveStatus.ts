import type { MatcherState } from 'vitest';
import { InvalidArgumentError } from '../simulator/errors.js';
import { assertCallbackResult, failedCheckBlocks, toResult, type SyncExpectationResult } from './format.js';
import { readStatus } from './read.js';

/**
 * Passes when the handler answered with HTTP status `status`, whatever the body and the checks.
 *
 * `.not.toHaveStatus(n)` passes only when an answer arrived with another status: an exchange
 * that broke off (refused, reset, TLS, the deadline) fails both forms, since it has no status
 * to compare. Like the action matchers this reads `this.isNot` (an exception to the style
 * guide's "never flip `pass` for `.not`"): vitest fails a negated assertion when `pass` is
 * true, so under `.not` this returns `pass: true` exactly when the negation must fail.
 *
 * @example
 * expect(await cosigner.sendTx({ path: '/v2/unknown_endpoint' })).toHaveStatus(404);
 */
export function toHaveStatus(this: MatcherState, received: unknown, status: number): SyncExpectationResult {
  assertCallbackResult(received, 'toHaveStatus');
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new InvalidArgumentError(`toHaveStatus: the status must be an HTTP status code from 100 to 599, got ${typeof status === 'number' ? String(status) : typeof status}`, {
      hint: 'e.g. expect(res).toHaveStatus(401); for "401 or 403" use toBeRefused()',
    });
  }
  const got = readStatus(received);
  const text = { matcherName: 'toHaveStatus', argument: String(status) };
  if (this.isNot) {
    const holds = got.status !== undefined && got.status !== status;
    // `pass: true` makes vitest fail the negated assertion.
    return toResult(this, received, !holds, {
      ...text,
      problems: [],
      notProblems:
        got.status === undefined
          ? [
              `Expected an HTTP status other than ${status}, but no status was read: ${got.why ?? 'no response arrived'}`,
              '  hint: .not.toHaveStatus() passes only on an answer with another status; an exchange that broke off fails both forms',
              '',
              ...failedCheckBlocks(received),
            ]
          : [`Expected an HTTP status other than ${status}, but the handler answered ${status}:`],
    });
  }
  const problems =
    got.status === undefined
      ? [`Expected HTTP status ${status}, but no status was read: ${got.why ?? 'no response arrived'}`, ...failedCheckBlocks(received)]
      : got.status === status
        ? []
        : [
            `Expected HTTP status ${this.utils.printExpected(status)}, but the handler answered ${this.utils.printReceived(got.status)}` +
              (got.status === 200 && (status === 401 || status === 403) ? '\n  hint: the handler accepted a request it should have refused: does it verify the request signature?' : ''),
          ];
  return toResult(this, received, problems.length === 0, { ...text, problems, notProblems: [] });
}
