import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when the handler answered IGNORE (approval stage) and every check passed, in any option.
 * `.not` passes only when the decision was read and is not IGNORE: a failed check never
 * makes it pass, and an unreadable answer fails both forms (see matchAction, which reads `isNot` for this).
 *
 * @example
 * expect(await cosigner.sendConfigChange({ type: 'SOMETHING_NEW' })).toBeIgnore();
 */
export function toBeIgnore(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeIgnore', action: 'IGNORE', signed: false });
}
