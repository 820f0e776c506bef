import { describe, expect, it } from 'vitest';
import { createRequestFactory } from '../protocol/factory.js';
import { resolveProfile } from '../protocol/profiles.js';
import { createPolicyState, decide, DEFAULT_POLICY, inferStage } from './policy.js';

const ALLOWED = '0x5dC69B1Fbb13Bafd09af88a782F0F285772Ad5f8';
const UNKNOWN = '0x000000000000000000000000000000000000dEaD';

/** A signing-stage transfer in the shape of the docs example [protocol.md §0.2], trimmed. */
function tx(overrides: Record<string, unknown> = {}, destination: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    txId: '9c794cee-7e27-46c9-9e9a-ed68295ff06b',
    operation: 'TRANSFER',
    destType: 'UNMANAGED',
    destAddress: ALLOWED,
    fee: '0.000597803762241000',
    destinations: [{ amountUSD: 18.74292937, dstType: 'UNMANAGED', dstAddress: ALLOWED, ...destination }],
    requestId: '9c794cee-7e27-46c9-9e9a-ed68295ff06b',
    ...overrides,
  };
}

describe('decide: tx_sign_request', () => {
  it('approves an allow-listed transfer under the limit', () => {
    expect(decide('tx_sign_request', tx(), createPolicyState())).toEqual({ action: 'APPROVE' });
  });

  it('rejects a transfer over the limit, naming the amount and the limit', () => {
    const payload = tx({}, { amountUSD: 250_000 });
    expect(decide('tx_sign_request', payload, createPolicyState())).toEqual({
      action: 'REJECT',
      rejectionReason: 'amount 250000.00 USD exceeds the limit of 100000 USD',
    });
  });

  it('sums amountUSD over all destinations and honours a configured limit', () => {
    const payload = tx({
      destinations: [
        { amountUSD: 60, dstType: 'VAULT' },
        { amountUSD: 50, dstType: 'VAULT' },
      ],
    });
    expect(decide('tx_sign_request', payload, createPolicyState(), { limitUsd: 100 })).toEqual({
      action: 'REJECT',
      rejectionReason: 'amount 110.00 USD exceeds the limit of 100 USD',
    });
    expect(decide('tx_sign_request', payload, createPolicyState(), { limitUsd: 110 }).action).toBe('APPROVE');
  });

  it('rejects a destination outside the allow-list, naming the address', () => {
    expect(decide('tx_sign_request', tx({}, { dstAddress: UNKNOWN }), createPolicyState())).toEqual({
      action: 'REJECT',
      rejectionReason: `destination ${UNKNOWN} is not in the allow-list`,
    });
  });

  it('compares addresses case-insensitively and falls back to displayDstAddress, then destAddress', () => {
    const state = createPolicyState();
    expect(decide('tx_sign_request', tx({}, { dstAddress: ALLOWED.toLowerCase() }), state).action).toBe('APPROVE');
    expect(decide('tx_sign_request', tx({}, { dstAddress: undefined, displayDstAddress: UNKNOWN }), state).rejectionReason).toContain(UNKNOWN);
    expect(decide('tx_sign_request', tx({ destAddress: UNKNOWN }, { dstAddress: undefined }), state).rejectionReason).toContain(UNKNOWN);
    expect(decide('tx_sign_request', tx({}, { dstAddress: UNKNOWN }), state, { allowList: [UNKNOWN.toUpperCase()] }).action).toBe('APPROVE');
  });

  it('always allows vault (internal) destinations', () => {
    expect(decide('tx_sign_request', tx({}, { dstType: 'VAULT', dstAddress: UNKNOWN }), createPolicyState()).action).toBe('APPROVE');
  });

  it('answers RETRY the first N times a csim-retry-N request is seen, then decides', () => {
    const state = createPolicyState();
    const payload = tx({ externalTxId: 'csim-retry-2-run7' }, { dstAddress: UNKNOWN });
    expect(decide('tx_sign_request', payload, state)).toEqual({ action: 'RETRY' });
    expect(decide('tx_sign_request', payload, state)).toEqual({ action: 'RETRY' });
    expect(decide('tx_sign_request', payload, state).action).toBe('REJECT');
    expect(decide('tx_sign_request', payload, state).action).toBe('REJECT');
    // another requestId has its own count; a fresh state (another handler) starts again
    expect(decide('tx_sign_request', { ...payload, requestId: 'other' }, state)).toEqual({ action: 'RETRY' });
    expect(decide('tx_sign_request', payload, createPolicyState())).toEqual({ action: 'RETRY' });
  });

  it('ignores externalTxIds that only look like the marker', () => {
    const state = createPolicyState();
    expect(decide('tx_sign_request', tx({ externalTxId: 'csim-retry-' }), state).action).toBe('APPROVE');
    expect(decide('tx_sign_request', tx({ externalTxId: 'csim-retry-2x' }), state).action).toBe('APPROVE');
    expect(decide('tx_sign_request', tx({ externalTxId: 'fire_tx_622_0' }), state).action).toBe('APPROVE');
    expect(state.seen.size).toBe(0);
  });
});

