/**
 * The one redactor. Matcher messages end up in test logs and reporter output in CI logs and
 * artifacts, so by default nothing that could let a reader sign as the handler or the Co-signer
 * leaves the process: private keys (PEM, bare base64 DER, JWK members), JWS signatures, URL
 * passwords and credential-named fields. `--show-secrets` turns it off ({@link createRedactor}).
 * Pure text functions: no I/O, so the matchers may call them.
 */

/** What a credential-named field, a JWK private member or a URL password becomes. */
export const REDACTED = '[redacted]';

/**
 * A complete PEM block of any type: keys above all, but certificates are long and useless in a
 * log too. Also matches with JSON-escaped line breaks (`\n` as two characters).
 */
const COMPLETE_PEM = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const PEM_END = /-----END ([A-Z0-9 ]+)-----/g;
/** A BEGIN line cut off by a preview before its label was complete. */
const PEM_BEGIN_CUT = /-----BEGIN[A-Z0-9 ]*-{0,5}$/;

/**
 * A compact JWS: three base64url segments, the first one a JSON header (`eyJ` is `{"`). Only the
 * third segment (the signature) is removed: header and payload are what users need to debug, and
 * the reports decode them anyway. Any non-empty signature counts, however short.
 */
const COMPACT_JWS = /\b(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.)([A-Za-z0-9_-]+)/g;

/**
 * A run of base64 (either alphabet) long enough to hold a key's first bytes, with the lines that
 * follow it (real or JSON-escaped breaks). Its first bytes are decoded to tell a private key from
 * anything else base64 (a JWS segment, a certificate, a hash).
 */
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}(?:(?:\r?\n|(?:\\+r)?\\+n)[A-Za-z0-9+/_-]+={0,2})*/g;

/** The private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const JWK_PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']);
const JWK_PRIVATE_TEXT = /(\\?"(?:d|p|q|dp|dq|qi|k)\\?"\s*:\s*\\?")([A-Za-z0-9_-]+)(?=\\?")/g;
const JWK_MARKER = /\\?"kty\\?"/;

/** Field names that hold credentials (apiKey, api_key, clientSecret, password, accessToken, privateKey, ...). */
const SECRET_KEY = /api[-_]?key|secret|passw(or)?d|passphrase|token|private[-_]?key/i;

/** `https://user:password@host` */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi;

const PEM_BODY_CHAR = /[A-Za-z0-9+/=\s]/;

/**
 * Length of a JSON-escaped line break at `i` (`\n` as two characters, or `\\n` once more
 * escaped, ...), or 0.
 */
function escapedBreakAt(text: string, i: number): number {
  let j = i;
  while (text[j] === '\\') j++;
  return j > i && (text[j] === 'n' || text[j] === 'r') ? j + 1 - i : 0;
}

/** Length of a JSON-escaped line break ending just before `i`, or 0. */
function escapedBreakBefore(text: string, i: number): number {
  if (i < 2 || (text[i - 1] !== 'n' && text[i - 1] !== 'r')) return 0;
  let j = i - 1;
  while (j > 0 && text[j - 1] === '\\') j--;
  return j < i - 1 ? i - j : 0;
}

/** End of the PEM-body run that starts at `from`. Scanned by hand: one pass, however long. */
function runForward(text: string, from: number): number {
  let i = from;
  for (;;) {
    const escaped = escapedBreakAt(text, i);
    if (escaped > 0) i += escaped;
    else if (i < text.length && PEM_BODY_CHAR.test(text[i]!)) i += 1;
    else return i;
  }
}

/** Start of the PEM-body run that ends at `to`. */
function runBackward(text: string, to: number): number {
  let i = to;
  for (;;) {
    const escaped = escapedBreakBefore(text, i);
    if (escaped > 0) i -= escaped;
    else if (i >= 1 && PEM_BODY_CHAR.test(text[i - 1]!)) i -= 1;
    else return i;
  }
}

