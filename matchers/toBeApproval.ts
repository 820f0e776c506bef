import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when the handler answered APPROVE and every check passed, in any option (the signature too, where the option has one).
 * `.not` passes only when the decision was read and is not APPROVE: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendTx()).toBeApproval();
 */
export function toBeApproval(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeApproval', action: 'APPROVE', signed: false });
}
