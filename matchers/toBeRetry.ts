import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when the handler answered RETRY and every check passed, in any option.
 * `.not` passes only when the decision was read and is not RETRY: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendTx({ payload: { externalTxId: 'csim-retry-1' } })).toBeRetry();
 */
export function toBeRetry(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeRetry', action: 'RETRY', signed: false });
}
