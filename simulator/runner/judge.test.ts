import { describe, expect, it } from 'vitest';
import { CHECK_IDS, type CallbackResult, type CheckOutcome } from '../protocol/types.js';
import { judgeExpectation } from './judge.js';

const REQUEST_ID = '9c794cee-7e27-46c9-9e9a-ed68295ff06b';

/** A recorded exchange where every check passed, with the given decision and status. */
function result(o: { action?: string; rejectionReason?: unknown; status?: number; totalMs?: number; failed?: Partial<CheckOutcome>[] } = {}): CallbackResult {
  const status = o.status ?? 200;
  const checks: CheckOutcome[] = CHECK_IDS.map((id) => ({ id, status: 'pass' }));
  for (const f of o.failed ?? []) {
    const i = checks.findIndex((c) => c.id === f.id);
    checks[i] = { ...checks[i]!, status: 'fail', message: 'broken', ...f } as CheckOutcome;
  }
  const has = Object.prototype.hasOwnProperty.call(o, 'rejectionReason');
  return {
    request: { method: 'POST', endpoint: 'tx_sign_request', url: 'https://127.0.0.1/v2/tx_sign_request', option: 4, stage: 'signing', requestId: REQUEST_ID, txId: REQUEST_ID, payload: {}, body: '', headers: {} },
    response: { status, headers: {}, body: '', bodyBytes: 0, truncated: false, complete: true },
    decision: { ...(o.action !== undefined ? { action: o.action, requestId: REQUEST_ID } : {}), ...(has ? { rejectionReason: o.rejectionReason } : {}), hasRejectionReason: has },
    timings: { totalMs: o.totalMs ?? 12 },
    checks,
    warnings: [],
    ok: checks.every((c) => c.status !== 'fail'),
  };
}

