import type { MatcherState } from 'vitest';
import { failedChecks } from '../simulator/checks/index.js';
import { InvalidArgumentError } from '../simulator/errors.js';
import { CHECK_IDS, type CheckId } from '../simulator/protocol/types.js';
import { assertCallbackResult, checkFailure, checkState, toResult, type SyncExpectationResult } from './format.js';

/**
 * Passes when the check with this id failed: for tests that prove a deliberately broken handler
 * is caught. An id that is not a check id is a usage error (the type allows only `CheckId`).
 *
 * @example
 * const res = await cosigner.sendTx(); // against a handler that signs with the wrong key
 * expect(res).toFailCheck('jwt-signature');
 */
export function toFailCheck(this: MatcherState, received: unknown, id: CheckId): SyncExpectationResult {
  assertCallbackResult(received, 'toFailCheck');
  if (!(CHECK_IDS as readonly unknown[]).includes(id)) {
    throw new InvalidArgumentError(`toFailCheck: ${JSON.stringify(id)} is not a check id. Expected one of: ${CHECK_IDS.join(', ')}`, {
      hint: "e.g. expect(res).toFailCheck('jwt-signature')",
    });
  }
  const outcome = received.checks.find((c) => c.id === id);
  const failedOthers = failedChecks(received).filter((c) => c.id !== id);
  const problems = [
    `Expected check ${id} to fail, but ${checkState(outcome)}`,
    ...(failedOthers.length > 0 ? ['', `${failedOthers.length === 1 ? 'This check' : 'These checks'} failed instead:`, ...failedOthers.map((c) => checkFailure(c, received))] : []),
  ];
  return toResult(this, received, outcome?.status === 'fail', {
    matcherName: 'toFailCheck',
    argument: JSON.stringify(id),
    problems,
    notProblems: [`Expected check ${id} not to fail, but it failed:`, ...(outcome ? [checkFailure(outcome, received)] : [])],
  });
}
