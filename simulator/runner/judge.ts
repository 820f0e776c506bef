import { CHECK_IDS, type CallbackResult, type CheckId } from '../protocol/types.js';
import type { StatusExpectation } from '../suite/types.js';
import type { ScenarioCheckOutcome, ScenarioExpect, TextMatcher } from './types.js';

/** A step's verdict: its response checks as the scenario sees them, and its own `expectation`. */
export interface ExpectationVerdict {
  /**
   * The final attempt's checks, adjusted by the expectations: with `status` set (not 200) the
   * checks after `http-status` are skipped ("refusal expected") and `http-status` passes when the
   * status matches; a check listed in `failChecks` that failed passes ("failed as expected").
   */
  checks: ScenarioCheckOutcome[];
  expectation: ScenarioCheckOutcome;
  /** True when no check failed and the expectation held. */
  ok: boolean;
}

const AFTER_HTTP_STATUS: readonly CheckId[] = CHECK_IDS.slice(CHECK_IDS.indexOf('http-status') + 1);

/**
 * Judge one step's expectations against its final attempt. Pure: no I/O, no clock.
 *
 * `attempts` is every attempt of the step (the final one last); the latency budget applies to
 * each of them (the slowest counts), since every request must be answered in time.
 *
 * @example
 * const v = judgeExpectation({ action: 'REJECT', rejectionReason: /limit/i }, result);
 * v.expectation.status;  // 'fail'
 * v.expectation.message; // 'expected REJECT, received APPROVE'
 */
export function judgeExpectation(expect: ScenarioExpect, final: CallbackResult, attempts: readonly CallbackResult[] = [final]): ExpectationVerdict {
  const failures: string[] = [];
  const hints: string[] = [];
  const expected: Record<string, unknown> = {};
  const received: Record<string, unknown> = {};
  const status = final.response?.status;
  const accepted = expect.status === undefined ? undefined : acceptedStatuses(expect.status);
  // 200 not among the accepted codes: the handler must refuse, so the checks of a decision do not apply.
  const refusal = accepted !== undefined && !accepted.includes(200);
  const statusMatches = accepted !== undefined && status !== undefined && accepted.includes(status);

  let checks: ScenarioCheckOutcome[] = final.checks.map((c) => ({ ...c }));

  if (expect.status !== undefined) {
    expected['status'] = expect.status;
    received['status'] = status ?? null;
    if (!statusMatches) {
      failures.push(`expected status ${describeStatus(expect.status)}, received ${status === undefined ? 'no response' : status}`);
      hints.push(
        status === 200 && refusal
          ? 'the handler accepted a request it should have refused: does it verify the request signature?'
          : 'see the http-status and transport checks for what the handler answered',
      );
    }
  }
  if (statusMatches && status !== 200) {
    checks = checks.map((c) => {
      if (c.id === 'http-status') return { id: c.id, status: 'pass', message: `handler answered ${status} as expected`, expected: expect.status, received: status };
      if ((AFTER_HTTP_STATUS as readonly string[]).includes(c.id)) return { id: c.id, status: 'skip', reason: 'refusal-expected', message: 'refusal expected' };
      return c;
    });
  } else if (refusal) {
    checks = checks.map((c) => ((AFTER_HTTP_STATUS as readonly string[]).includes(c.id) ? { id: c.id, status: 'skip', reason: 'refusal-expected', message: 'refusal expected' } : c));
  }

  for (const id of expect.failChecks ?? []) {
    const i = checks.findIndex((c) => c.id === id);
    const c = checks[i];
    if (c && c.status === 'fail') {
      checks[i] = { ...c, status: 'pass', reason: 'failed-as-expected', message: `failed as expected: ${c.message ?? c.reason ?? id}` };
    } else {
      failures.push(`expected check ${id} to fail, but it ${c ? (c.status === 'pass' ? 'passed' : `was skipped${c.message ? ` (${c.message})` : ''}`) : 'did not run'}`);
      hints.push('failChecks lists checks that this deliberately broken exchange must fail');
    }
  }

  const action = final.decision.action;
  const retried = attempts.length > 1 ? ` (after ${attempts.length - 1} re-send${attempts.length === 2 ? '' : 's'})` : '';
  if (expect.action !== undefined) {
    expected['action'] = expect.action;
    received['action'] = action ?? null;
    if (action !== expect.action) {
      failures.push(`expected ${expect.action}, received ${describeAction(action)}${retried}`);
      hints.push(
        action === 'RETRY' && attempts.length > 1
          ? 'the handler still answered RETRY after every re-send: raise retry.max, or check that it decides once the work is done'
          : action === undefined
            ? 'the response carried no decision: see the failed checks above'
            : 'the handler decided otherwise: check its policy against this request (the payload is in the result)',
      );
    }
  }

  if (expect.rejectionReason !== undefined) {
    const reason = final.decision.rejectionReason;
    expected['rejectionReason'] = expect.rejectionReason instanceof RegExp ? String(expect.rejectionReason) : expect.rejectionReason;
    received['rejectionReason'] = reason ?? null;
    if (!matchesReason(expect.rejectionReason, reason)) {
      failures.push(`rejectionReason: expected ${describeMatcher(expect.rejectionReason)}, received ${reason === undefined ? 'none' : JSON.stringify(reason)}`);
      hints.push('the rejectionReason text goes to the audit log; match it with a /regex/ when the exact words may change');
    }
  }

  if (expect.withinMs !== undefined) {
    const slowest = Math.max(...attempts.map((a) => a.timings.totalMs));
    expected['withinMs'] = expect.withinMs;
    received['totalMs'] = Math.round(slowest);
    if (slowest > expect.withinMs) {
      failures.push(`took ${Math.round(slowest)}ms, over the ${expect.withinMs}ms budget`);
      hints.push('the handler answered too slowly for this scenario: the Co-signer fails a request after 30 s, and slow answers hold up every transaction');
    }
  }

  const expectation: ScenarioCheckOutcome =
    failures.length > 0
      ? { id: 'expectation', status: 'fail', reason: 'mismatch', message: failures.join('; '), hint: [...new Set(hints)].join('; '), expected, received }
      : { id: 'expectation', status: 'pass', message: passMessage(expect, action, status, retried), expected, received };
  return { checks, expectation, ok: expectation.status !== 'fail' && checks.every((c) => c.status !== 'fail') };
}

