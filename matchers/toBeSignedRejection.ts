import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';
import type { ReasonExpectation } from './types.js';

/**
 * Passes when a JWT option (1, 4, 5) answered REJECT and every check passed, signature included; `reason` is the exact rejectionReason (string) or a pattern it must match (RegExp).
 * `.not` passes only when the decision was read and is not REJECT with that reason: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendTx({ payload: { amountStr: '250000' } })).toBeSignedRejection(/limit/);
 */
export function toBeSignedRejection(this: MatcherState, received: unknown, reason?: ReasonExpectation): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeSignedRejection', action: 'REJECT', signed: true, reason });
}
