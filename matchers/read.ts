/**
 * Whether a handler's decision was read at all, for the negated matchers. `.not.toBeX()` must
 * only pass on a decision that was read and is something else: an answer that could not be read
 * tells nothing about what the handler decided, so it must not count as "not X".
 */
import { failedChecks } from '../simulator/checks/index.js';
import type { CallbackResult } from '../simulator/protocol/types.js';

/** A decision that was read: the body decoded to claims with a string `action` (verified or not). */
export interface ReadDecision {
  read: true;
  action: string;
}

/** No decision could be read; `why` ends a sentence ("… no decision was read: <why>"). */
export interface UnreadDecision {
  read: false;
  why: string;
}

/** What came of an HTTP answer: `status` is known when a response arrived without a transport failure. */
export interface ReadStatus {
  status?: number;
  /** Set when `status` is undefined: why no status can be trusted. */
  why?: string;
}

function transportWhy(result: CallbackResult): string | undefined {
  const failure = result.transportFailure;
  if (failure) return `the exchange broke off: ${failure.check} failed${failure.code ? ` (${failure.code})` : ''}: ${failure.message}`;
  if (!result.response) return 'no response arrived';
  return undefined;
}

/**
 * The status of an answer that arrived, or why there is none to trust (a transport failure,
 * including a body cut off by a reset or the deadline after the status line).
 *
 * @example
 * readStatus(res); // { status: 401 }
 */
export function readStatus(result: CallbackResult): ReadStatus {
  const why = transportWhy(result);
  if (why !== undefined || !result.response) return { why: why ?? 'no response arrived' };
  return { status: result.response.status };
}

/**
 * "Read" as the negated action matchers mean it: no transport failure, a complete 200 answer,
 * and a body that decoded to claims with a string `action`, whether or not the signature
 * verified (a decision signed with the wrong key is still the handler's decision).
 *
 * @example
 * const d = readDecision(res);
 * if (d.read) d.action; // 'IGNORE'
 */
export function readDecision(result: CallbackResult): ReadDecision | UnreadDecision {
  const why = transportWhy(result);
  if (why !== undefined) return { read: false, why };
  const response = result.response!;
  if (response.status !== 200) return { read: false, why: `the handler answered HTTP ${response.status}, and the Co-signer reads a decision only from a 200 answer` };
  if (response.truncated) return { read: false, why: `the body went past the size cap (more than ${response.bodyBytes} bytes) and was not read to its end` };
  if (!response.complete) return { read: false, why: 'the body was not read to its end' };
  const action = result.decision.action;
  if (typeof action === 'string') return { read: true, action };
  // The checks say what was wrong with the body; name the first that failed.
  const failed = failedChecks(result).find((c) => c.id === 'body-format' || c.id === 'response-shape');
  if (failed) return { read: false, why: `the body did not decode to claims with a string "action" (${failed.id} failed: ${failed.message ?? failed.reason ?? 'failed'})` };
  return { read: false, why: `the body did not decode to claims with a string "action" (action is ${action === undefined ? 'missing' : JSON.stringify(action)})` };
}
