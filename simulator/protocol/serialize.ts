import { InvalidArgumentError } from '../errors.js';

/**
 * The JWT header a real Co-signer puts on its request tokens, byte for byte: `typ` before `alg`,
 * no spaces, no `kid` [protocol.md §3, §10.1]. Common JWT libraries emit `{"alg":"RS256","typ":"JWT"}`
 * instead; a faithful request must use this string.
 *
 * @example
 * Buffer.from(COSIGNER_JWT_HEADER).toString('base64url') // 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9'
 */
export const COSIGNER_JWT_HEADER = '{"typ":"JWT","alg":"RS256"}';

/**
 * {@link COSIGNER_JWT_HEADER} as the first segment of a compact JWS.
 *
 * @example
 * `${COSIGNER_JWT_HEADER_B64}.${payloadB64}.${signatureB64}`
 */
export const COSIGNER_JWT_HEADER_B64 = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9';

/**
 * How a payload becomes text. `faithful` prints it as the real Co-signer does [protocol.md §4.6];
 * `plain` is `JSON.stringify`.
 *
 * @example
 * const mode: WireMode = 'faithful';
 */
export type WireMode = 'faithful' | 'plain';

/**
 * The fields the Co-signer sends as decimal numbers; the faithful form always prints them with 8
 * decimals, even when the value is whole (`1.00000000`) [protocol.md §4.6, §10].
 *
 * @example
 * DECIMAL_KEYS.has('amountUSD') // true
 */
export const DECIMAL_KEYS: ReadonlySet<string> = new Set(['amount', 'requestedAmount', 'amountNative', 'amountUSD']);

function fixed8(n: number): string {
  return Object.is(n, -0) ? '0.00000000' : n.toFixed(8);
}

function faithfulNumber(n: number, key: string | undefined): string {
  if (!Number.isFinite(n)) return 'null';
  // Integers outside DECIMAL_KEYS print plain (`"capturedRuleNum":5`) [protocol.md §4.6]. Any other
  // fraction also gets 8 decimals: the only doubles the captures show are printed that way [I].
  if (key !== undefined && DECIMAL_KEYS.has(key)) return fixed8(n);
  return Number.isInteger(n) ? String(n) : fixed8(n);
}

// Strings that JSON.stringify would print as they are, between quotes: no quote, backslash,
// control character or surrogate (a lone one is escaped). Testing this is cheaper than calling
// JSON.stringify on every short ID and name, and the output is the same either way.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

// `"key":` of the keys seen so far: payloads repeat the same few dozen keys in every request.
// Bounded, so payloads with arbitrary keys (exact mode, overrides) cannot grow it without end.
const KEY_PREFIX = new Map<string, string>();
const KEY_PREFIX_LIMIT = 2048;

function keyPrefix(k: string): string {
  let p = KEY_PREFIX.get(k);
  if (p === undefined) {
    p = `${quote(k)}:`;
    if (KEY_PREFIX.size < KEY_PREFIX_LIMIT) KEY_PREFIX.set(k, p);
  }
  return p;
}

// One string built by concatenation (V8 joins the pieces once, when the text is read) rather than
// an array of pieces and a join: the serializer runs on every request a client sends.
function write(value: unknown, key: string | undefined): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return faithfulNumber(value, key);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw new InvalidArgumentError(`Cannot serialize a ${typeof value}${key === undefined ? '' : ` at "${key}"`}.`, {
        hint: 'payloads hold JSON values only: strings, numbers, booleans, null, arrays and objects',
      });
  }
  if (Array.isArray(value)) {
    let out = '[';
    const arr = value as unknown[];
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      // A hole of a sparse array is skipped, separator and all, as forEach skipped it before.
      if (v === undefined && !(i in arr)) continue;
      if (i > 0) out += ',';
      out += v === undefined || typeof v === 'function' ? 'null' : write(v, undefined);
    }
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function') continue;
    if (first) first = false;
    else out += ',';
    out += keyPrefix(k) + write(v, k);
  }
  return `${out}}`;
}

/**
 * Turn a request payload into the text that goes on the wire (the JSON body in options 2/3, the
 * JWT claims segment before base64url in options 1/4/5).
 *
 * `faithful` (the default) reproduces the real Co-signer byte for byte: compact JSON, keys in the
 * object's own order (the builders create them in the captured order), and `amount`,
 * `requestedAmount`, `amountNative`, `amountUSD` printed with exactly 8 decimals (`0.01000000`)
 * while integers elsewhere stay plain [protocol.md §4.6]. `plain` is `JSON.stringify`.
 *
 * @example
 * serializePayload({ amount: 0.01, capturedRuleNum: 5 })          // '{"amount":0.01000000,"capturedRuleNum":5}'
 * serializePayload({ amount: 0.01, capturedRuleNum: 5 }, 'plain') // '{"amount":0.01,"capturedRuleNum":5}'
 */
export function serializePayload(payload: unknown, mode: WireMode = 'faithful'): string {
  if (mode === 'plain') return JSON.stringify(payload);
  if (mode !== 'faithful') {
    throw new InvalidArgumentError(`Unknown wire mode: ${JSON.stringify(mode)}. Expected one of: faithful, plain.`);
  }
  return write(payload, undefined);
}
