import { createVerify, type KeyObject } from 'node:crypto';
import type { MessageLayer } from '../protocol/options.js';

/** One response body taken apart, without any verdict on whether it is right. */
export type ParsedBody =
  | {
      format: 'jws';
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
      signingInput: string;
      signature: Buffer;
    }
  | { format: 'json'; value: Record<string, unknown> }
  | { format: 'invalid'; problem: string; hint: string; header?: Record<string, unknown>; payload?: Record<string, unknown> };

const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short, printable preview of a body for messages. */
export function previewBody(body: string, max = 80): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Take a JWT-mode response body apart: exactly one bare compact JWS, surrounding whitespace
 * (a trailing newline) tolerated [protocol.md §13.2]. A JWT wrapped in a JSON string literal
 * (`"eyJ…"`, seen in one real handler) is not bare and is refused with a hint.
 *
 * @example
 * parseJwsBody('eyJhbGciOiJSUzI1NiJ9.eyJhY3Rpb24iOiJBUFBST1ZFIn0.c2ln\n').format; // 'jws'
 */
export function parseJwsBody(body: string): ParsedBody {
  const text = body.trim();
  if (text === '') return { format: 'invalid', problem: 'the response body is empty', hint: 'answer with the signed JWT as the whole body' };
  const m = COMPACT_JWS.exec(text);
  if (!m) {
    if (/^"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"$/.test(text)) {
      return {
        format: 'invalid',
        problem: 'the JWT is wrapped in a JSON string literal ("eyJ…")',
        hint: 'send the bare token as the body, not a JSON string of it (Express: res.type("text/plain").send(token), not res.json(token); FastAPI: PlainTextResponse(token); Flask: return token, not jsonify(token))',
      };
    }
    if (text.startsWith('{')) {
      return {
        format: 'invalid',
        problem: 'the response is JSON, not a signed JWT',
        hint: 'options 1, 4 and 5 need the decision signed as a compact JWS (RS256) with the handler private key',
      };
    }
    if (text.split('.').length === 3 && /\s/.test(text)) {
      return { format: 'invalid', problem: 'the JWT contains whitespace inside it', hint: 'send exactly one compact JWS' };
    }
    return {
      format: 'invalid',
      problem: `the body is not one compact JWS (got "${previewBody(text, 40)}")`,
      hint: 'the body must be exactly header.payload.signature in base64url',
    };
  }
  const header = decodeSegment(m[1]!);
  const payload = decodeSegment(m[2]!);
  if (!header) return { format: 'invalid', problem: 'the JWT header is not a base64url-encoded JSON object', hint: 'sign with a JWT library instead of assembling the token by hand', ...(payload ? { payload } : {}) };
  if (!payload) return { format: 'invalid', problem: 'the JWT payload is not a base64url-encoded JSON object', hint: 'the claims must be a JSON object: {"action":…,"requestId":…}', header };
  return { format: 'jws', header, payload, signingInput: `${m[1]}.${m[2]}`, signature: Buffer.from(m[3]!, 'base64url') };
}

/**
 * Take a JSON-mode response body apart: one JSON object, surrounding whitespace tolerated.
 *
 * @example
 * parseJsonBody('{"action":"APPROVE","requestId":"r1"}').format; // 'json'
 */
export function parseJsonBody(body: string): ParsedBody {
  const text = body.trim();
  if (text === '') return { format: 'invalid', problem: 'the response body is empty', hint: 'answer with a JSON object {"action":…,"requestId":…}' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (COMPACT_JWS.test(text)) {
      return { format: 'invalid', problem: 'the response is a JWT, but this option exchanges plain JSON', hint: 'options 2 and 3 answer with a plain JSON object; JWTs belong to options 1, 4 and 5' };
    }
    return { format: 'invalid', problem: `the body is not valid JSON (got "${previewBody(text, 40)}")`, hint: 'answer with a JSON object {"action":…,"requestId":…}' };
  }
  if (!isObject(value)) return { format: 'invalid', problem: `the body is JSON but not an object (got ${Array.isArray(value) ? 'an array' : typeof value})`, hint: 'answer with one JSON object {"action":…,"requestId":…}' };
  return { format: 'json', value };
}

/** Parse a body for the message layer of an option. */
export function parseResponseBody(layer: MessageLayer, body: string): ParsedBody {
  return layer === 'jwt' ? parseJwsBody(body) : parseJsonBody(body);
}

/**
 * Verify an RS256 signature with node:crypto. We verify the compact JWS ourselves rather than
 * with jose's `jwtVerify`, which would reject an expired `exp` the Co-signer ignores
 * [protocol.md §3], and synchronously, so the checks and the matchers stay synchronous.
 *
 * @example
 * verifyRs256(parsed.signingInput, parsed.signature, kit.handler.publicKey); // true or false
 */
export function verifyRs256(signingInput: string, signature: Buffer, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(signingInput).verify(publicKey, signature);
  } catch {
    return false;
  }
}
