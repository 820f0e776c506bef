import { describe, expect, it } from 'vitest';
import { parseDecimal } from './decimal.js';
import { usdValue } from './amounts.js';
import { ASSETS, assetInfo, UNKNOWN_ASSET } from './prices.js';

describe('ASSETS', () => {
  it('lists at least ETH, ETH_TEST, BTC, BTC_TEST, DOGE, USDC and SOL with decimals and a price', () => {
    for (const id of ['ETH', 'ETH_TEST', 'BTC', 'BTC_TEST', 'DOGE', 'USDC', 'SOL']) {
      const a = ASSETS[id];
      expect(a?.id).toBe(id);
      expect(Number.isInteger(a?.decimals)).toBe(true);
      expect(parseDecimal(a?.usdPrice ?? '')).toBeDefined();
      expect(parseDecimal(a?.fee ?? '')).toBeDefined();
    }
    expect([ASSETS.ETH?.decimals, ASSETS.BTC?.decimals, ASSETS.DOGE?.decimals, ASSETS.USDC?.decimals, ASSETS.SOL?.decimals]).toEqual([18, 8, 8, 6, 9]);
  });

  it('reproduces the captured USD values and fees [protocol.md §0.2, §10.1]', () => {
    expect(usdValue(assetInfo('ETH'), { units: 1n, scale: 2 })).toBe(18.74292937);
    expect(usdValue(assetInfo('ETH_TEST'), { units: 41n, scale: 4 })).toBe(13.35859416);
    expect(assetInfo('ETH').fee).toBe('0.000584261607657000');
    expect(assetInfo('ETH_TEST').fee).toBe('0.000640490875143000');
    expect(assetInfo('DOGE').fee).toBe('1.00000000');
  });

  it('falls back to the UNKNOWN_ASSET figures for other IDs, keeping the ID', () => {
    expect(assetInfo('NOT_A_COIN')).toEqual({ id: 'NOT_A_COIN', ...UNKNOWN_ASSET });
    expect(assetInfo('toString').id).toBe('toString');
  });
});
