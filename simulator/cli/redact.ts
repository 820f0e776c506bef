/**
 * Secret redaction for every reporter. Reports end up in CI logs and artifacts, so by default no
 * private key, signature or credential-looking field leaves the process; `--show-secrets` turns
 * this off.
 */

export const REDACTED = '[redacted]';

/** PEM blocks of any type: keys above all, but certificates are long and useless in a log too. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * A compact JWS: three base64url segments, the first one a JSON header (`eyJ` is `{"`). Only the
 * third segment (the signature) is removed: header and payload are what users need to debug.
 */
const COMPACT_JWS = /\b(eyJ[A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{8,})/g;

/** Field names that hold credentials (apiKey, api_key, clientSecret, password, accessToken, privateKey, ...). */
const SECRET_KEY = /api[-_]?key|secret|passw(or)?d|passphrase|token|private[-_]?key/i;

/** `https://user:password@host` */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi;

export interface Redactor {
  readonly enabled: boolean;
  /** Redact PEM blocks, JWS signatures and URL passwords in free text. */
  text(value: string): string;
  /** Deep copy of a JSON-like value with secret-named fields replaced and every string redacted. */
  value<T>(value: T): T;
  /** True when a field of this name would be redacted. */
  isSecretKey(name: string): boolean;
}

/**
 * Redact PEM blocks, JWS signatures and URL passwords in a piece of text.
 *
 * @example
 * redactText('eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJlLWJ5dGVz') // 'eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.[redacted]'
 */
export function redactText(value: string): string {
  return value
    .replace(PEM_BLOCK, (_m, type: string) => `-----BEGIN ${type}-----\n${REDACTED}\n-----END ${type}-----`)
    .replace(COMPACT_JWS, (_m, h: string, p: string) => `${h}.${p}.${REDACTED}`)
    .replace(URL_PASSWORD, (_m, head: string) => `${head}${REDACTED}@`);
}

/**
 * Redact a JSON-like value: fields named like apiKey, secret, password, token or privateKey are
 * replaced whole, and every string goes through {@link redactText}. The input is not changed.
 *
 * @example
 * redactValue({ apiKey: 'k', note: 'ok' }) // { apiKey: '[redacted]', note: 'ok' }
 */
export function redactValue<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : walk(v, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * The one redactor every reporter uses: active unless `--show-secrets`.
 *
 * @example
 * const r = createRedactor(options.showSecrets);
 * out.write(r.text(body));
 */
export function createRedactor(showSecrets: boolean): Redactor {
  if (showSecrets) {
    return { enabled: false, text: (v) => v, value: (v) => v, isSecretKey: () => false };
  }
  return { enabled: true, text: redactText, value: redactValue, isSecretKey: (k) => SECRET_KEY.test(k) };
}
