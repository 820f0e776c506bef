import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when a JWT option (1, 4, 5) answered RETRY and every check passed, signature included.
 *
 * @example
 * expect(await cosigner.sendTx({ payload: { externalTxId: 'csim-retry-1' } })).toBeSignedRetry();
 */
export function toBeSignedRetry(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeSignedRetry', action: 'RETRY', signed: true });
}
