import type { KeyObject } from 'node:crypto';
import type { ParsedBody } from '../codec/response.js';
import type { CallbackResult, CheckId, CheckOutcome } from '../protocol/types.js';

/** What every check reads: the exchange as recorded, plus the settings it is judged against. */
export interface CheckInput {
  result: Omit<CallbackResult, 'checks' | 'ok' | 'warnings'>;
  /** The handler public key the Co-signer would verify with (JWT options). */
  handlerPublicKey?: KeyObject;
  timeoutMs: number;
  /** The response body taken apart once for all checks (undefined when there is no complete body). */
  parsed?: ParsedBody;
  /** The claims or JSON object the decision is read from, verified or not. */
  claims?: Record<string, unknown>;
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
