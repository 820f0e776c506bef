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

function write(value: unknown, key: string | undefined, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(faithfulNumber(value, key));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new InvalidArgumentError(`Cannot serialize a ${typeof value}${key === undefined ? '' : ` at "${key}"`}.`, {
        hint: 'payloads hold JSON values only: strings, numbers, booleans, null, arrays and objects',
      });
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v: unknown, i) => {
      if (i > 0) out.push(',');
      write(v === undefined || typeof v === 'function' ? null : v, undefined, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    write(v, k, out);
  }
  out.push('}');
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
  const out: string[] = [];
  write(payload, undefined, out);
  return out.join('');
}
