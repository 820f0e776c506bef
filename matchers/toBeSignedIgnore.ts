import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when a JWT option (1, 4, 5) answered IGNORE (approval stage) and every check passed, signature included.
 * `.not` passes only when the decision was read and is not IGNORE: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendConfigChange({ type: 'SOMETHING_NEW' })).toBeSignedIgnore();
 */
export function toBeSignedIgnore(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeSignedIgnore', action: 'IGNORE', signed: true });
}
