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
 * The merged order [I] [protocol.md §14.4]: the keys of a newer capture in its order, and each
 * key of the older order that the capture lacks right after its predecessor in the older order
 * (so it keeps its place relative to its older neighbours). `skip` names older keys whose own
 * place was never captured ([U]), so they are neither merged nor used as predecessors.
 *
 * @example
 * mergedOrder(['a', 'c', 'n'], ['a', 'b', 'c']) // ['a', 'b', 'c', 'n']
 */
export function mergedOrder(captured: readonly string[], older: readonly string[], skip: readonly string[] = []): string[] {
  const out = [...captured];
  const known = older.filter((k) => !skip.includes(k));
  known.forEach((k, i) => {
    if (out.includes(k)) return;
    const before = known[i - 1];
    out.splice(before === undefined ? 0 : out.indexOf(before) + 1, 0, k);
  });
  return out;
}

/**
 * The top-level keys of the 2024 capture, in its order (an approval-stage request) [C-wire,
 * protocol.md §14.4].
 *
 * @example
 * CAPTURED_TX_KEYS_2024.at(-1) // 'signerId'
 */
export const CAPTURED_TX_KEYS_2024: readonly string[] = [
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
  'destAddress',
  'extraParameters',
  'destinations',
  'note',
  'requestId',
  'signerId',
];

/**
 * The keys of the 2024 capture's `destinations[]` entry, in its order [C-wire, protocol.md §14.4].
 *
 * @example
 * CAPTURED_DEST_KEYS_2024.at(-1) // 'authorizationGroups'
 */
export const CAPTURED_DEST_KEYS_2024: readonly string[] = [
  'amountNative',
  'amountNativeStr',
  'amountUSD',
  'dstAddress',
  'dstAddressType',
  'dstId',
  'dstTag',
  'dstType',
  'displayDstAddress',
  'displayDstTag',
  'action',
  'actionInfo',
  'authorizationGroups',
];

/**
 * Top-level key order of a `tx_sign_request` on the 2024 wire: the merged order [I] of the 2024
 * capture and the 2022 order, so the signing-only and optional keys the capture lacks keep their
 * 2022 places: `fee, destAddressType` after `requestedAmountStr`, `externalTxId, rawTx, players`
 * after `destinations` (hence before `note`). The 2022 order's [U] places (`extraParameters`,
 * `signerId`) do not count.
 *
 * @example
 * TX_KEY_ORDER_2024.slice(-7) // ['destinations', 'externalTxId', 'rawTx', 'players', 'note', 'requestId', 'signerId']
 */
export const TX_KEY_ORDER_2024: readonly string[] = mergedOrder(CAPTURED_TX_KEYS_2024, TX_KEY_ORDER, ['extraParameters', 'signerId']);

/**
 * Key order of a `destinations[]` entry on the 2024 wire: the merged order [I] of the 2024
 * capture and the 2022 order, so `dstWalletId, dstName, dstSubType` (absent from the capture)
 * follow `dstId`, before the capture's `dstTag` [U].
 *
 * @example
 * DEST_KEY_ORDER_2024.slice(5, 10) // ['dstId', 'dstWalletId', 'dstName', 'dstSubType', 'dstTag']
 */
export const DEST_KEY_ORDER_2024: readonly string[] = mergedOrder(CAPTURED_DEST_KEYS_2024, DEST_KEY_ORDER);

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
 * Where each key of an order goes, as a rank: the keys before the tail by their place, then one
 * rank shared by every key not in the order, then the tail keys by their place.
 */
interface KeyRanks {
  readonly order: readonly string[];
  readonly tail: readonly string[];
  readonly rank: ReadonlyMap<string, number>;
  readonly unknown: number;
}

function keyRanks(order: readonly string[], tail: readonly string[] = []): KeyRanks {
  const rank = new Map<string, number>();
  const unknown = order.length;
  order.forEach((k, i) => rank.set(k, tail.includes(k) ? unknown + 1 + i : i));
  return { order, tail, rank, unknown };
}

/**
 * True when `obj`'s keys already run in the order {@link orderKeys} would give them (ranks never
 * go down), so reordering would only copy it. Builders create their keys in the wire's order, so
 * this holds for every request without an override that adds a key.
 */
function inOrder(obj: Readonly<Record<string, unknown>>, ranks: KeyRanks): boolean {
  let last = -1;
  for (const k of Object.keys(obj)) {
    const r = ranks.rank.get(k) ?? ranks.unknown;
    if (r < last) return false;
    last = r;
  }
  return true;
}

/** {@link orderKeys}, except that an object already in order is returned as it is. */
function ordered<T extends Record<string, unknown>>(obj: T, ranks: KeyRanks): T {
  return inOrder(obj, ranks) ? obj : orderKeys(obj, ranks.order, ranks.tail);
}

const WIRE_ORDERS: Readonly<Record<Wire, { top: KeyRanks; destination: KeyRanks }>> = {
  '2022': { top: keyRanks(TX_KEY_ORDER, ['signerId', 'requestId']), destination: keyRanks(DEST_KEY_ORDER) },
  '2024': { top: keyRanks(TX_KEY_ORDER_2024, ['note', 'requestId', 'signerId']), destination: keyRanks(DEST_KEY_ORDER_2024) },
};

const CONFIG_RANKS = keyRanks(CONFIG_KEY_ORDER);

/**
 * Put a built `tx_sign_request` (and each destination) in the key order of its wire (default
 * 2022), so a field set by an override lands where the Co-signer would print it. Unknown
 * top-level keys go just before the closing keys (`signerId, requestId` in 2022; `note,
 * requestId, signerId` in 2024); unknown destination keys go last. The payload, or a
 * destination, whose keys are in order already is returned as it is, not copied: the input is
 * never changed, but the result may share objects with it.
 *
 * @example
 * Object.keys(orderTxPayload({ requestId: 'r', txId: 't' })) // ['txId', 'requestId']
 * Object.keys(orderTxPayload({ signerId: 's', requestId: 'r', note: 'n' }, '2024')) // ['note', 'requestId', 'signerId']
 */
export function orderTxPayload<T extends Record<string, unknown>>(payload: T, wire: Wire = '2022'): T {
  const order = WIRE_ORDERS[wire];
  const destinations = payload.destinations;
  const reorder = Array.isArray(destinations) && !destinations.every((d: unknown) => !isPlainObject(d) || inOrder(d, order.destination));
  const top = ordered(payload, order.top);
  if (!reorder) return top;
  const out = (top === payload ? { ...payload } : top) as Record<string, unknown>;
  out.destinations = (destinations as unknown[]).map((d: unknown) => (isPlainObject(d) ? ordered(d, order.destination) : d));
  return out as T;
}

/**
 * Put a built `config_change_sign_request` in {@link CONFIG_KEY_ORDER}; unknown keys go last.
 * A payload already in order is returned as it is.
 *
 * @example
 * Object.keys(orderConfigPayload({ type: 'EXCHANGE', requestId: 'r' })) // ['requestId', 'type']
 */
export function orderConfigPayload<T extends Record<string, unknown>>(payload: T): T {
  return ordered(payload, CONFIG_RANKS);
}
