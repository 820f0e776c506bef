import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';
import type { ReasonExpectation } from './types.js';

/**
 * Passes when the handler answered REJECT and every check passed, in any option; `reason` is the exact rejectionReason (string) or a pattern it must match (RegExp).
 * `.not` passes only when the decision was read and is not REJECT with that reason: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendTx({ payload: { amountStr: '250000' } })).toBeRejection(/exceeds the limit/);
 */
export function toBeRejection(this: MatcherState, received: unknown, reason?: ReasonExpectation): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeRejection', action: 'REJECT', signed: false, reason });
}
