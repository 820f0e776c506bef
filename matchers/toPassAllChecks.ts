import type { MatcherState } from 'vitest';
import { failedChecks } from '../simulator/checks/index.js';
import { assertCallbackResult, checkFailure, toResult, type SyncExpectationResult } from './format.js';

/**
 * Passes when no check failed, whatever the action: the handler is reachable, trusted, answers
 * 200 in time with a well-formed (and, in JWT options, correctly signed) decision.
 *
 * @example
 * expect(await cosigner.sendTx()).toPassAllChecks();
 */
export function toPassAllChecks(this: MatcherState, received: unknown): SyncExpectationResult {
  assertCallbackResult(received, 'toPassAllChecks');
  const failed = failedChecks(received);
  return toResult(this, received, failed.length === 0, {
    matcherName: 'toPassAllChecks',
    problems: failed.map((c) => checkFailure(c, received)),
    notProblems: ['Expected at least one check to fail, but every check passed:'],
  });
}
