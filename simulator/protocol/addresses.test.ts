import { describe, expect, it } from 'vitest';
import { DEFAULT_DEST_ADDRESS, DEFAULT_VAULT_ADDRESS, exampleAddress } from './addresses.js';
import { toChecksumAddress } from './keccak.js';

describe('exampleAddress', () => {
  it('returns the captured addresses for the default EVM destinations', () => {
    expect(exampleAddress('evm', 'UNMANAGED:0')).toBe(DEFAULT_DEST_ADDRESS);
    expect(exampleAddress('evm', 'VAULT:0')).toBe(DEFAULT_VAULT_ADDRESS);
    expect(DEFAULT_DEST_ADDRESS).toBe('0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94');
  });

  it('derives other EVM addresses as valid, stable EIP-55 addresses', () => {
    const a = exampleAddress('evm', 'EXCHANGE:0');
    expect(a).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(toChecksumAddress(a)).toBe(a);
    expect(exampleAddress('evm', 'EXCHANGE:0')).toBe(a);
    expect(exampleAddress('evm', 'EXCHANGE:1')).not.toBe(a);
  });

  it('shapes addresses of the other chains', () => {
    expect(exampleAddress('btc', 'UNMANAGED:0')).toBe('bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh');
    expect(exampleAddress('btc', 'VAULT:3')).toMatch(/^bc1q[02-9ac-hj-np-z]{38}$/);
    expect(exampleAddress('btc-test', 'VAULT:0')).toMatch(/^tb1q[02-9ac-hj-np-z]{38}$/);
    expect(exampleAddress('doge', 'UNMANAGED:0')).toBe('DPaEkQWvZAPmxnzPYtsFicsgWMvPUfNxvc');
    expect(exampleAddress('doge', 'VAULT:0')).toMatch(/^D[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(exampleAddress('sol', 'VAULT:0')).toMatch(/^[1-9A-HJ-NP-Za-km-z]{44}$/);
  });
});
