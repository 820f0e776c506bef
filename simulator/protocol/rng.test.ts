import { describe, expect, it } from 'vitest';
import { createRng, formatUuidV4, resolveSeed, stableUuid, UUID_V4_RE } from './rng.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('makes version 4 UUIDs that do not repeat', () => {
    const rng = createRng(1);
    const ids = new Set(Array.from({ length: 1000 }, () => rng.uuid()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID_V4_RE);
  });

  it('keeps int() within its inclusive bounds and next() in [0, 1)', () => {
    const rng = createRng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
      const f = rng.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('uses both halves of a large seed', () => {
    expect(createRng(2 ** 32 + 1).uuid()).not.toBe(createRng(1).uuid());
    expect(createRng(-1).uuid()).toMatch(UUID_V4_RE);
  });
});

describe('resolveSeed', () => {
  it('reads numbers and digit strings as the same seed', () => {
    expect(resolveSeed(42)).toBe(42);
    expect(resolveSeed('42')).toBe(42);
    expect(resolveSeed(' 7 ')).toBe(7);
  });

  it('hashes other strings to a stable 32-bit number', () => {
    const s = resolveSeed('nightly');
    expect(s).toBe(resolveSeed('nightly'));
    expect(s).not.toBe(resolveSeed('weekly'));
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('draws a random 32-bit seed when none is given', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => resolveSeed()));
    expect(seeds.size).toBeGreaterThan(1);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('refuses non-integer numbers with a typed error', () => {
    expect(() => resolveSeed(1.5)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('1.5') }));
    expect(() => resolveSeed(Number.NaN)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});

describe('formatUuidV4 / stableUuid', () => {
  it('sets the version and variant bits', () => {
    expect(formatUuidV4(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
    expect(formatUuidV4(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(() => formatUuidV4(new Uint8Array(4))).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });

  it('rng.uuid() is formatUuidV4 of the next 16 bytes (it formats the words directly)', () => {
    for (const seed of [1, 7, 2 ** 31, -5]) {
      const a = createRng(seed);
      const b = createRng(seed);
      for (let i = 0; i < 200; i++) expect(a.uuid()).toBe(formatUuidV4(b.bytes(16)));
    }
  });

  it('derives the same UUID from the same label', () => {
    expect(stableUuid('exchange-account:0')).toBe(stableUuid('exchange-account:0'));
    expect(stableUuid('exchange-account:0')).not.toBe(stableUuid('exchange-account:1'));
    expect(stableUuid('x')).toMatch(UUID_V4_RE);
  });
});
