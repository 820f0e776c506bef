import { isPlainObject } from './overrides.js';

/**
 * Top-level key order of a `tx_sign_request`, as captured [protocol.md §4.6]. Where the captures
 * are silent the position is our choice, marked [U]: `extraParameters` after `destinations`
 * [U], `signerId` after `players` and before `requestId` [U] (no capture has it).
 *
 * @example
 * TX_KEY_ORDER.at(-1) // 'requestId'
 */
export const TX_KEY_ORDER: readonly string[] = [
  'txId',
  'operation',
  'sourceType',
  'sourceId',
  'destType',
  'destId',
  'asset',
  'amount',
  'amountStr',
  'requestedAmount',
  'requestedAmountStr',
  'fee',
  'destAddressType',
  'destAddress',
  'destinations',
  'extraParameters', // [U]
  'externalTxId',
  'rawTx',
  'players',
  'signerId', // [U]
  'requestId',
];

/**
 * Key order of a `destinations[]` entry, as captured [protocol.md §4.6].
 *
 * @example
 * DEST_KEY_ORDER[0] // 'amountNative'
 */
export const DEST_KEY_ORDER: readonly string[] = [
  'amountNative',
  'amountNativeStr',
  'amountUSD',
  'dstAddress',
  'dstAddressType',
  'dstId',
  'dstWalletId',
  'dstName',
  'dstSubType',
  'dstType',
  'displayDstAddress',
  'action',
  'actionInfo',
];

/**
 * Key order of a `config_change_sign_request`: the order of the documented field table
 * [protocol.md §6]; no real capture exists [U].
 *
 * @example
 * CONFIG_KEY_ORDER // ['requestId', 'signerId', 'type', 'extraInfo']
 */
export const CONFIG_KEY_ORDER: readonly string[] = ['requestId', 'signerId', 'type', 'extraInfo'];

/**
 * A copy of `obj` with its keys in `order`; keys not in `order` keep their relative order and go
 * before the first of `tail` (or at the end when `tail` is empty).
 *
 * @example
 * orderKeys({ b: 1, x: 2, a: 3 }, ['a', 'b']) // { a: 3, b: 1, x: 2 }
 */
export function orderKeys<T extends Record<string, unknown>>(obj: T, order: readonly string[], tail: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  const known = new Set(order);
  const tailSet = new Set(tail);
  for (const k of order) if (!tailSet.has(k) && Object.hasOwn(obj, k)) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!known.has(k)) out[k] = obj[k];
  for (const k of order) if (tailSet.has(k) && Object.hasOwn(obj, k)) out[k] = obj[k];
  return out as T;
}

/**
 * Put a built `tx_sign_request` (and each destination) in the captured key order, so a field set
 * by an override lands where the Co-signer would print it. Unknown top-level keys go just before
 * `signerId`/`requestId`; unknown destination keys go last.
 *
 * @example
 * Object.keys(orderTxPayload({ requestId: 'r', txId: 't' })) // ['txId', 'requestId']
 */
export function orderTxPayload<T extends Record<string, unknown>>(payload: T): T {
  const out = orderKeys(payload, TX_KEY_ORDER, ['signerId', 'requestId']) as Record<string, unknown>;
  if (Array.isArray(out.destinations)) {
    out.destinations = out.destinations.map((d: unknown) => (isPlainObject(d) ? orderKeys(d, DEST_KEY_ORDER) : d));
  }
  return out as T;
}

/**
 * Put a built `config_change_sign_request` in {@link CONFIG_KEY_ORDER}; unknown keys go last.
 *
 * @example
 * Object.keys(orderConfigPayload({ type: 'EXCHANGE', requestId: 'r' })) // ['requestId', 'type']
 */
export function orderConfigPayload<T extends Record<string, unknown>>(payload: T): T {
  return orderKeys(payload, CONFIG_KEY_ORDER);
}
