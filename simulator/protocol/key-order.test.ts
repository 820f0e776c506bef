import { describe, expect, it } from 'vitest';
import { CONFIG_KEY_ORDER, DEST_KEY_ORDER, orderConfigPayload, orderKeys, orderTxPayload, TX_KEY_ORDER } from './key-order.js';

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

  it('orders a config payload, unknown keys last', () => {
    expect(Object.keys(orderConfigPayload({ extraInfo: {}, x: 1, type: 't', requestId: 'r' }))).toEqual(['requestId', 'type', 'extraInfo', 'x']);
    expect(Object.keys(orderKeys({ b: 1, x: 2, a: 3 }, ['a', 'b']))).toEqual(['a', 'b', 'x']);
  });
});
