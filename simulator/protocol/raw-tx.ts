import { createHash } from 'node:crypto';
import { keccak256 } from './keccak.js';
import type { AssetInfo } from './prices.js';
import type { Rng } from './rng.js';
import type { JsonObject } from './types.js';

/**
 * An RLP item: a byte string or a list of items.
 *
 * @example
 * const item: RlpItem = [Uint8Array.of(1), []];
 */
export type RlpItem = Uint8Array | readonly RlpItem[];

function lengthPrefix(len: number, short: number): Uint8Array {
  if (len < 56) return Uint8Array.of(short + len);
  const lenBytes = bigintBytes(BigInt(len));
  return Uint8Array.of(short + 55 + lenBytes.length, ...lenBytes);
}

/**
 * The minimal big-endian bytes of a non-negative integer (zero is the empty string, as RLP wants).
 *
 * @example
 * bigintBytes(21000n) // Uint8Array [0x52, 0x08]
 */
export function bigintBytes(n: bigint): Uint8Array {
  if (n < 0n) throw new RangeError('RLP integers are non-negative');
  if (n === 0n) return new Uint8Array();
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/**
 * Recursive Length Prefix encoding (Ethereum yellow paper, appendix B).
 *
 * @example
 * Buffer.from(rlpEncode([Uint8Array.of(1), []])).toString('hex') // 'c201c0'
 */
export function rlpEncode(item: RlpItem): Uint8Array {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && (item[0] ?? 0) < 0x80) return item;
    return Buffer.concat([lengthPrefix(item.length, 0x80), item]);
  }
  const body = Buffer.concat((item as readonly RlpItem[]).map(rlpEncode));
  return Buffer.concat([lengthPrefix(body.length, 0xc0), body]);
}

/**
 * The fields of an unsigned EIP-1559 (type 2) transaction.
 *
 * @example
 * const tx: Eip1559Tx = { chainId: 1, nonce: 0, maxPriorityFeePerGas: 1n, maxFeePerGas: 2n, gasLimit: 21000,
 *   to: DEFAULT_DEST_ADDRESS, value: 1n, data: new Uint8Array() };
 */
export interface Eip1559Tx {
  chainId: number;
  nonce: number;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
  gasLimit: number;
  /** 0x-prefixed 20-byte address. */
  to: string;
  /** wei */
  value: bigint;
  data: Uint8Array;
}

/**
 * `0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, []])`,
 * the form the docs show in `rawTx[].rawTx`; its Keccak-256 is `rawTx[].payload` [protocol.md §4.3].
 *
 * @example
 * // the docs' example (protocol.md §0.2): nonce 4, 0.01 ETH to 0x5dC6…d5f8
 * Buffer.from(encodeEip1559Unsigned({ chainId: 1, nonce: 4, maxPriorityFeePerGas: 1_000_000_000n,
 *   maxFeePerGas: 28466845821n, gasLimit: 21000, to: '0x5dC69B1Fbb13Bafd09af88a782F0F285772Ad5f8',
 *   value: 10_000_000_000_000_000n, data: new Uint8Array() })).toString('hex')
 * // '02ef0104843b9aca008506a0c1987d825208945dc6…'
 */
export function encodeEip1559Unsigned(tx: Eip1559Tx): Uint8Array {
  const fields: RlpItem[] = [
    bigintBytes(BigInt(tx.chainId)),
    bigintBytes(BigInt(tx.nonce)),
    bigintBytes(tx.maxPriorityFeePerGas),
    bigintBytes(tx.maxFeePerGas),
    bigintBytes(BigInt(tx.gasLimit)),
    Buffer.from(tx.to.replace(/^0x/i, ''), 'hex'),
    bigintBytes(tx.value),
    tx.data,
    [],
  ];
  return Buffer.concat([Uint8Array.of(0x02), rlpEncode(fields)]);
}

/**
 * The `keyDerivationPath` string, with the spaces inside the brackets that the docs show:
 * `"[ 44, 60, 0, 0, 0 ]"` — BIP-44 purpose, coin type, vault account, change, index
 * [protocol.md §4.3].
 *
 * @example
 * keyDerivationPath(60, '0') // '[ 44, 60, 0, 0, 0 ]'
 */
export function keyDerivationPath(coinType: number, sourceId: string): string {
  const account = /^\d+$/.test(sourceId) ? Number(sourceId) : 0;
  return `[ 44, ${coinType}, ${account}, 0, 0 ]`;
}

