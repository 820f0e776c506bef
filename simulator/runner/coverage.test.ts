import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../protocol/profiles.js';
import type { CallbackResult, SentRequest } from '../protocol/types.js';
import { computeCoverage, coverageLines } from './coverage.js';
import type { ScenarioResult } from './types.js';

/** One recorded exchange: the request as sent and, when `action` is given, a readable answer. */
function exchange(request: Partial<SentRequest> & Pick<SentRequest, 'endpoint' | 'payload'>, action?: unknown): CallbackResult {
  const sent: SentRequest = { method: 'POST', url: 'https://127.0.0.1:1/v2/x', option: 4, stage: 'approval', requestId: 'r', body: '', headers: {}, ...request };
  return {
    request: sent,
    ...(action === undefined ? {} : { response: { status: 200, headers: {}, body: '', bodyBytes: 0, truncated: false, complete: true } }),
    decision: { action, hasRejectionReason: false },
    timings: { totalMs: 1 },
    checks: [],
    warnings: [],
    ok: true,
  };
}

function result(...attempts: CallbackResult[]): ScenarioResult {
  const final = attempts.at(-1)!;
  return {
    name: 's',
    file: 'f.yaml',
    option: 4,
    status: 'pass',
    steps: [{ endpoint: final.request.endpoint, stage: final.request.stage, attempts, final, expectation: { id: 'expectation', status: 'pass' } }],
    checks: [],
    warnings: [],
    durationMs: 1,
  };
}

const tx = (payload: Record<string, unknown>, extra: Partial<SentRequest> = {}) => ({ endpoint: 'tx_sign_request' as const, payload: payload as SentRequest['payload'], ...extra });

describe('computeCoverage', () => {
  it('counts every attempt with a readable answer, and only those', () => {
    const retried = result(exchange(tx({ operation: 'TRANSFER', destinations: [{ dstType: 'VAULT' }] }), 'RETRY'), exchange(tx({ operation: 'TRANSFER', destinations: [{ dstType: 'VAULT' }] }), 'APPROVE'));
    const silent = result(exchange(tx({ operation: 'BURN' })));
    const c = computeCoverage([retried, silent]);
    expect(c).toMatchObject({ exchanges: 2, unreadable: 1, actions: { RETRY: 1, APPROVE: 1, REJECT: 0, IGNORE: 0 } });
    expect(c.operations.seen).toMatchObject({ TRANSFER: 2, BURN: 0 });
    expect(c.destinationTypes.seen['VAULT']).toBe(2);
  });

  it('counts several destinations once per request and type, batches by a requestId that is not the txId, and missing optional fields', () => {
    const multi = exchange(tx({ operation: 'TRANSFER', destinations: [{ dstType: 'UNMANAGED' }, { dstType: 'UNMANAGED' }, { dstType: 'EXCHANGE' }] }, { stage: 'signing', txId: 't', requestId: 't_0', omittedFields: ['externalTxId'] }), 'APPROVE');
    const c = computeCoverage([result(multi)]);
    expect(c).toMatchObject({ severalDestinations: 1, batched: 1, optionalFieldsMissing: 1, kinds: { 'tx-signing': 1, 'tx-approval': 0 } });
    expect(c.destinationTypes.seen).toMatchObject({ UNMANAGED: 1, EXCHANGE: 1 });
    expect(coverageLines(c)[1]).not.toMatch(/several destinations|batched requests|optional fields/);
  });

  it('takes the config-type list from the profile, and keeps a type outside it apart', () => {
    const config = (type: string) => exchange({ endpoint: 'config_change_sign_request', payload: { type } }, 'IGNORE');
    const old = computeCoverage([result(config('POLICY_CHANGE')), result(config('ADD_USER'))], resolveProfile('sgx@3.3.0'));
    expect(Object.keys(old.configTypes.seen)).toHaveLength(13);
    expect(old.configTypes.other).toEqual({ POLICY_CHANGE: 1 });
    expect(old.configTypes.never).not.toContain('ADD_USER');
    const latest = computeCoverage([result(config('POLICY_CHANGE'))]);
    expect(Object.keys(latest.configTypes.seen)).toHaveLength(15);
    expect(latest.configTypes.other).toBeUndefined();
    expect(coverageLines(old).find((l) => l.startsWith('config types: '))).toBe(`config types: 12 of 13 never sent (${old.configTypes.never.join(', ')})`);
  });

  it('an empty run has exercised nothing, and says so', () => {
    expect(coverageLines(computeCoverage([]))[1]).toContain('never exercised: APPROVE answers, REJECT answers, RETRY answers, IGNORE answers');
  });
});
