import { createSign, type KeyObject } from 'node:crypto';
import { COSIGNER_JWT_HEADER } from '../protocol/serialize.js';

/** base64url without padding, as JWS uses. */
export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Sign a request payload the way the Co-signer does: compact JWS, RS256 (RSASSA-PKCS1-v1_5 with
 * SHA-256), the exact header bytes of `COSIGNER_JWT_HEADER`, and the payload bytes exactly as
 * given (the faithful serializer decides them, so jose's re-serialization is not used).
 *
 * @example
 * const body = signCompactJws('{"requestId":"9c794cee-7e27-46c9-9e9a-ed68295ff06b"}', kit.cosigner.privateKey);
 * body.startsWith('eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.'); // true
 */
export function signCompactJws(payloadText: string, privateKey: KeyObject, headerText: string = COSIGNER_JWT_HEADER): string {
  const signingInput = `${base64url(headerText)}.${base64url(payloadText)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The three base64url segments of a compact JWS, as they appear in the token. */
export interface CompactJwsSegments {
  header: string;
  payload: string;
  signature: string;
}

const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/**
 * Split a compact JWS into its segments, surrounding whitespace (a file's trailing newline)
 * tolerated; undefined when the text is not one compact JWS. The segments are not decoded.
 *
 * @example
 * splitCompactJws('eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJyZXF1ZXN0SWQiOiJyIn0.c2ln\n')?.payload; // 'eyJyZXF1ZXN0SWQiOiJyIn0'
 */
export function splitCompactJws(token: string): CompactJwsSegments | undefined {
  const m = COMPACT_JWS.exec(token.trim());
  return m ? { header: m[1]!, payload: m[2]!, signature: m[3]! } : undefined;
}

/**
 * Sign a captured request again: the header and payload segments are kept byte for byte (so
 * the bytes a handler hashes are the captured ones) and only the RS256 signature is new.
 *
 * @example
 * const replay = resignCompactJws(splitCompactJws(captured)!, kit.cosigner.privateKey);
 * replay.split('.').slice(0, 2).join('.') === captured.trim().split('.').slice(0, 2).join('.'); // true
 */
export function resignCompactJws(segments: Pick<CompactJwsSegments, 'header' | 'payload'>, privateKey: KeyObject): string {
  const signingInput = `${segments.header}.${segments.payload}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}
