import type { MatcherState } from 'vitest';
import { InvalidArgumentError } from '../simulator/errors.js';
import { assertCallbackResult, toResult, type SyncExpectationResult } from './format.js';

/**
 * Passes when the whole answer (connect, TLS, status, body) arrived within `ms` milliseconds
 * without a transport failure. The Co-signer gives up after 30 s; a handler that needs long
 * should answer RETRY.
 *
 * @example
 * expect(await cosigner.sendTx()).toRespondWithin(1_000);
 */
export function toRespondWithin(this: MatcherState, received: unknown, ms: number): SyncExpectationResult {
  assertCallbackResult(received, 'toRespondWithin');
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(`toRespondWithin: ms must be a positive number of milliseconds, got ${typeof ms === 'number' ? String(ms) : typeof ms}`, {
      hint: 'e.g. expect(res).toRespondWithin(1_000)',
    });
  }
  const took = Math.round(received.timings.totalMs);
  const failure = received.transportFailure;
  const answered = failure === undefined && received.response?.complete === true;
  const pass = answered && received.timings.totalMs <= ms;
  const problem = !answered
    ? `Expected an answer within ${ms} ms, but the handler did not answer: ${failure ? `${failure.check} failed after ${took} ms: ${failure.message}` : `the body was incomplete after ${took} ms`}`
    : `Expected an answer within ${ms} ms, but it took ${took} ms`;
  return toResult(this, received, pass, {
    matcherName: 'toRespondWithin',
    argument: String(ms),
    problems: [problem],
    notProblems: [`Expected the handler not to answer within ${ms} ms, but it answered in ${took} ms:`],
  });
}