/**
 * One signature's worth of transaction for {@link buildRawTx}: on EVM chains the call itself
 * (`to`, `value` in wei, optional calldata); on other chains `to`/`value` only pick the element
 * count.
 *
 * @example
 * const leg: RawTxLeg = { to: DEFAULT_DEST_ADDRESS, value: 10n ** 16n };
 */
export interface RawTxLeg {
  to: string;
  value: bigint;
  data?: Uint8Array;
}

/**
 * The input of {@link buildRawTx}.
 *
 * @example
 * const input: RawTxInput = { asset: assetInfo('ETH'), sourceId: '0', legs: [leg], nonce: 4, rng: createRng(1) };
 */
export interface RawTxInput {
  asset: AssetInfo;
  sourceId: string;
  legs: readonly RawTxLeg[];
  /** For operations without a destination (RAW, TYPED_MESSAGE, …): the bytes that get signed. */
  messages?: readonly Uint8Array[];
  nonce: number;
  rng: Rng;
}

const word = (hex: string): string => hex.replace(/^0x/i, '').toLowerCase().padStart(64, '0');

/**
 * ABI-encode a call to a function taking only `address`/`uint256` arguments (bigints are uints,
 * strings are addresses).
 *
 * @example
 * Buffer.from(abiCall('a9059cbb', [DEFAULT_DEST_ADDRESS, 1000000n])).toString('hex')
 * // 'a9059cbb0000…1eab7d41…000f4240' (ERC-20 transfer)
 */
export function abiCall(selector: string, args: readonly (string | bigint)[]): Uint8Array {
  const words = args.map((a) => word(typeof a === 'bigint' ? a.toString(16) : a));
  return Buffer.from(`${selector.replace(/^0x/i, '')}${words.join('')}`, 'hex');
}

/**
 * Build the `rawTx` array of a signing-stage request (only sent when the workspace opted in)
 * [protocol.md §4.3]. One element per signature:
 *
 * - EVM assets: one EIP-1559 transaction per leg (nonce, nonce+1, …), with `payload` = Keccak-256
 *   of `rawTx`. These decode and hash like the docs' example, so a handler that follows the ETH
 *   validation guide can check them. [C-doc D-eth]
 * - UTXO assets (BTC, BTC_TEST, DOGE): one element per leg (a simplification: the real Co-signer
 *   sends one per input) with `payload` = double SHA-256 of `rawTx`. The preimage is random bytes:
 *   the shape is right, the content is not a real sighash preimage. [I]
 * - Solana: the signed message is the payload itself; random bytes here. [I]
 * - Operations without a destination: one element per message, `payload` = the message itself
 *   on Solana or when it is 32 bytes (a RAW hash), else its Keccak-256 (not a real EIP-712 hash). [I]
 *
 * @example
 * buildRawTx({ asset: assetInfo('ETH'), sourceId: '0', nonce: 4, rng: createRng(1),
 *   legs: [{ to: DEFAULT_VAULT_ADDRESS, value: 10n ** 16n }] })
 * // [{ keyDerivationPath: '[ 44, 60, 0, 0, 0 ]', rawTx: '02ef01…', payload: '…' }]
 */
export function buildRawTx(input: RawTxInput): JsonObject[] {
  const { asset } = input;
  const path = keyDerivationPath(asset.coinType, input.sourceId);
  const element = (raw: Uint8Array, payload: Uint8Array): JsonObject => ({
    keyDerivationPath: path,
    rawTx: Buffer.from(raw).toString('hex'),
    payload: Buffer.from(payload).toString('hex'),
  });
  if (input.messages !== undefined) {
    return input.messages.map((m) => element(m, asset.chain === 'sol' || m.length === 32 ? m : keccak256(m)));
  }
  return input.legs.map((leg, i) => {
    if (asset.chain === 'evm' && asset.evm) {
      const gas = asset.evm;
      const raw = encodeEip1559Unsigned({
        chainId: gas.chainId,
        nonce: input.nonce + i,
        maxPriorityFeePerGas: gas.maxPriorityFeePerGas,
        maxFeePerGas: gas.maxFeePerGas,
        gasLimit: gas.gasLimit,
        to: leg.to,
        value: leg.value,
        data: leg.data ?? new Uint8Array(),
      });
      return element(raw, keccak256(raw));
    }
    if (asset.chain === 'sol') {
      const msg = input.rng.bytes(96);
      return element(msg, msg);
    }
    const preimage = Buffer.concat([Buffer.from('01000000', 'hex'), input.rng.bytes(120), Buffer.from('01000000', 'hex')]);
    const sighash = createHash('sha256').update(createHash('sha256').update(preimage).digest()).digest();
    return element(preimage, sighash);
  });
}
