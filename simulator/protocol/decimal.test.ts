import { describe, expect, it } from 'vitest';
import { decimalFromNumber, decimalToNumber, formatDecimal, mulDecimal, parseDecimal, rescale, splitDecimal, sumDecimals } from './decimal.js';

const d = (s: string) => {
  const v = parseDecimal(s);
  if (v === undefined) throw new Error(`bad test decimal ${s}`);
  return v;
};

describe('parseDecimal / formatDecimal', () => {
  it('round-trips plain decimal strings', () => {
    for (const s of ['0', '0.01', '88.22639765', '-3.5', '1000', '0.000597803762241000']) expect(formatDecimal(d(s))).toBe(s);
  });

  it('refuses anything that is not a plain decimal', () => {
    for (const s of ['', 'abc', '1e5', ' 1', '1.', '.5', '1,000', '+1']) expect(parseDecimal(s)).toBeUndefined();
  });

  it('pads to a minimum scale without cutting, and trims trailing zeros', () => {
    expect(formatDecimal(d('0.01'), { minScale: 18 })).toBe('0.010000000000000000');
    expect(formatDecimal(d('0.0123456789'), { minScale: 8 })).toBe('0.0123456789');
    expect(formatDecimal(d('0.0100'), { trim: true })).toBe('0.01');
    expect(formatDecimal(d('25.000'), { trim: true })).toBe('25');
    expect(formatDecimal(d('-0.000'), { trim: true })).toBe('0');
  });
});

describe('arithmetic', () => {
  it('multiplies and adds exactly', () => {
    expect(formatDecimal(mulDecimal(d('0.01'), d('1874.292937')), { trim: true })).toBe('18.74292937');
    expect(formatDecimal(sumDecimals([d('0.1'), d('0.2')]))).toBe('0.3');
    expect(formatDecimal(sumDecimals([]))).toBe('0');
  });

  it('rescales with half-away-from-zero rounding', () => {
    expect(formatDecimal(rescale(d('13.3585941577'), 8))).toBe('13.35859416');
    expect(formatDecimal(rescale(d('0.125'), 2))).toBe('0.13');
    expect(formatDecimal(rescale(d('-0.125'), 2))).toBe('-0.13');
    expect(formatDecimal(rescale(d('1.5'), 3))).toBe('1.500');
    expect(rescale(d('1.5'), 1)).toEqual(d('1.5'));
    // Beyond the table of powers of ten the power is computed.
    expect(formatDecimal(rescale(d('1.5'), 45))).toBe(`1.5${'0'.repeat(44)}`);
    expect(formatDecimal(rescale(d(`1.${'0'.repeat(44)}5`), 44))).toBe(`1.${'0'.repeat(43)}1`);
  });

  it('splits into parts that add up to the total, extra units first', () => {
    const parts = splitDecimal(d('0.01'), 3, 18);
    expect(parts.map((p) => formatDecimal(p))).toEqual(['0.003333333333333334', '0.003333333333333333', '0.003333333333333333']);
    expect(formatDecimal(sumDecimals(parts), { trim: true })).toBe('0.01');
    expect(splitDecimal(d('1'), 0, 8)).toEqual([]);
    expect(splitDecimal(d('-0.5'), 1, 8)).toEqual([{ units: -50000000n, scale: 8 }]);
    expect(splitDecimal(d('0.123456789'), 1, 8)).toEqual([d('0.123456789')]);
    expect(() => splitDecimal(d('1'), -1, 8)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});

describe('numbers', () => {
  it('converts numbers as they print, including exponent forms', () => {
    expect(formatDecimal(decimalFromNumber(0.0041) ?? d('1'))).toBe('0.0041');
    expect(formatDecimal(decimalFromNumber(1e-7) ?? d('1'))).toBe('0.0000001');
    expect(decimalFromNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(decimalToNumber(d('88.22639765'))).toBe(88.22639765);
  });
});
