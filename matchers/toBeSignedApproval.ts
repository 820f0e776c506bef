import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when a JWT option (1, 4, 5) answered APPROVE and every check passed, the alg (RS256) and the signature (verified with the handler public key) included.
 * `.not` passes only when the decision was read and is not APPROVE: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendTx()).toBeSignedApproval();
 */
export function toBeSignedApproval(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeSignedApproval', action: 'APPROVE', signed: true });
}
