import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEST_ADDRESS, DEFAULT_VAULT_ADDRESS } from './addresses.js';
import { keccak256, toChecksumAddress } from './keccak.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('keccak256', () => {
  it('matches the standard test vectors', () => {
    expect(hex(keccak256(new Uint8Array()))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    expect(hex(keccak256(new TextEncoder().encode('abc')))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });

  it('hashes inputs longer than one block (136 bytes) and exactly one block', () => {
    expect(hex(keccak256(new Uint8Array(200).fill(7)))).toBe('4143ef737e81b990c8b604140712d1b0667457ad90b65918a9fa319d00c5b361');
    expect(keccak256(new Uint8Array(136))).toHaveLength(32);
  });

  it('is Keccak, not the standard SHA3-256 (which pads differently), and takes Buffers', () => {
    const abc = Buffer.from('abc');
    expect(hex(keccak256(abc))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
    expect(hex(keccak256(abc))).not.toBe(createHash('sha3-256').update(abc).digest('hex'));
  });

  it('gives the rawTx payload of the docs ETH example from its rawTx [protocol.md §0.2, §10.2]', () => {
    const raw = '02ef0104843b9aca0085067a51be85825208945dc69b1fbb13bafd09af88a782f0f285772ad5f8872386f26fc1000080c0';
    expect(hex(keccak256(Buffer.from(raw, 'hex')))).toBe('6ca18c47ccd8dd47bb0b0b0c73cc5237bbff9d0eaae469ca65a672329643bfda');
  });
});

describe('toChecksumAddress', () => {
  it('matches the EIP-55 examples', () => {
    for (const a of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB']) {
      expect(toChecksumAddress(a.toLowerCase())).toBe(a);
    }
  });

  it('confirms the default addresses are valid EIP-55 addresses', () => {
    expect(toChecksumAddress(DEFAULT_DEST_ADDRESS)).toBe(DEFAULT_DEST_ADDRESS);
    expect(toChecksumAddress(DEFAULT_VAULT_ADDRESS)).toBe(DEFAULT_VAULT_ADDRESS);
  });
});
