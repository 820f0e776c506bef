import { describe, expect, it } from 'vitest';
import { CONFIG_KEY_ORDER, DEST_KEY_ORDER, DEST_KEY_ORDER_2024, mergedOrder, orderConfigPayload, orderKeys, orderTxPayload, TX_KEY_ORDER, TX_KEY_ORDER_2024 } from './key-order.js';

describe('key order', () => {
  it('follows the captured order, with signerId just before requestId [protocol.md §4.6]', () => {
    expect(TX_KEY_ORDER.slice(0, 15)).toEqual([
      'txId', 'operation', 'sourceType', 'sourceId', 'destType', 'destId', 'asset', 'amount', 'amountStr',
      'requestedAmount', 'requestedAmountStr', 'fee', 'destAddressType', 'destAddress', 'destinations',
    ]);
    expect(TX_KEY_ORDER.slice(-4)).toEqual(['rawTx', 'players', 'signerId', 'requestId']);
    expect(DEST_KEY_ORDER.indexOf('dstAddress')).toBe(3);
    expect(CONFIG_KEY_ORDER).toEqual(['requestId', 'signerId', 'type', 'extraInfo']);
  });

  it('orders a tx payload: unknown keys before signerId/requestId, destinations reordered too', () => {
    const out = orderTxPayload({ requestId: 'r', note: 'n', signerId: 's', destinations: [{ action: 'ALLOW', extra: 1, amountNative: 1 }], txId: 't' });
    expect(Object.keys(out)).toEqual(['txId', 'destinations', 'note', 'signerId', 'requestId']);
    expect(Object.keys((out.destinations as Record<string, unknown>[])[0] ?? {})).toEqual(['amountNative', 'action', 'extra']);
  });

  it('has a 2024 order: the capture\'s keys as captured, the 2022-only keys at their 2022 places [I, protocol.md §14.4]', () => {
    const captured = ['txId', 'operation', 'sourceType', 'sourceId', 'destType', 'destId', 'asset', 'amount', 'amountStr', 'requestedAmount', 'requestedAmountStr', 'destAddress', 'extraParameters', 'destinations', 'note', 'requestId', 'signerId'];
    expect(TX_KEY_ORDER_2024.filter((k) => captured.includes(k))).toEqual(captured);
    expect(TX_KEY_ORDER_2024.slice(-3)).toEqual(['note', 'requestId', 'signerId']);
    const shared = TX_KEY_ORDER.filter((k) => !['extraParameters', 'signerId'].includes(k));
    expect(TX_KEY_ORDER_2024.filter((k) => shared.includes(k))).toEqual(shared);
    expect(DEST_KEY_ORDER_2024.filter((k) => DEST_KEY_ORDER.includes(k))).toEqual(DEST_KEY_ORDER);
    expect(TX_KEY_ORDER_2024).toEqual([
      'txId', 'operation', 'sourceType', 'sourceId', 'destType', 'destId', 'asset', 'amount', 'amountStr', 'requestedAmount', 'requestedAmountStr',
      'fee', 'destAddressType', 'destAddress', 'extraParameters', 'destinations', 'externalTxId', 'rawTx', 'players', 'note', 'requestId', 'signerId',
    ]);
    expect(DEST_KEY_ORDER_2024).toEqual([
      'amountNative', 'amountNativeStr', 'amountUSD', 'dstAddress', 'dstAddressType', 'dstId', 'dstWalletId', 'dstName', 'dstSubType', 'dstTag',
      'dstType', 'displayDstAddress', 'displayDstTag', 'action', 'actionInfo', 'authorizationGroups',
    ]);
  });

  it('merges orders: each older key the capture lacks goes right after its older predecessor; skipped keys do not count', () => {
    expect(mergedOrder(['a', 'c', 'n'], ['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'n']);
    expect(mergedOrder(['b', 'n'], ['a', 'b', 'x', 'y'])).toEqual(['a', 'b', 'x', 'y', 'n']);
    expect(mergedOrder(['a', 'n', 'c'], ['a', 'u', 'b', 'c'], ['u'])).toEqual(['a', 'b', 'n', 'c']);
  });

  it('orders a 2024 payload: unknown keys before note, requestId, signerId', () => {
    const out = orderTxPayload({ signerId: 's', requestId: 'r', x: 1, note: 'n', destinations: [{ authorizationGroups: {}, dstTag: '', amountNative: 1, dstId: '' }], extraParameters: {}, txId: 't' }, '2024');
    expect(Object.keys(out)).toEqual(['txId', 'extraParameters', 'destinations', 'x', 'note', 'requestId', 'signerId']);
    expect(Object.keys((out.destinations as Record<string, unknown>[])[0] ?? {})).toEqual(['amountNative', 'dstId', 'dstTag', 'authorizationGroups']);
  });

  it('orders a config payload, unknown keys last', () => {
    expect(Object.keys(orderConfigPayload({ extraInfo: {}, x: 1, type: 't', requestId: 'r' }))).toEqual(['requestId', 'type', 'extraInfo', 'x']);
    expect(Object.keys(orderKeys({ b: 1, x: 2, a: 3 }, ['a', 'b']))).toEqual(['a', 'b', 'x']);
  });
});