describe('decide: built payloads on both wires [protocol.md §14.4]', () => {
  for (const profile of ['sgx@3.5.0', 'latest']) {
    it(`judges ${profile} payloads by destinations, not by the top-level destAddressType or amountStr's padding`, () => {
      const f = createRequestFactory({ seed: 2, profile: resolveProfile(profile) });
      const judge = (p: object, allowList?: string[]) => decide('tx_sign_request', p as Record<string, unknown>, createPolicyState(), allowList === undefined ? {} : { allowList });
      for (const stage of ['approval', 'signing'] as const) {
        expect(judge(f.tx({ stage }).payload)).toEqual({ action: 'APPROVE' });
        const oneTime = f.tx({ stage, destType: 'ONE_TIME_ADDRESS' }).payload;
        const address = String(oneTime.destinations[0]?.dstAddress);
        expect(judge(oneTime)).toEqual({ action: 'REJECT', rejectionReason: `destination ${address} is not in the allow-list` });
        expect(judge(oneTime, [address])).toEqual({ action: 'APPROVE' });
        expect(judge(f.tx({ stage, payload: { amountStr: '250000' } }).payload)).toMatchObject({ action: 'REJECT', rejectionReason: expect.stringContaining('exceeds the limit') });
      }
    });
  }
});

describe('decide: config_change_sign_request', () => {
  it('approves a documented type', () => {
    const payload = { requestId: '5d7f3e0a', type: 'UNMANAGED_WALLET', extraInfo: { address: UNKNOWN } };
    expect(decide('config_change_sign_request', payload, createPolicyState())).toEqual({ action: 'APPROVE' });
  });

  it('ignores an unknown type', () => {
    const payload = { requestId: '5d7f3e0a', type: 'POLICY_CHANGE', extraInfo: {} };
    expect(decide('config_change_sign_request', payload, createPolicyState())).toEqual({ action: 'IGNORE' });
  });
});

describe('inferStage', () => {
  it('is signing when the payload has a fee, approval otherwise and for config changes', () => {
    expect(inferStage('tx_sign_request', tx())).toBe('signing');
    expect(inferStage('tx_sign_request', tx({ fee: undefined }))).toBe('approval');
    expect(inferStage('config_change_sign_request', { fee: '1' })).toBe('approval');
  });

  it('never yields IGNORE for a signing request', () => {
    const actions = [tx(), tx({}, { dstAddress: UNKNOWN }), tx({}, { amountUSD: 1e9 }), tx({ destinations: 'bogus' })].map(
      (p) => decide('tx_sign_request', p, createPolicyState()).action,
    );
    expect(actions).not.toContain('IGNORE');
  });
});

it('has the documented defaults', () => {
  expect(DEFAULT_POLICY.limitUsd).toBe(100_000);
  expect(DEFAULT_POLICY.allowList).toContain(ALLOWED);
});
