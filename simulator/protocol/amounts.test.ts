import { describe, expect, it } from 'vitest';
import { amountFromOverrides, destinationAmounts, explicitParts, splitAmount, topAmounts, usdValue } from './amounts.js';
import { formatDecimal, parseDecimal } from './decimal.js';
import { assetInfo } from './prices.js';

const d = (s: string) => parseDecimal(s) ?? { units: 0n, scale: 0 };

describe('topAmounts', () => {
  it('pads amountStr to the asset decimals and keeps requestedAmountStr as requested [protocol.md §4.1]', () => {
    expect(topAmounts(assetInfo('ETH'), d('0.01'))).toEqual({ amount: 0.01, amountStr: '0.010000000000000000', requestedAmount: 0.01, requestedAmountStr: '0.01' });
    expect(topAmounts(assetInfo('ETH_TEST'), d('0.0041')).amountStr).toBe('0.004100000000000000');
    expect(topAmounts(assetInfo('DOGE'), d('88.22639765')).amountStr).toBe('88.22639765');
    expect(topAmounts(assetInfo('BTC'), d('1.50')).requestedAmountStr).toBe('1.5');
    // The 2024 wire does not pad amountStr [C-wire, protocol.md §14.4].
    expect(topAmounts(assetInfo('ETH_TEST5'), d('0.001'), '2024')).toEqual({ amount: 0.001, amountStr: '0.001', requestedAmount: 0.001, requestedAmountStr: '0.001' });
    expect(topAmounts(assetInfo('BTC'), d('1.50'), '2024').amountStr).toBe('1.5');
  });
});

describe('destination amounts', () => {
  it('computes native strings and USD values from the price table', () => {
    expect(destinationAmounts(assetInfo('ETH_TEST'), [d('0.0041')])).toEqual([
      { amountNative: 0.0041, amountNativeStr: '0.0041', amountUSD: 13.35859416, baseUnits: 4_100_000_000_000_000n },
    ]);
    expect(usdValue(assetInfo('UNKNOWN_TOKEN'), d('5'))).toBe(0);
  });

  it('splits a total so the parts add up exactly, extra base units to the first destinations', () => {
    const parts = splitAmount(assetInfo('BTC'), d('1'), 3).map((p) => formatDecimal(p, { trim: true }));
    expect(parts).toEqual(['0.33333334', '0.33333333', '0.33333333']);
  });
});

describe('explicitParts / amountFromOverrides', () => {
  it('sums per-destination amounts given for all, refuses some-but-not-all', () => {
    const r = explicitParts(['0.1', '0.2']);
    expect(r && formatDecimal(r.total)).toBe('0.3');
    expect(explicitParts([undefined, undefined])).toBeUndefined();
    expect(() => explicitParts(['0.1', undefined])).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => explicitParts(['zero'])).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('"zero"') }));
  });

  it('reads the first readable amount field', () => {
    expect(amountFromOverrides({ amountStr: '2.5', amount: 9 })).toEqual(d('2.5'));
    expect(amountFromOverrides({ requestedAmountStr: '3' })).toEqual(d('3'));
    expect(amountFromOverrides({ amountStr: 'abc', amount: 4 })).toEqual(d('4'));
    expect(amountFromOverrides({ amountStr: 'abc' })).toBeUndefined();
    expect(amountFromOverrides({})).toBeUndefined();
  });
});
