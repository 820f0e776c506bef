import { createHash } from 'node:crypto';
import { toChecksumAddress } from './keccak.js';
import type { ChainFamily } from './prices.js';

/**
 * The whitelisted external wallet the default `tx_sign_request` pays: the address of the real
 * 2022 capture's whitelisted UNMANAGED destination [protocol.md §10.1]. A valid EIP-55 address.
 * The reference handler's allow-list includes it.
 *
 * @example
 * createRequestFactory().tx().payload.destAddress === DEFAULT_DEST_ADDRESS // true
 */
export const DEFAULT_DEST_ADDRESS = '0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94';

/**
 * The ETH deposit address of vault account 1 ("Network Deposits") in the docs' example
 * [protocol.md §0.2]; the default VAULT destination.
 *
 * @example
 * createRequestFactory().tx({ destType: 'VAULT' }).payload.destAddress === DEFAULT_VAULT_ADDRESS // true
 */
export const DEFAULT_VAULT_ADDRESS = '0x5dC69B1Fbb13Bafd09af88a782F0F285772Ad5f8';

// Well-known valid example addresses (BIP-173 test vectors, the 2022 DOGE capture, a Solana docs
// example), used for the first UNMANAGED destination of non-EVM assets.
const FIRST_ADDRESS: Readonly<Record<Exclude<ChainFamily, 'evm'>, string>> = {
  btc: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh',
  'btc-test': 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
  doge: 'DPaEkQWvZAPmxnzPYtsFicsgWMvPUfNxvc',
  sol: '9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM',
};

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function pick(alphabet: string, seed: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(seed[i % seed.length] ?? 0) % alphabet.length];
  return out;
}

/**
 * A destination address that looks right for the chain, the same in every run for the same label.
 * EVM addresses are real EIP-55 addresses (20 bytes of SHA-256 of the label, checksummed). Other
 * chains get the right prefix, alphabet and length, but their checksums are not valid: enough for
 * a handler that compares strings, not for one that decodes addresses.
 *
 * `label` names the destination, e.g. `'UNMANAGED:0'`; `'UNMANAGED:0'` and `'VAULT:0'` return
 * {@link DEFAULT_DEST_ADDRESS} and {@link DEFAULT_VAULT_ADDRESS} on EVM chains.
 *
 * @example
 * exampleAddress('evm', 'UNMANAGED:0') // '0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94'
 * exampleAddress('btc', 'EXCHANGE:1')  // 'bc1q…' (42 characters)
 */
export function exampleAddress(chain: ChainFamily, label: string): string {
  if (chain === 'evm') {
    if (label === 'UNMANAGED:0') return DEFAULT_DEST_ADDRESS;
    if (label === 'VAULT:0') return DEFAULT_VAULT_ADDRESS;
  } else if (label === 'UNMANAGED:0') {
    return FIRST_ADDRESS[chain];
  }
  const seed = createHash('sha256').update(`${chain}:${label}`).digest();
  switch (chain) {
    case 'evm':
      return toChecksumAddress(seed.subarray(0, 20).toString('hex'));
    case 'btc':
      return `bc1q${pick(BECH32, seed, 38)}`;
    case 'btc-test':
      return `tb1q${pick(BECH32, seed, 38)}`;
    case 'doge':
      return `D${pick(BASE58, seed, 33)}`;
    case 'sol':
      return pick(BASE58, seed, 44);
  }
}
