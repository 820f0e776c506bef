import type { MatcherState } from 'vitest';
import { assertCallbackResult, failedCheckBlocks, toResult, type SyncExpectationResult } from './format.js';
import { readStatus } from './read.js';

/** The two answers real handlers give a forged request: 401 (the docs' example) and 403. */
const REFUSAL_STATUSES: readonly number[] = [401, 403];

const REFUSE_HINT =
  'a handler must refuse a request whose JWT does not verify with the Co-signer public key, with 401 (or 403) [protocol.md §0.5.9]';

/**
 * Passes when the handler refused the request: it answered HTTP 401 or 403, the two answers
 * real handlers give a forged request. For tests that send `signWith` another key.
 *
 * `.not.toBeRefused()` passes only when an answer arrived with another status; an exchange that
 * broke off (reset, TLS, the deadline) fails both forms: a dropped connection is not a refusal,
 * and not an acceptance either. Like the action matchers this reads `this.isNot` (an exception
 * to the style guide's "never flip `pass` for `.not`"): under `.not` it returns `pass: true`
 * exactly when the negation must fail.
 *
 * @example
 * expect(await cosigner.sendTx({ signWith: otherKeyPem })).toBeRefused();
 */
export function toBeRefused(this: MatcherState, received: unknown): SyncExpectationResult {
  assertCallbackResult(received, 'toBeRefused');
  const got = readStatus(received);
  const refused = got.status !== undefined && REFUSAL_STATUSES.includes(got.status);
  const u = this.utils;
  if (this.isNot) {
    const holds = got.status !== undefined && !refused;
    // `pass: true` makes vitest fail the negated assertion.
    return toResult(this, received, !holds, {
      matcherName: 'toBeRefused',
      problems: [],
      notProblems:
        got.status === undefined
          ? [
              `Expected an answer that is not a refusal, but no status was read: ${got.why ?? 'no response arrived'}`,
              '  hint: .not.toBeRefused() passes only on an answer with a status other than 401 and 403; an exchange that broke off fails both forms',
              '',
              ...failedCheckBlocks(received),
            ]
          : [`Expected the handler not to refuse the request, but it answered ${got.status}:`],
    });
  }
  const problems = refused
    ? []
    : got.status === undefined
      ? [`Expected a refusal (HTTP 401 or 403), but no status was read: ${got.why ?? 'no response arrived'}`, `  hint: ${REFUSE_HINT}; dropping the connection is not a refusal`, ...failedCheckBlocks(received)]
      : [
          `Expected a refusal (HTTP ${u.printExpected(401)} or ${u.printExpected(403)}), but the handler answered ${u.printReceived(got.status)}`,
          got.status === 200 ? `  hint: the handler accepted a request it should have refused: ${REFUSE_HINT}` : `  hint: ${REFUSE_HINT}`,
        ];
  return toResult(this, received, refused, { matcherName: 'toBeRefused', problems, notProblems: [] });
}
