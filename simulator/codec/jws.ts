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
