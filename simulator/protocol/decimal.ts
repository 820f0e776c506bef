import { InvalidArgumentError } from '../errors.js';

/**
 * Exact decimal arithmetic on strings, so that amounts the simulator prints never carry float
 * garbage (`0.1 + 0.2`): a value is `units / 10^scale` with `units` a bigint.
 *
 * @example
 * const oneCent: Decimal = { units: 1n, scale: 2 }; // 0.01
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Read a plain decimal string (`"0.01"`, `"-3"`, `"88.22639765"`); undefined when it is not one
 * (no exponents, no spaces, no thousands separators).
 *
 * @example
 * parseDecimal('0.0100') // { units: 100n, scale: 4 }
 * parseDecimal('abc')    // undefined
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2] ?? '0'}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

/**
 * Read a JavaScript number as the decimal it prints as (`0.01` → `"0.01"`); undefined for NaN and
 * infinities.
 *
 * @example
 * decimalFromNumber(0.0041) // { units: 41n, scale: 4 }
 */
export function decimalFromNumber(n: number): Decimal | undefined {
  if (!Number.isFinite(n)) return undefined;
  let text = String(n);
  if (/e/i.test(text)) text = n.toFixed(20).replace(/\.?0+$/, '');
  return parseDecimal(text);
}

// 10^0 … 10^39: every scale the asset table and the 8-decimal rounding need, without a bigint
// power per amount field of every request.
const POW10: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

function pow10(k: number): bigint {
  return POW10[k] ?? 10n ** BigInt(k);
}

/**
 * Change the scale. Growing it is exact; shrinking it rounds half away from zero.
 *
 * @example
 * formatDecimal(rescale(parseDecimal('18.742929370')!, 8)) // '18.74292937'
 */
export function rescale(d: Decimal, scale: number): Decimal {
  if (!Number.isInteger(scale) || scale < 0) throw new InvalidArgumentError(`Invalid decimal scale: ${scale}`);
  if (scale === d.scale) return d; // a Decimal is immutable: the same value, no copy needed
  if (scale > d.scale) return { units: d.units * pow10(scale - d.scale), scale };
  const div = pow10(d.scale - scale);
  const neg = d.units < 0n;
  const abs = neg ? -d.units : d.units;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { units: neg ? -q : q, scale };
}

/**
 * Print a decimal. `minScale` pads the fraction with zeros to at least that many digits (never
 * cuts it); `trim` drops trailing zeros (and a bare point).
 *
 * @example
 * formatDecimal(parseDecimal('0.01')!, { minScale: 18 }) // '0.010000000000000000'
 * formatDecimal(parseDecimal('0.0100')!, { trim: true }) // '0.01'
 */
export function formatDecimal(d: Decimal, opts: { minScale?: number; trim?: boolean } = {}): string {
  const v = opts.minScale !== undefined && opts.minScale > d.scale ? rescale(d, opts.minScale) : d;
  const neg = v.units < 0n;
  const digits = (neg ? -v.units : v.units).toString().padStart(v.scale + 1, '0');
  const int = digits.slice(0, digits.length - v.scale);
  let frac = digits.slice(digits.length - v.scale);
  if (opts.trim) frac = frac.replace(/0+$/, '');
  const body = frac.length > 0 ? `${int}.${frac}` : int;
  return neg && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * Exact product.
 *
 * @example
 * formatDecimal(mulDecimal(parseDecimal('0.01')!, parseDecimal('1874.292937')!)) // '18.74292937'
 */
export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/**
 * Exact sum of any number of decimals (zero for none).
 *
 * @example
 * formatDecimal(sumDecimals([parseDecimal('0.1')!, parseDecimal('0.2')!])) // '0.3'
 */
export function sumDecimals(values: readonly Decimal[]): Decimal {
  const scale = Math.max(0, ...values.map((v) => v.scale));
  let units = 0n;
  for (const v of values) units += rescale(v, scale).units;
  return { units, scale };
}

/**
 * Split a total into `n` parts at a given scale (the smallest unit is `10^-scale`): each part gets
 * the total divided by `n`, rounded down to a whole unit, and the first `remainder` parts get one
 * unit more, so the parts add up to the total exactly.
 *
 * @example
 * splitDecimal(parseDecimal('0.01')!, 3, 18).map((d) => formatDecimal(d, { trim: true }))
 * // ['0.003333333333333334', '0.003333333333333333', '0.003333333333333333']
 */
export function splitDecimal(total: Decimal, n: number, scale: number): Decimal[] {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`Cannot split into ${n} parts`);
  if (n === 0) return [];
  const s = Math.max(scale, total.scale);
  if (n === 1) return [rescale(total, s)]; // the one destination of most requests: the total itself
  const t = rescale(total, s).units;
  const neg = t < 0n;
  const abs = neg ? -t : t;
  const base = abs / BigInt(n);
  const rem = Number(abs % BigInt(n));
  return Array.from({ length: n }, (_, i) => {
    const u = base + (i < rem ? 1n : 0n);
    return { units: neg ? -u : u, scale: s };
  });
}

/**
 * The nearest JavaScript number (for the deprecated numeric fields such as `amount`).
 *
 * @example
 * decimalToNumber(parseDecimal('0.0041')!) // 0.0041
 */
export function decimalToNumber(d: Decimal): number {
  return Number(formatDecimal(d));
}
