import type { KeyObject } from 'node:crypto';
import type { ParsedBody } from '../codec/response.js';
import type { Profile } from '../protocol/profiles.js';
import type { CallbackResult, CheckId, CheckOutcome } from '../protocol/types.js';

/** The real Co-signer gives up on a Callback Handler after 30 s [protocol.md §0.5.1]. */
export const COSIGNER_DEADLINE_MS = 30_000;

/**
 * The deadline an answer is judged against: the simulator's wait (`--timeout`), but never more
 * than the Co-signer's own 30 s. A longer `--timeout` only shows how late the answer was.
 *
 * @example
 * effectiveDeadlineMs({ timeoutMs: 60_000 }); // 30000
 * effectiveDeadlineMs({ timeoutMs: 3_000 });  // 3000
 */
export function effectiveDeadlineMs(input: Pick<CheckInput, 'timeoutMs' | 'cosignerLimitMs'>): number {
  return Math.min(input.timeoutMs, input.cosignerLimitMs ?? COSIGNER_DEADLINE_MS);
}

/** What every check reads: the exchange as recorded, plus the settings it is judged against. */
export interface CheckInput {
  result: Omit<CallbackResult, 'checks' | 'ok' | 'warnings'>;
  /** The handler public key the Co-signer would verify with (JWT options). */
  handlerPublicKey?: KeyObject;
  /** How long the simulator waited (`--timeout`). */
  timeoutMs: number;
  /**
   * How long the real Co-signer waits before it gives up (default {@link COSIGNER_DEADLINE_MS},
   * 30 000 ms [protocol.md §0.5.1]). Tests lower it to prove the rule without waiting 30 s.
   */
  cosignerLimitMs?: number;
  /** The response body taken apart once for all checks (undefined when there is no complete body). */
  parsed?: ParsedBody;
  /** The claims or JSON object the decision is read from, verified or not. */
  claims?: Record<string, unknown>;
  /** The Co-signer version the answer is judged for (which actions it honours); default `latest`. */
  profile?: Profile;
}

/** Outcomes of the checks that already ran, by id. */
export type PriorOutcomes = ReadonlyMap<CheckId, CheckOutcome>;

/** One check: a pure function with a stable id. */
export interface Check {
  id: CheckId;
  run(input: CheckInput, prior: PriorOutcomes): CheckOutcome;
}

/** A passing outcome. */
export function pass(id: CheckId, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return { id, status: 'pass', ...extra };
}

/** A failing outcome: what is wrong, and the fix. */
export function fail(id: CheckId, reason: string, message: string, hint: string, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return { id, status: 'fail', reason, message, hint, ...extra };
}

/** A check that does not apply to this option. */
export function notApplicable(id: CheckId, why: string): CheckOutcome {
  return { id, status: 'skip', reason: 'not-applicable', message: why };
}

/** A check that could not run because an earlier one failed. */
export function blocked(id: CheckId, by: CheckId): CheckOutcome {
  return { id, status: 'skip', reason: 'blocked', message: `not checked: ${by} failed` };
}

/** The first of `ids` that did not pass, if any (skips count as blocking too). */
export function firstBlocker(prior: PriorOutcomes, ids: readonly CheckId[]): CheckId | undefined {
  return ids.find((id) => prior.get(id)?.status === 'fail' || prior.get(id)?.status === 'skip');
}
