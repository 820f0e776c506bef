import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * Keccak-256 digest of some bytes (the pre-standard SHA-3 that Ethereum uses; node:crypto's
 * `sha3-256` pads differently and gives other digests). Used for the `rawTx[].payload` hash of
 * EVM transactions [protocol.md §4.3] and for EIP-55 address checksums. The permutation is
 * @noble/hashes' (audited); this wrapper keeps the name the callers use.
 *
 * @example
 * Buffer.from(keccak256(new Uint8Array())).toString('hex')
 * // 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/**
 * The EIP-55 mixed-case checksum form of a 20-byte hex address (with or without `0x`).
 *
 * @example
 * toChecksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')
 * // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
 */
export function toChecksumAddress(address: string): string {
  const lower = address.replace(/^0x/i, '').toLowerCase();
  const hash = Buffer.from(keccak256(new TextEncoder().encode(lower))).toString('hex');
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] ?? '';
    out += parseInt(hash[i] ?? '0', 16) >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}
