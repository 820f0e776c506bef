import { describe, expect, it } from 'vitest';
import { createRequestFactory } from './factory.js';
import { omittedOptionalFields } from './optional-fields.js';

/** The field set of a payload: every key path, values aside. */
function fieldSet(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const at = path === '' ? k : `${path}.${k}`;
      out.push(at);
      walk(x, at);
    }
  };
  walk(p, '');
  return out.sort();
}

describe('optional fields', () => {
  it('by default sends the same full field set whatever the seed, and omits nothing', () => {
    const sets = [1, 2, 3, 'ci', 99].map((seed) => createRequestFactory({ seed }).tx({ destinations: 2 }));
    for (const b of sets) {
      expect(fieldSet(b.payload)).toEqual(fieldSet(sets[0]!.payload));
      expect(b.omittedFields).toEqual([]);
      expect(b.optionalFields).toBe('all');
    }
    expect(sets[0]!.payload).toHaveProperty('externalTxId');
    expect(sets[0]!.payload).toHaveProperty('players');
  });

  it('random: the field set varies with the seed and each result lists what it left out', () => {
    const sets = Array.from({ length: 12 }, (_, seed) => createRequestFactory({ seed, optionalFields: 'random' }).tx());
    expect(new Set(sets.map((b) => fieldSet(b.payload).join())).size).toBeGreaterThan(1);
    for (const b of sets) {
      expect(b.omittedFields).toEqual(omittedOptionalFields('tx_sign_request', 'signing', b.payload));
      for (const path of b.omittedFields) expect(fieldSet(b.payload)).not.toContain(path);
    }
    expect(sets.some((b) => b.omittedFields.length > 0)).toBe(true);
  });

  it('none, unset and a per-request mode are listed too', () => {
    const f = createRequestFactory({ seed: 1 });
    expect(f.tx({ optionalFields: 'none', destinations: 2 }).omittedFields).toEqual([
      'externalTxId',
      'players',
      'destinations.0.dstAddress',
      'destinations.0.dstWalletId',
      'destinations.1.dstAddress',
      'destinations.1.dstWalletId',
    ]);
    expect(f.tx({ stage: 'approval', optionalFields: 'none' }).omittedFields).toEqual(['externalTxId', 'destinations.0.dstAddress', 'destinations.0.dstWalletId']);
    expect(f.tx({ unset: ['signerId'] }).omittedFields).toEqual(['signerId']);
    expect(f.configChange({ unset: ['signerId'] }).omittedFields).toEqual(['signerId']);
    expect(f.tx({ exact: true, payload: { txId: 't', destinations: [{}] } }).omittedFields).toContain('destinations.0.dstAddress');
    expect(() => f.tx({ optionalFields: 'some' as 'all' })).toThrow(/all, none, random/);
  });
});