/** Replace, for each match, the span `span(match)` gives (spans never overlap: later ones inside an earlier one are dropped). */
function replaceSpans(text: string, pattern: RegExp, span: (m: RegExpExecArray) => { start: number; end: number; with: string }): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index < last) continue;
    const s = span(m);
    out += text.slice(last, Math.max(s.start, last)) + s.with;
    last = s.end;
  }
  return out + text.slice(last);
}

function redactPem(text: string): string {
  if (!text.includes('-----')) return text;
  const whole = text.replace(COMPLETE_PEM, (_block, label: string) => `[${label} redacted]`);
  // What is left is cut off: a BEGIN line whose body runs to the end of a preview, or the body
  // before a lone END line when the preview started inside the block.
  const headless = replaceSpans(whole, PEM_BEGIN, (m) => {
    const end = runForward(whole, m.index + m[0].length);
    // The END line itself may be cut (`-----END PRIV` at the end of a preview): it goes too.
    const rest = whole.slice(end);
    const cutEnd = rest !== '' && `-----END ${m[1]}-----`.startsWith(rest);
    return { start: m.index, end: cutEnd ? whole.length : end, with: `[${m[1]} redacted]` };
  });
  const tailless = replaceSpans(headless, PEM_END, (m) => ({ start: runBackward(headless, m.index), end: m.index + m[0].length, with: `[${m[1]} redacted]` }));
  return tailless.replace(PEM_BEGIN_CUT, '[PEM redacted]');
}

/** Skip a DER length at `i`; the index after it, or -1. */
function afterLength(der: Uint8Array, i: number): number {
  const first = der[i];
  if (first === undefined) return -1;
  if (first < 0x80) return i + 1;
  const n = first & 0x7f;
  return n >= 1 && n <= 3 ? i + 1 + n : -1;
}

const OID_PKCS5 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
const OID_PKCS12_PBE = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c];
const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/**
 * True when DER bytes start like private key material: PKCS#8 (`SEQUENCE { INTEGER 0|1,
 * SEQUENCE … }`), PKCS#1 RSA or DSA (`SEQUENCE { INTEGER 0, INTEGER … }`), SEC1 EC
 * (`SEQUENCE { INTEGER 1, OCTET STRING … }`), an encrypted PKCS#8 (PBES2/PKCS#12 algorithm), or
 * an OpenSSH private key. Certificates and public keys do not match.
 */
export function looksLikePrivateKeyDer(der: Uint8Array): boolean {
  if (der.length >= OPENSSH_MAGIC.length && Buffer.from(der.subarray(0, OPENSSH_MAGIC.length)).equals(OPENSSH_MAGIC)) return true;
  if (der[0] !== 0x30) return false;
  const i = afterLength(der, 1);
  if (i < 0) return false;
  if (der[i] === 0x02 && der[i + 1] === 0x01 && (der[i + 2] === 0x00 || der[i + 2] === 0x01)) {
    const next = der[i + 3];
    return next === 0x30 || next === 0x04 || (next === 0x02 && der[i + 2] === 0x00);
  }
  if (der[i] === 0x30) {
    const j = afterLength(der, i + 1);
    if (j < 0 || der[j] !== 0x06) return false;
    const oid = der.subarray(j + 2, j + 2 + 8);
    return [OID_PKCS5, OID_PKCS12_PBE].some((prefix) => prefix.every((b, k) => oid[k] === b));
  }
  return false;
}

function redactBareKeys(text: string): string {
  return text.replace(BASE64_RUN, (run: string) => {
    // A private key's DER starts with 0x30 (base64 `M`), an OpenSSH key with `openssh` (`b`):
    // any other first character decodes to another first byte, so the run (an id, an address, a
    // hash) is kept without decoding it.
    if (run[0] !== 'M' && run[0] !== 'b') return run;
    const head = run.replace(/\r|\n|\\+r|\\+n/g, '').slice(0, 64);
    return looksLikePrivateKeyDer(Buffer.from(head, 'base64')) ? '[base64 PRIVATE KEY redacted]' : run;
  });
}

