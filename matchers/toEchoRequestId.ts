import type { MatcherState } from 'vitest';
import { assertCallbackResult, checkState, failedCheckBlocks, toResult, type SyncExpectationResult } from './format.js';

/**
 * Passes when the response echoes the request's `requestId` (the `request-id` check passed).
 * Batched transactions make `txId` and `requestId` differ, which catches handlers that echo the
 * wrong one.
 *
 * @example
 * expect(await cosigner.sendTx({ batched: true })).toEchoRequestId();
 */
export function toEchoRequestId(this: MatcherState, received: unknown): SyncExpectationResult {
  assertCallbackResult(received, 'toEchoRequestId');
  const outcome = received.checks.find((c) => c.id === 'request-id');
  const pass = outcome?.status === 'pass';
  const failed = failedCheckBlocks(received);
  const problems =
    outcome?.status === 'fail' ? failed : [`Expected the response to echo the requestId, but the request-id check ${checkState(outcome).replace(/^it /, '')}`, ...failed];
  return toResult(this, received, pass, {
    matcherName: 'toEchoRequestId',
    problems,
    notProblems: ['Expected the response not to echo the requestId, but it did:'],
  });
}
