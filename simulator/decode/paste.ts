/**
 * What people paste from logs, tidied into one token or JSON body: surrounding quotes (single,
 * double, backticks, a Markdown code fence), a `Bearer ` prefix (or a whole `Authorization:`
 * header line), whitespace and line breaks inside the token (real ones or JSON-escaped `\n`), and
 * a JSON string literal holding the token. Pure: no I/O.
 */
import { InvalidArgumentError } from '../errors.js';
import { parseJsonBody, parseJwsBody, previewBody } from '../codec/response.js';
import { redactText } from '../report/redact.js';

/** The pasted text, taken apart. `text` is the token or JSON exactly as it will be judged. */
export type PastedMessage =
  | {
      format: 'jwt';
      /** The compact JWS after tidying: byte for byte what was signed (header.payload) plus the signature. */
      text: string;
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
      signingInput: string;
      signature: Buffer;
      /** What tidying took away, in words (`surrounding double quotes`, `a Bearer prefix`, …); empty when nothing. */
      tidied: string[];
    }
  | {
      format: 'json';
      text: string;
      payload: Record<string, unknown>;
      tidied: string[];
    };

/** Base64url has no whitespace or backslash: either one inside a token was added by a log or a terminal. */
const JWS_WITH_NOISE = /^[A-Za-z0-9_\-\s\\]+\.[A-Za-z0-9_\-\s\\]+\.[A-Za-z0-9_\-\s\\]*$/;
const ESCAPED_BREAKS = /\\+[rnt]/g;

const QUOTE_PAIRS: readonly [string, string, string][] = [
  ['"', '"', 'surrounding double quotes'],
  ["'", "'", 'surrounding single quotes'],
  ['`', '`', 'surrounding backticks'],
];

/** One round of unwrapping; undefined when nothing more comes off. */
function unwrapOnce(text: string): { text: string; what: string } | undefined {
  const fence = /^```[A-Za-z]*\s*\n([\s\S]*?)\n\s*```$/.exec(text);
  if (fence) return { text: fence[1]!.trim(), what: 'a code fence' };
  const header = /^authorization\s*:\s*/i.exec(text);
  if (header) return { text: text.slice(header[0].length).trim(), what: 'an Authorization: header name' };
  const bearer = /^bearer\s+/i.exec(text);
  if (bearer) return { text: text.slice(bearer[0].length).trim(), what: 'a Bearer prefix' };
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    // A JSON string literal ("eyJ…" from a JSON log line, maybe with \n escapes): JSON decides.
    try {
      const inner: unknown = JSON.parse(text);
      if (typeof inner === 'string') return { text: inner.trim(), what: 'a JSON string literal around it' };
    } catch {
      // not JSON: take the quotes off as quotes, below
    }
  }
  for (const [open, close, what] of QUOTE_PAIRS) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) return { text: text.slice(open.length, -close.length).trim(), what };
  }
  return undefined;
}

/** Redacted and short: the error message may end up in a CI log. */
function shown(text: string): string {
  return previewBody(redactText(text), 60);
}

/**
 * Tidy pasted text and take it apart as a compact JWS or a JSON object. Throws
 * InvalidArgumentError (exit 2) when it is neither, saying what it looks like and how to paste it.
 *
 * @example
 * parsePasted('Bearer "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJh\nIjoxfQ.c2ln"').format; // 'jwt'
 */
export function parsePasted(input: string, label = 'the input'): PastedMessage {
  let text = input.trim();
  const tidied: string[] = [];
  for (let round = 0; round < 8; round++) {
    const next = unwrapOnce(text);
    if (!next) break;
    tidied.push(next.what);
    text = next.text;
  }
  if (text === '') {
    throw new InvalidArgumentError(`${label} is empty${tidied.length ? ` (after taking off ${tidied.join(', ')})` : ''}`, {
      hint: 'paste the JWT or the JSON body as it appears in the log, or give the file that holds it (or - for stdin)',
    });
  }
  if (text.startsWith('{')) {
    const parsed = parseJsonBody(text);
    if (parsed.format === 'json') return { format: 'json', text, payload: parsed.value, tidied };
    throw new InvalidArgumentError(redactText(`${label} starts like JSON but is not a JSON object: ${parsed.format === 'invalid' ? parsed.problem : 'it does not parse'}`), {
      hint: 'paste the whole body, from { to the matching }; a log that cut the line off cut the body too',
    });
  }
  if (JWS_WITH_NOISE.test(text)) {
    const compact = text.replace(ESCAPED_BREAKS, '').replace(/\s+/g, '');
    if (compact !== text) tidied.push(/\\[rnt]/.test(text) ? 'escaped line breaks inside the token' : 'whitespace and line breaks inside the token');
    text = compact;
  }
  const parsed = parseJwsBody(text);
  if (parsed.format === 'jws') return { format: 'jwt', text, header: parsed.header, payload: parsed.payload, signingInput: parsed.signingInput, signature: parsed.signature, tidied };
  // parseJwsBody returns jws or invalid; anything else here is invalid.
  const problem = parsed.format === 'invalid' ? parsed : { problem: 'it does not decode', hint: 'copy the token again' };
  const looksLikeJwt = text.split('.').length === 3;
  throw new InvalidArgumentError(
    looksLikeJwt ? `${label} is not a well-formed JWT: ${problem.problem}` : `${label} is neither a JWT (header.payload.signature) nor a JSON object (got "${shown(text)}")`,
    {
      hint: looksLikeJwt
        ? `${problem.hint}; check that the whole token was copied (a log that cuts lines at a fixed width cuts the token too)`
        : 'paste the request or response JWT (it starts with eyJ) or the JSON body; quotes, a Bearer prefix and line breaks are fine. A file path or - (stdin) works too',
    },
  );
}
