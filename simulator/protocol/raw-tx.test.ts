import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEST_ADDRESS, DEFAULT_VAULT_ADDRESS } from './addresses.js';
import { keccak256 } from './keccak.js';
import { assetInfo } from './prices.js';
import { abiCall, bigintBytes, buildRawTx, encodeEip1559Unsigned, keyDerivationPath, rlpEncode } from './raw-tx.js';
import { createRng } from './rng.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('rlpEncode', () => {
  it('encodes the yellow-paper examples', () => {
    expect(hex(rlpEncode(new TextEncoder().encode('dog')))).toBe('83646f67');
    expect(hex(rlpEncode([new TextEncoder().encode('cat'), new TextEncoder().encode('dog')]))).toBe('c88363617483646f67');
    expect(hex(rlpEncode(new Uint8Array()))).toBe('80');
    expect(hex(rlpEncode([]))).toBe('c0');
    expect(hex(rlpEncode(Uint8Array.of(0x0f)))).toBe('0f');
    expect(hex(rlpEncode(bigintBytes(1024n)))).toBe('820400');
    expect(hex(rlpEncode(new Uint8Array(56)))).toBe(`b838${'00'.repeat(56)}`);
  });
});

describe('encodeEip1559Unsigned', () => {
  it('reproduces both rawTx strings of the docs ETH example [protocol.md §0.2, §10.2]', () => {
    const tx = (maxFeePerGas: bigint) =>
      hex(encodeEip1559Unsigned({
        chainId: 1, nonce: 4, maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas, gasLimit: 21000,
        to: DEFAULT_VAULT_ADDRESS, value: 10_000_000_000_000_000n, data: new Uint8Array(),
      }));
    expect(tx(28466845821n)).toBe('02ef0104843b9aca008506a0c1987d825208945dc69b1fbb13bafd09af88a782f0f285772ad5f8872386f26fc1000080c0');
    expect(tx(27821981317n)).toBe('02ef0104843b9aca0085067a51be85825208945dc69b1fbb13bafd09af88a782f0f285772ad5f8872386f26fc1000080c0');
  });
});

describe('keyDerivationPath', () => {
  it('prints the bracketed form with spaces and the vault account', () => {
    expect(keyDerivationPath(60, '0')).toBe('[ 44, 60, 0, 0, 0 ]');
    expect(keyDerivationPath(0, '11')).toBe('[ 44, 0, 11, 0, 0 ]');
    expect(keyDerivationPath(0, 'not-a-number')).toBe('[ 44, 0, 0, 0, 0 ]');
  });
});

describe('buildRawTx', () => {
  it('builds the docs example for a 0.01 ETH leg with nonce 4 (payload = keccak of rawTx)', () => {
    const [el] = buildRawTx({ asset: assetInfo('ETH'), sourceId: '0', nonce: 4, rng: createRng(1), legs: [{ to: DEFAULT_VAULT_ADDRESS, value: 10n ** 16n }] });
    expect(el).toEqual({
      keyDerivationPath: '[ 44, 60, 0, 0, 0 ]',
      rawTx: '02ef0104843b9aca0085067a51be85825208945dc69b1fbb13bafd09af88a782f0f285772ad5f8872386f26fc1000080c0',
      payload: '6ca18c47ccd8dd47bb0b0b0c73cc5237bbff9d0eaae469ca65a672329643bfda',
    });
  });

  it('numbers several EVM legs with consecutive nonces and carries calldata', () => {
    const data = abiCall('a9059cbb', [DEFAULT_DEST_ADDRESS, 1_000_000n]);
    expect(hex(data)).toBe(`a9059cbb${'0'.repeat(24)}1eab7d412a25a5d00ec3d04648aa54cea4ab7e94${'0'.repeat(58)}0f4240`);
    const els = buildRawTx({ asset: assetInfo('USDC'), sourceId: '0', nonce: 9, rng: createRng(1), legs: [{ to: DEFAULT_DEST_ADDRESS, value: 0n, data }, { to: DEFAULT_DEST_ADDRESS, value: 0n }] });
    expect(els).toHaveLength(2);
    expect(els[0]?.rawTx).toContain(hex(data));
    expect(els[0]?.rawTx).toMatch(/^02f8..0109/); // chain 1, nonce 9
    expect(els[1]?.rawTx).toMatch(/^02..010a/); // short list, nonce 10
    for (const el of els) expect(el.payload).toBe(hex(keccak256(Buffer.from(String(el.rawTx), 'hex'))));
  });

  it('gives UTXO elements a double-SHA-256 payload and the coin type in the path', () => {
    const [el] = buildRawTx({ asset: assetInfo('BTC'), sourceId: '2', nonce: 0, rng: createRng(1), legs: [{ to: 'bc1q', value: 1n }] });
    const raw = Buffer.from(String(el?.rawTx), 'hex');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest();
    expect(el?.payload).toBe(sha(sha(raw)).toString('hex'));
    expect(el?.keyDerivationPath).toBe('[ 44, 0, 2, 0, 0 ]');
  });

  it('signs messages for operations without a destination', () => {
    const hash = new Uint8Array(32).fill(1);
    const text = new TextEncoder().encode('{"a":1}');
    const els = buildRawTx({ asset: assetInfo('ETH'), sourceId: '0', nonce: 0, rng: createRng(1), legs: [], messages: [hash, text] });
    expect(els.map((e) => e.payload)).toEqual([hex(hash), hex(keccak256(text))]);
  });
});
