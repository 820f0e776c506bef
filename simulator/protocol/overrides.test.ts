import { describe, expect, it } from 'vitest';
import { applyOverrides, cloneJson, isPlainObject, mergeOverrides, parsePath, setPath, unsetPaths } from './overrides.js';

const base = () => ({
  asset: 'ETH',
  signerId: 's',
  extra: { a: 1, nested: { b: 2 } },
  destinations: [
    { dstName: 'A', amountUSD: 1, actionInfo: { byRule: true } },
    { dstName: 'B', amountUSD: 2, actionInfo: { byRule: true } },
  ],
});

describe('applyOverrides', () => {
  it('deep-merges objects and replaces scalars, without touching the input', () => {
    const b = base();
    const out = applyOverrides(b, { asset: 'BTC', extra: { nested: { c: 3 } } });
    expect(out.asset).toBe('BTC');
    expect(out.extra).toEqual({ a: 1, nested: { b: 2, c: 3 } });
    expect(b).toEqual(base());
  });

  it('replaces arrays wholesale', () => {
    const out = applyOverrides(base(), { destinations: [{ dstName: 'only' }] });
    expect(out.destinations).toEqual([{ dstName: 'only' }]);
  });

  it('sets one array element field with a dotted key, after plain keys', () => {
    const out = applyOverrides(base(), { 'destinations.0.amountUSD': 5, 'destinations.1.actionInfo': { extra: 1 } });
    expect(out.destinations[0]).toEqual({ dstName: 'A', amountUSD: 5, actionInfo: { byRule: true } });
    expect(out.destinations[1]?.actionInfo).toEqual({ byRule: true, extra: 1 });
    const replaced = applyOverrides(base(), { 'destinations.0.dstName': 'X', destinations: [{ dstName: 'new' }] });
    expect(replaced.destinations).toEqual([{ dstName: 'X' }]);
  });

  it('treats null as a value and undefined as absent', () => {
    const out = applyOverrides(base(), { signerId: null, asset: undefined, 'extra.a': null });
    expect(out).toMatchObject({ signerId: null, asset: 'ETH', extra: { a: null } });
    expect(Object.hasOwn(out, 'signerId')).toBe(true);
  });

  it('creates missing objects along a dotted path', () => {
    expect(applyOverrides({} as Record<string, unknown>, { 'extraParameters.rawMessageData.algorithm': 'EDDSA' })).toEqual({
      extraParameters: { rawMessageData: { algorithm: 'EDDSA' } },
    });
  });

  it('does not share override objects with the result', () => {
    const o = { extra: { list: [1] } };
    const out = applyOverrides(base(), o) as unknown as { extra: { list: number[] } };
    out.extra.list.push(2);
    expect(o.extra.list).toEqual([1]);
  });

  it('throws OverridePathError naming the path for an index past the end', () => {
    expect(() => applyOverrides(base(), { 'destinations.2.amountUSD': 5 })).toThrow(
      expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', field: 'destinations.2.amountUSD', message: expect.stringContaining('"destinations.2.amountUSD"') }),
    );
    expect(() => applyOverrides(base(), { 'destinations.2.amountUSD': 5 })).toThrow(/index 2 is past the end of "destinations" \(2 elements\)/);
  });

  it('throws when a path steps through a string or null, or uses a non-index on an array', () => {
    expect(() => applyOverrides(base(), { 'asset.symbol': 'x' })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', message: expect.stringMatching(/"asset\.symbol".*"asset" is a string/) }));
    expect(() => applyOverrides({ a: null } as Record<string, unknown>, { 'a.b': 1 })).toThrow(/"a" is null/);
    expect(() => applyOverrides(base(), { 'destinations.first.dstName': 'x' })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', message: expect.stringContaining('not an index') }));
  });

  it('refuses prototype keys', () => {
    expect(() => applyOverrides({}, JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>)).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH' }));
    expect(() => applyOverrides({}, { 'a.__proto__.b': 1 })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('unsetPaths', () => {
  it('deletes nested keys and top-level keys', () => {
    const p = base() as Record<string, unknown>;
    unsetPaths(p, ['destinations.0.dstName', 'signerId']);
    expect(p.signerId).toBeUndefined();
    expect(Object.hasOwn(p, 'signerId')).toBe(false);
    expect((p.destinations as Record<string, unknown>[])[0]).toEqual({ amountUSD: 1, actionInfo: { byRule: true } });
  });

  it('removes array elements', () => {
    const p = base() as Record<string, unknown>;
    unsetPaths(p, ['destinations.0']);
    expect(p.destinations).toEqual([{ dstName: 'B', amountUSD: 2, actionInfo: { byRule: true } }]);
  });

  it('is a no-op for a key that is already absent', () => {
    const p = base() as Record<string, unknown>;
    unsetPaths(p, ['nothing', 'missing.deep.key', 'extra.zzz']);
    expect(p).toEqual(base());
  });

  it('throws OverridePathError for an index past the end or a step through a string', () => {
    expect(() => unsetPaths(base(), ['destinations.5.dstName'])).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', field: 'destinations.5.dstName' }));
    expect(() => unsetPaths(base(), ['asset.x'])).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', message: expect.stringContaining('"asset.x"') }));
  });
});

describe('mergeOverrides', () => {
  it('merges in place, as applyOverrides does into its copy, and shares nothing with the overrides', () => {
    const overrides = { asset: 'BTC', destinations: [{ dstId: 'x', tags: ['a'] }], 'destinations.0.dstName': 'Y', extra: { deep: { k: 1 } } };
    const target = base();
    const expected = applyOverrides(base(), overrides);
    mergeOverrides(target, overrides);
    expect(target).toEqual(expected);
    overrides.destinations[0]?.tags.push('b');
    overrides.extra.deep.k = 2;
    expect(target).toEqual(expected);
  });

  it('refuses the same keys applyOverrides refuses, before changing anything', () => {
    const target = base();
    expect(() => mergeOverrides(target, { asset: 'BTC', constructor: 1 })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH' }));
    expect(target).toEqual(base());
  });
});

describe('parsePath / setPath / helpers', () => {
  it('splits paths and refuses empty segments', () => {
    expect(parsePath('destinations.0.amountUSD')).toEqual(['destinations', '0', 'amountUSD']);
    for (const bad of ['', 'a..b', '.a', 'a.']) expect(() => parsePath(bad)).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH' }));
  });

  it('sets a value in place', () => {
    const p = base();
    setPath(p, 'destinations.1.dstName', 'Z');
    expect(p.destinations[1]?.dstName).toBe('Z');
  });

  it('recognizes plain objects and clones deeply', () => {
    expect([isPlainObject({}), isPlainObject(Object.create(null)), isPlainObject([]), isPlainObject(null), isPlainObject(new Date())]).toEqual([true, true, false, false, false]);
    const src = { a: [{ b: 1 }] };
    const copy = cloneJson(src);
    expect(copy).toEqual(src);
    expect(copy.a[0]).not.toBe(src.a[0]);
  });
});