/** The two answers real handlers give a forged request: 401 (the docs' example) and 403 [protocol.md §0.5.9]. */
export const REFUSAL_STATUSES: readonly number[] = [401, 403];

/** The status codes an expectation accepts. */
function acceptedStatuses(e: StatusExpectation): readonly number[] {
  if (e === 'refused') return REFUSAL_STATUSES;
  return typeof e === 'number' ? [e] : e;
}

/** `401`, `one of 401, 404`, `refused (401 or 403)`. */
function describeStatus(e: StatusExpectation): string {
  if (e === 'refused') return 'refused (401 or 403)';
  if (typeof e === 'number') return String(e);
  return e.length === 1 ? String(e[0]) : `one of ${e.join(', ')}`;
}

function passMessage(expect: ScenarioExpect, action: unknown, status: number | undefined, retried: string): string {
  const parts: string[] = [];
  if (expect.status !== undefined) parts.push(`status ${status}`);
  if (expect.action !== undefined) parts.push(`${String(action)}${retried}`);
  if (expect.rejectionReason !== undefined) parts.push(expect.rejectionReason === null ? 'no rejectionReason' : `rejectionReason ${describeMatcher(expect.rejectionReason)}`);
  if (expect.withinMs !== undefined) parts.push(`within ${expect.withinMs}ms`);
  if (expect.failChecks?.length) parts.push(`${expect.failChecks.join(', ')} failed`);
  return parts.length > 0 ? `${parts.join(', ')} as expected` : 'no expectations set: the response checks decide';
}

/** `null` expects no reason (absent, null or empty); a string matches exactly; a RegExp by test(). */
function matchesReason(matcher: TextMatcher | null, reason: unknown): boolean {
  if (matcher === null) return reason === undefined || reason === null || reason === '';
  if (typeof reason !== 'string') return false;
  if (typeof matcher === 'string') return reason === matcher;
  matcher.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
  return matcher.test(reason);
}

function describeMatcher(matcher: TextMatcher | null): string {
  if (matcher === null) return 'no rejectionReason';
  return typeof matcher === 'string' ? JSON.stringify(matcher) : String(matcher);
}

function describeAction(action: unknown): string {
  if (action === undefined) return 'no decision';
  return typeof action === 'string' ? action : JSON.stringify(action);
}
