import { isPlainObject } from './overrides.js';

/** The two wire generations a profile can build (see `wireOf` in profiles.ts). */
export type Wire = '2022' | '2024';

/**
 * Top-level key order of a `tx_sign_request` on the 2022 wire, as captured in 2022 and 2023
 * [protocol.md §4.6]. Where the captures are silent the position is our choice, marked [U]:
 * `extraParameters` after `destinations` [U], `signerId` after `players` and before `requestId`
 * [U] (no 2022 capture has it).
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
 * Top-level key order of a `tx_sign_request` on the 2024 wire: the merged order [I]
 * [protocol.md §14.4]. The one 2024 capture (approval stage) fixes `destAddress, extraParameters,
 * destinations, note, requestId, signerId` [C-wire]; the signing-only and optional keys it lacks
 * (`fee`, `externalTxId`, `rawTx`, `players`) keep their 2022 positions relative to their 2022
 * neighbours: `fee` after `requestedAmountStr`, `destAddressType` before `destAddress`, and
 * `externalTxId, rawTx, players` after `destinations`. `note` sits just before `requestId` as
 * captured, so after `players` [I].
 *
 * @example
 * TX_KEY_ORDER_2024.slice(-3) // ['note', 'requestId', 'signerId']
 */
export const TX_KEY_ORDER_2024: readonly string[] = [
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
  'fee', // [I] 2022 position
  'destAddressType', // [I] 2022 position; absent for a one-time address [C-wire]
  'destAddress',
  'extraParameters',
  'destinations',
  'externalTxId', // [I] 2022 position
  'rawTx', // [I] 2022 position
  'players', // [I] 2022 position
  'note',
  'requestId',
  'signerId',
];

/**
 * Key order of a `destinations[]` entry on the 2022 wire, as captured [protocol.md §4.6].
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
 * Key order of a `destinations[]` entry on the 2024 wire [protocol.md §4.6, §14.4]: the 2024
 * capture's `dstTag` after `dstId`, `displayDstTag` after `displayDstAddress` and
 * `authorizationGroups` last [C-wire]; `dstWalletId`, `dstName` and `dstSubType`, absent from
 * that capture, keep their 2022 places after `dstTag` [U].
 *
 * @example
 * DEST_KEY_ORDER_2024.at(-1) // 'authorizationGroups'
 */
export const DEST_KEY_ORDER_2024: readonly string[] = [
  'amountNative',
  'amountNativeStr',
  'amountUSD',
  'dstAddress',
  'dstAddressType',
  'dstId',
  'dstTag',
  'dstWalletId', // [U] relative to dstTag
  'dstName', // [U] relative to dstTag
  'dstSubType', // [U] relative to dstTag
  'dstType',
  'displayDstAddress',
  'displayDstTag',
  'action',
  'actionInfo',
  'authorizationGroups',
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

const WIRE_ORDERS: Readonly<Record<Wire, { top: readonly string[]; tail: readonly string[]; destination: readonly string[] }>> = {
  '2022': { top: TX_KEY_ORDER, tail: ['signerId', 'requestId'], destination: DEST_KEY_ORDER },
  '2024': { top: TX_KEY_ORDER_2024, tail: ['note', 'requestId', 'signerId'], destination: DEST_KEY_ORDER_2024 },
};

/**
 * Put a built `tx_sign_request` (and each destination) in the key order of its wire (default
 * 2022), so a field set by an override lands where the Co-signer would print it. Unknown
 * top-level keys go just before the closing keys (`signerId, requestId` in 2022; `note,
 * requestId, signerId` in 2024); unknown destination keys go last.
 *
 * @example
 * Object.keys(orderTxPayload({ requestId: 'r', txId: 't' })) // ['txId', 'requestId']
 * Object.keys(orderTxPayload({ signerId: 's', requestId: 'r', note: 'n' }, '2024')) // ['note', 'requestId', 'signerId']
 */
export function orderTxPayload<T extends Record<string, unknown>>(payload: T, wire: Wire = '2022'): T {
  const order = WIRE_ORDERS[wire];
  const out = orderKeys(payload, order.top, order.tail) as Record<string, unknown>;
  if (Array.isArray(out.destinations)) {
    out.destinations = out.destinations.map((d: unknown) => (isPlainObject(d) ? orderKeys(d, order.destination) : d));
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
