import { describe, expect, it } from 'vitest';
import { createRequestFactory } from './factory.js';
import { UUID_V4_RE } from './rng.js';

describe('createRequestFactory', () => {
  it('exposes the seed it was given, or the random one it drew', () => {
    expect(createRequestFactory({ seed: 42 }).seed).toBe(42);
    expect(createRequestFactory({ seed: '42' }).seed).toBe(42);
    const random = createRequestFactory();
    expect(Number.isInteger(random.seed)).toBe(true);
    // the printed seed reproduces the run
    expect(createRequestFactory({ seed: random.seed }).tx().payload).toEqual(random.tx().payload);
  });

  it('draws one signerId per factory unless given one', () => {
    const fac = createRequestFactory({ seed: 1 });
    expect(fac.signerId).toMatch(UUID_V4_RE);
    expect(fac.tx().payload.signerId).toBe(fac.signerId);
    expect(fac.configChange().payload.signerId).toBe(fac.signerId);
    expect(createRequestFactory({ seed: 1, signerId: 'api-user-1' }).tx().payload.signerId).toBe('api-user-1');
  });

  it('makes successive builds differ', () => {
    const fac = createRequestFactory({ seed: 1 });
    expect(fac.tx().txId).not.toBe(fac.tx().txId);
  });

  it('validates its settings with typed errors', () => {
    expect(() => createRequestFactory({ optionalFields: 'some' as 'all' })).toThrow(
      expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('all, none, random') }),
    );
    expect(() => createRequestFactory({ batchSuffix: '{txId}' })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', hint: expect.stringContaining('{txId}_{n}') }));
    expect(() => createRequestFactory({ seed: 0.5 })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});
