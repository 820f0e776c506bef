import type { MatcherState } from 'vitest';
import type { SyncExpectationResult } from './format.js';
import { matchAction } from './match-action.js';

/**
 * Passes when a JWT option (1, 4, 5) answered IGNORE (approval stage) and every check passed, signature included.
 *
 * @example
 * expect(await cosigner.sendConfigChange({ type: 'SOMETHING_NEW' })).toBeSignedIgnore();
 */
export function toBeSignedIgnore(this: MatcherState, received: unknown): SyncExpectationResult {
  return matchAction(this, received, { matcherName: 'toBeSignedIgnore', action: 'IGNORE', signed: true });
}