/**
 * Redact one piece of text: PEM blocks (`[PRIVATE KEY redacted]`; a block cut off at either end
 * too), bare base64 private keys, JWK private members, JWS signature segments
 * (`<signature: 342 chars, redacted>`) and URL passwords. Safe to apply twice.
 *
 * @example
 * redactText('-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----'); // '[PRIVATE KEY redacted]'
 * redactText('eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJl'); // 'eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.<signature: 12 chars, redacted>'
 */
export function redactText(text: string): string {
  if (cannotHoldSecret(text)) return text;
  const known = redactedTexts.get(text);
  if (known !== undefined) return known;
  const out = redactAll(text);
  // Bounded, and only short texts: a report tells the same payload strings (assets, addresses,
  // names) for every scenario, and a body would only fill the memory. 256 characters: an address
  // or a name repeats, a long text rarely does (at most ~10 MB held, not the ~160 MB 2048 allowed).
  if (text.length <= 256 && redactedTexts.size < 20_000) redactedTexts.set(text, out);
  return out;
}

/** Texts already redacted, with their result ({@link redactText} is pure). */
const redactedTexts = new Map<string, string>();

function redactAll(text: string): string {
  let out = redactPem(text);
  out = redactBareKeys(out);
  if (JWK_MARKER.test(out)) out = out.replace(JWK_PRIVATE_TEXT, (_m, head: string) => `${head}${REDACTED}`);
  return out
    .replace(COMPACT_JWS, (_token, head: string, signature: string) => `${head}<signature: ${signature.length} chars, redacted>`)
    .replace(URL_PASSWORD, (_m, head: string) => `${head}${REDACTED}@`);
}

/**
 * True when no pattern of {@link redactText} can match: shorter than a base64 run, and without
 * what every other pattern needs (`-----` of a PEM line, `eyJ` of a JWS, `kty` of a JWK, `://` of
 * a URL). Most strings of a report (actions, ids, amounts, asset names) are such; a report of a
 * thousand scenarios skips the regular expressions for them.
 */
function cannotHoldSecret(text: string): boolean {
  return text.length < 20 && !text.includes('-----') && !text.includes('eyJ') && !text.includes('kty') && !text.includes('://');
}

/** Field names seen, with their verdict: a report asks about the same few names for every payload. */
const secretKeyVerdicts = new Map<string, boolean>();

/** True when a field of this name holds a credential and is redacted whole. */
export function isSecretKey(name: string): boolean {
  let secret = secretKeyVerdicts.get(name);
  if (secret === undefined) {
    secret = SECRET_KEY.test(name);
    // Bounded: names come from payloads, which a handler or a scenario may fill with anything.
    if (secretKeyVerdicts.size < 10_000) secretKeyVerdicts.set(name, secret);
  }
  return secret;
}

/**
 * Redact a JSON-like value: fields named like apiKey, secret, password, token or privateKey and
 * the private members of a JWK are replaced whole, and every string goes through
 * {@link redactText}. The input is not changed.
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
    const jwk = typeof (value as { kty?: unknown }).kty === 'string';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const secret = isSecretKey(k) || (jwk && JWK_PRIVATE_MEMBERS.has(k));
      out[k] = secret && v !== null && v !== undefined ? REDACTED : walk(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Redaction switched on or off once, for a whole run. */
export interface Redactor {
  readonly enabled: boolean;
  /** {@link redactText}, or the text unchanged with `--show-secrets`. */
  text(value: string): string;
  /** {@link redactValue}, or the value unchanged with `--show-secrets`. */
  value<T>(value: T): T;
  /** True when a field of this name would be redacted. */
  isSecretKey(name: string): boolean;
}

const ON: Redactor = { enabled: true, text: redactText, value: redactValue, isSecretKey };
const OFF: Redactor = { enabled: false, text: (v) => v, value: (v) => v, isSecretKey: () => false };

/**
 * The redactor every surface uses: active unless `--show-secrets`.
 *
 * @example
 * const r = createRedactor(options.showSecrets);
 * out.write(r.text(body));
 */
export function createRedactor(showSecrets: boolean): Redactor {
  return showSecrets ? OFF : ON;
}
