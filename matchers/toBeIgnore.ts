import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when the handler answered IGNORE (approval stage) and every check passed, in any option.
 *
 * @example
 * expect(await cosigner.sendConfigChange({ type: 'SOMETHING_NEW' })).toBeIgnore();
 */
export function toBeIgnore(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeIgnore', action: 'IGNORE', signed: false });
}
