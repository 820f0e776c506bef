import type { MatcherState } from 'vitest';
import {
  assertCallbackResult,
  assertReasonArgument,
  checkFailure,
  printArgument,
  printReceivedValue,
  reasonMatches,
  toResult,
  type SyncExpectationResult,
} from './format.js';
import type { ReasonExpectation } from './types.js';

/**
 * Passes when the response carries a string `rejectionReason` equal to `reason` (a string) or
 * matching it (a RegExp), whatever the action and the other checks.
 *
 * @example
 * expect(await cosigner.sendTx({ payload: { amountStr: '250000' } })).toHaveRejectionReason(/exceeds the limit/);
 */
export function toHaveRejectionReason(this: MatcherState, received: unknown, reason: ReasonExpectation): SyncExpectationResult {
  assertCallbackResult(received, 'toHaveRejectionReason');
  assertReasonArgument(reason, 'toHaveRejectionReason', false);
  const u = this.utils;
  const { decision } = received;
  const check = received.checks.find((c) => c.id === 'rejection-reason');
  const checkBlock = check?.status === 'fail' ? [checkFailure(check, received)] : [];
  const how = typeof reason === 'string' ? 'to be' : 'to match';
  const got = !decision.hasRejectionReason
    ? 'the response has no rejectionReason'
    : typeof decision.rejectionReason !== 'string'
      ? `it is ${printReceivedValue(u, decision.rejectionReason)}, not a string`
      : `received ${u.printReceived(decision.rejectionReason)}`;
  return toResult(this, received, reasonMatches(decision.rejectionReason, reason), {
    matcherName: 'toHaveRejectionReason',
    argument: printArgument(reason),
    problems: [`Expected rejectionReason ${how} ${u.printExpected(reason)}, but ${got}`, ...checkBlock],
    notProblems: [`Expected rejectionReason not ${how} ${u.printExpected(reason)}, but it ${typeof reason === 'string' ? 'is' : 'does'}:`],
    expectedReason: reason,
  });
}
