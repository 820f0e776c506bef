import { describe, expect, it } from 'vitest';
import { configExtraInfo } from './config-templates.js';
import { createRequestFactory } from './factory.js';
import { UUID_V4_RE } from './rng.js';
import { serializePayload } from './serialize.js';
import { resolveProfile } from './profiles.js';
import { CONFIG_CHANGE_TYPES } from './types.js';

const f = () => createRequestFactory({ seed: 5 });

describe('config_change_sign_request', () => {
  it('defaults to an UNMANAGED_WALLET approval with requestId, signerId, type, extraInfo in that order', () => {
    const fac = f();
    const built = fac.configChange();
    expect(built).toMatchObject({ endpoint: 'config_change_sign_request', stage: 'approval' });
    expect(Object.keys(built.payload)).toEqual(['requestId', 'signerId', 'type', 'extraInfo']);
    expect(built.payload.requestId).toMatch(UUID_V4_RE);
    expect(built.requestId).toBe(built.payload.requestId);
    expect(built.payload.signerId).toBe(fac.signerId);
    expect(built.payload.type).toBe('UNMANAGED_WALLET');
    expect(built).not.toHaveProperty('txId');
  });

  it('builds every documented type with its extraInfo', () => {
    // Under every wire, and without signerId before SGX 3.5.0 [protocol.md §14.1].
    for (const profile of ['latest', 'sgx@3.5.0', 'sgx@3.3.0']) {
      for (const type of CONFIG_CHANGE_TYPES) {
        const { payload } = createRequestFactory({ seed: 5, profile: resolveProfile(profile) }).configChange({ type });
        expect(payload.type).toBe(type);
        expect(payload.extraInfo).toEqual(configExtraInfo(type));
        expect(Object.keys(payload)).toEqual(profile === 'sgx@3.3.0' ? ['requestId', 'type', 'extraInfo'] : ['requestId', 'signerId', 'type', 'extraInfo']);
      }
    }
  });

  it('accepts unknown types with extraInfo {}', () => {
    const { payload } = f().configChange({ type: 'POLICY_CHANGE' });
    expect(payload).toMatchObject({ type: 'POLICY_CHANGE', extraInfo: {} });
  });

  it('derives extraInfo from payload.type, merges overrides and unsets paths', () => {
    const { payload } = f().configChange({ payload: { type: 'EXCHANGE', 'extraInfo.accountName': 'OKX Main' }, unset: ['signerId'] });
    expect(payload.extraInfo).toMatchObject({ subType: 'BINANCE', accountName: 'OKX Main' });
    expect(payload).not.toHaveProperty('signerId');
    expect(() => f().configChange({ unset: ['type.x'] })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH' }));
  });

  it('sends exact payloads as given', () => {
    const given = { type: 'ADD_USER', extraInfo: { whatever: 1 } };
    const built = f().configChange({ exact: true, payload: given });
    expect(built.payload).toEqual(given);
    expect(built.requestId).toBe('');
    expect(serializePayload(built.payload)).toBe('{"type":"ADD_USER","extraInfo":{"whatever":1}}');
    expect(() => f().configChange({ exact: true, type: 'X', payload: {} })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });

  it('makes a fresh requestId each time', () => {
    const fac = f();
    expect(fac.configChange().requestId).not.toBe(fac.configChange().requestId);
  });
});
