import { describe, expect, it } from 'vitest';
import { DEFAULT_DEST_ADDRESS } from './addresses.js';
import { CONFIG_EXTRA_INFO_KNOWN, configExtraInfo, isConfigChangeType, ROUTING_POLICY } from './config-templates.js';
import { DEFAULT_DEST_WALLET_ID } from './tx-templates.js';
import { CONFIG_CHANGE_TYPES } from './types.js';

describe('CONFIG_EXTRA_INFO_KNOWN', () => {
  it('has an entry for every documented type', () => {
    expect(Object.keys(CONFIG_EXTRA_INFO_KNOWN).sort()).toEqual([...CONFIG_CHANGE_TYPES].sort());
  });

  it('marks the documented shapes known and the rest "shape unknown" ({} extraInfo)', () => {
    const known = CONFIG_CHANGE_TYPES.filter((t) => CONFIG_EXTRA_INFO_KNOWN[t]);
    expect(known.sort()).toEqual(['ADD_NETWORK_CONNECTION', 'EXCHANGE', 'FIAT_ACCOUNT', 'SET_NETWORK_CONNECTION_ROUTING_POLICY', 'SET_NETWORK_ID_POLICY', 'UNMANAGED_WALLET']);
    for (const t of CONFIG_CHANGE_TYPES) {
      expect(Object.keys(configExtraInfo(t)).length > 0).toBe(CONFIG_EXTRA_INFO_KNOWN[t]);
    }
  });
});

describe('configExtraInfo [protocol.md §6]', () => {
  it('UNMANAGED_WALLET is an AddressInfo for the default destination wallet', () => {
    expect(configExtraInfo('UNMANAGED_WALLET')).toEqual({
      subType: 'EXTERNAL', walletName: 'Counterparty A', walletId: DEFAULT_DEST_WALLET_ID, asset: 'ETH', address: DEFAULT_DEST_ADDRESS, tag: '',
    });
    expect(Object.keys(configExtraInfo('UNMANAGED_WALLET'))).toEqual(['subType', 'walletName', 'walletId', 'asset', 'address', 'tag']);
  });

  it('EXCHANGE and FIAT_ACCOUNT are ThirdPartyInfo with addresses a JSON-encoded string', () => {
    for (const t of ['EXCHANGE', 'FIAT_ACCOUNT']) {
      const info = configExtraInfo(t);
      expect(Object.keys(info)).toEqual(['subType', 'accountName', 'accountId', 'apiKey', 'addresses']);
      expect(typeof info.addresses).toBe('string');
      expect(JSON.parse(String(info.addresses))).toBeTypeOf('object');
    }
  });

  it('network types carry a JSON-encoded routingPolicy', () => {
    expect(Object.keys(configExtraInfo('ADD_NETWORK_CONNECTION'))).toEqual(['networkConnectionId', 'note', 'localNetworkID', 'remoteTenantID', 'routingPolicy']);
    expect(Object.keys(configExtraInfo('SET_NETWORK_CONNECTION_ROUTING_POLICY'))).toEqual(['connectionId', 'routingPolicy']);
    expect(Object.keys(configExtraInfo('SET_NETWORK_ID_POLICY'))).toEqual(['networkID', 'routingPolicy']);
    expect(JSON.parse(ROUTING_POLICY)).toMatchObject({ crypto: { scheme: 'DEFAULT' } });
  });

  it('gives undocumented and unknown types {}', () => {
    expect(configExtraInfo('ADD_USER')).toEqual({});
    expect(configExtraInfo('TREASURY_MOVE')).toEqual({});
    // Not one of the documented 13, though newer Co-signers send it (a profile type, §14.5).
    expect(isConfigChangeType('POLICY_CHANGE')).toBe(false);
    expect(isConfigChangeType('EXCHANGE')).toBe(true);
  });

  it("gives the newer Co-signers' types a template of our own ([U] shape, §14.5)", () => {
    expect(Object.keys(configExtraInfo('PROTECTED_TAG_CHANGE'))).toEqual(['tagId', 'tagName', 'description', 'operation', 'vaultAccountId', 'vaultAccountName']);
    const policy = configExtraInfo('POLICY_CHANGE');
    expect(Object.keys(policy)).toEqual(['policyId', 'policyType', 'version', 'description', 'rules']);
    expect(JSON.parse(String(policy.rules))).toEqual([expect.objectContaining({ action: 'ALLOW' })]);
  });
});
