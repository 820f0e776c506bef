import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, CsimError, InternalError, KeyFormatError, isCsimError, type AnyCsimError, type CsimErrorCode } from './errors.js';

describe('isCsimError', () => {
  it('accepts every cosigner-sim error class', () => {
    expect(isCsimError(new KeyFormatError('x'))).toBe(true);
    expect(isCsimError(new InternalError('x'))).toBe(true);
    expect(isCsimError(new CsimError('x'))).toBe(true);
  });

  it('refuses a foreign error whose code merely starts with CSIM_', () => {
    const foreign = Object.assign(new Error('not ours'), { code: 'CSIM_KEY_FORMAT' });
    expect(isCsimError(foreign)).toBe(false);
    expect(isCsimError({ code: 'CSIM_USAGE', message: 'a plain object' })).toBe(false);
    expect(isCsimError(undefined)).toBe(false);
    expect(isCsimError('CSIM_USAGE')).toBe(false);
  });

  it('accepts an error branded by another copy of the package (the brand is a registered symbol)', () => {
    // A second installed copy has its own classes, but Symbol.for gives it the same brand.
    class OtherCopyError extends Error {
      code = 'CSIM_KEY_FORMAT';
      constructor(message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for('cosigner-sim.CsimError'), { value: true });
      }
    }
    expect(isCsimError(new OtherCopyError('from the other copy'))).toBe(true);
  });

  it('narrows on code to the class', () => {
    const e: unknown = new KeyFormatError('keys/a.pem: a certificate');
    if (isCsimError(e) && e.code === 'CSIM_KEY_FORMAT') {
      expectTypeOf(e).toEqualTypeOf<KeyFormatError>();
      expect(e).toBeInstanceOf(KeyFormatError);
    } else {
      expect.unreachable('a KeyFormatError is a CsimError with code CSIM_KEY_FORMAT');
    }
  });
});

describe('error codes', () => {
  it('each class carries its code statically and on the instance, and the list has no duplicates', () => {
    expect(KeyFormatError.code).toBe('CSIM_KEY_FORMAT');
    expect(new KeyFormatError('x').code).toBe('CSIM_KEY_FORMAT');
    expect(new KeyFormatError('x').name).toBe('KeyFormatError');
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expectTypeOf<AnyCsimError['code']>().toEqualTypeOf<CsimErrorCode>();
  });
});