describe('judgeExpectation', () => {
  it('passes when the decision matches, with a message saying what held', () => {
    const v = judgeExpectation({ action: 'REJECT', rejectionReason: /limit/i, withinMs: 2000 }, result({ action: 'REJECT', rejectionReason: 'amount 250000.00 USD exceeds the limit of 100000 USD' }));
    expect(v.ok).toBe(true);
    expect(v.expectation).toMatchObject({ id: 'expectation', status: 'pass', message: 'REJECT, rejectionReason /limit/i, within 2000ms as expected' });
    expect(v.checks.map((c) => c.status)).toEqual(CHECK_IDS.map(() => 'pass'));
  });

  it('fails only expectation when the action differs', () => {
    const v = judgeExpectation({ action: 'REJECT' }, result({ action: 'APPROVE' }));
    expect(v.ok).toBe(false);
    expect(v.expectation).toMatchObject({ status: 'fail', message: 'expected REJECT, received APPROVE', expected: { action: 'REJECT' }, received: { action: 'APPROVE' }, hint: expect.any(String) });
    expect(v.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('says "no decision" when the response carried none', () => {
    const v = judgeExpectation({ action: 'APPROVE' }, result({ failed: [{ id: 'body-format' }] }));
    expect(v.expectation.message).toBe('expected APPROVE, received no decision');
  });

  it('matches rejectionReason exactly as a string and by test() as a RegExp, and null as none', () => {
    const r = result({ action: 'REJECT', rejectionReason: 'destination 0xdead is not in the allow-list' });
    expect(judgeExpectation({ rejectionReason: 'destination 0xdead is not in the allow-list' }, r).ok).toBe(true);
    expect(judgeExpectation({ rejectionReason: 'destination 0xdead' }, r).expectation.message).toBe(
      'rejectionReason: expected "destination 0xdead", received "destination 0xdead is not in the allow-list"',
    );
    expect(judgeExpectation({ rejectionReason: /ALLOW-LIST/i }, r).ok).toBe(true);
    const g = /allow/g;
    expect(judgeExpectation({ rejectionReason: g }, r).ok).toBe(true);
    expect(judgeExpectation({ rejectionReason: g }, r).ok).toBe(true); // lastIndex is reset
    expect(judgeExpectation({ rejectionReason: null }, result({ action: 'APPROVE' })).ok).toBe(true);
    expect(judgeExpectation({ rejectionReason: null }, result({ action: 'APPROVE', rejectionReason: '' })).ok).toBe(true);
    expect(judgeExpectation({ rejectionReason: null }, r).expectation.message).toBe('rejectionReason: expected no rejectionReason, received "destination 0xdead is not in the allow-list"');
    expect(judgeExpectation({ rejectionReason: /limit/ }, result({ action: 'REJECT' })).expectation.message).toBe('rejectionReason: expected /limit/, received none');
  });

  it('fails over the latency budget, judging the slowest attempt', () => {
    const slow = result({ action: 'RETRY', totalMs: 2600 });
    const fast = result({ action: 'APPROVE', totalMs: 20 });
    const v = judgeExpectation({ action: 'APPROVE', withinMs: 2000 }, fast, [slow, fast]);
    expect(v.expectation).toMatchObject({ status: 'fail', message: 'took 2600ms, over the 2000ms budget' });
  });

  it('lists every failed expectation in one message, and counts re-sends', () => {
    const r = result({ action: 'RETRY', totalMs: 50 });
    const v = judgeExpectation({ action: 'APPROVE', withinMs: 10 }, r, [r, r, r, r]);
    expect(v.expectation.message).toBe('expected APPROVE, received RETRY (after 3 re-sends); took 50ms, over the 10ms budget');
    expect(v.expectation.hint).toContain('retry.max');
  });

  it('with status: 401, passes a refusal and skips the response checks after http-status', () => {
    const refused = result({ status: 401, failed: [{ id: 'http-status', message: 'handler answered 401' }] });
    refused.checks = refused.checks.map((c) => (CHECK_IDS.indexOf(c.id) > CHECK_IDS.indexOf('http-status') ? { id: c.id, status: 'skip', reason: 'blocked' } : c));
    const v = judgeExpectation({ status: 401 }, refused);
    expect(v.ok).toBe(true);
    expect(v.expectation).toMatchObject({ status: 'pass', message: 'status 401 as expected' });
    expect(v.checks.find((c) => c.id === 'http-status')).toMatchObject({ status: 'pass', message: 'handler answered 401 as expected' });
    expect(v.checks.find((c) => c.id === 'tls')).toMatchObject({ status: 'pass' });
    for (const id of ['body-format', 'jwt-alg', 'jwt-signature', 'response-shape', 'request-id', 'action', 'rejection-reason']) {
      expect(v.checks.find((c) => c.id === id)).toMatchObject({ status: 'skip', message: 'refusal expected' });
    }
  });

  it('with status: 401, fails expectation when the handler accepted the request', () => {
    const v = judgeExpectation({ status: 401 }, result({ action: 'APPROVE' }));
    expect(v.ok).toBe(false);
    expect(v.expectation).toMatchObject({ status: 'fail', message: 'expected status 401, received 200', hint: expect.stringContaining('verify the request signature') });
    expect(v.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('with status: refused, passes a 401 or a 403 and skips the response checks after http-status', () => {
    for (const code of [401, 403]) {
      const v = judgeExpectation({ status: 'refused' }, result({ status: code, failed: [{ id: 'http-status', message: `handler answered ${code}` }] }));
      expect(v.ok, String(code)).toBe(true);
      expect(v.expectation).toMatchObject({ status: 'pass', message: `status ${code} as expected`, expected: { status: 'refused' }, received: { status: code } });
      expect(v.checks.find((c) => c.id === 'http-status')).toMatchObject({ status: 'pass', message: `handler answered ${code} as expected` });
      expect(v.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'skip', reason: 'refusal-expected' });
    }
  });

  it('with status: refused, fails on an acceptance and on another error status', () => {
    const accepted = judgeExpectation({ status: 'refused' }, result({ action: 'APPROVE' }));
    expect(accepted.expectation).toMatchObject({ status: 'fail', message: 'expected status refused (401 or 403), received 200', hint: expect.stringContaining('verify the request signature') });
    const crashed = judgeExpectation({ status: 'refused' }, result({ status: 500, failed: [{ id: 'http-status', message: 'handler answered 500' }] }));
    expect(crashed.ok).toBe(false);
    expect(crashed.expectation).toMatchObject({ status: 'fail', message: 'expected status refused (401 or 403), received 500', hint: expect.stringContaining('http-status') });
    expect(crashed.checks.find((c) => c.id === 'http-status')?.status).toBe('fail');
    expect(crashed.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'skip', reason: 'refusal-expected' });
  });

  it('with a list of statuses, passes any of them and names them all when none came', () => {
    const notFound = result({ status: 404, failed: [{ id: 'http-status', message: 'handler answered 404' }] });
    expect(judgeExpectation({ status: [404, 405] }, notFound).ok).toBe(true);
    expect(judgeExpectation({ status: [401] }, notFound).expectation.message).toBe('expected status 401, received 404');
    expect(judgeExpectation({ status: [401, 403] }, notFound).expectation.message).toBe('expected status one of 401, 403, received 404');
    // 200 in the list: a 200 is judged as a decision, a listed refusal as a refusal.
    const either = judgeExpectation({ status: [200, 401] }, result({ action: 'APPROVE' }));
    expect(either.ok).toBe(true);
    expect(either.checks.every((c) => c.status === 'pass')).toBe(true);
    const refused = judgeExpectation({ status: [200, 401] }, result({ status: 401, failed: [{ id: 'http-status' }] }));
    expect(refused.ok).toBe(true);
    expect(refused.checks.find((c) => c.id === 'request-id')).toMatchObject({ status: 'skip', reason: 'refusal-expected' });
  });

  it('with status: refused, fails when no response arrived at all', () => {
    const r = result({ failed: [{ id: 'connect', message: 'reset' }] });
    delete r.response;
    const v = judgeExpectation({ status: 'refused' }, r);
    expect(v.ok).toBe(false);
    expect(v.expectation.message).toBe('expected status refused (401 or 403), received no response');
  });

  it('turns a failChecks check that failed into a pass, and fails expectation when it did not fail', () => {
    const broken = result({ action: 'APPROVE', failed: [{ id: 'jwt-signature', message: 'does not verify' }] });
    const v = judgeExpectation({ failChecks: ['jwt-signature'] }, broken);
    expect(v.ok).toBe(true);
    expect(v.checks.find((c) => c.id === 'jwt-signature')).toMatchObject({ status: 'pass', message: 'failed as expected: does not verify' });
    const w = judgeExpectation({ failChecks: ['request-id'] }, broken);
    expect(w.ok).toBe(false);
    expect(w.expectation.message).toBe('expected check request-id to fail, but it passed');
    expect(w.checks.find((c) => c.id === 'jwt-signature')?.status).toBe('fail');
  });

  it('passes with no expectations, leaving the verdict to the checks', () => {
    expect(judgeExpectation({}, result({ action: 'APPROVE' })).expectation).toMatchObject({ status: 'pass', message: 'no expectations set: the response checks decide' });
    expect(judgeExpectation({}, result({ action: 'APPROVE', failed: [{ id: 'request-id' }] })).ok).toBe(false);
  });
});
