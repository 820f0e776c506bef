import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The SHA-256 fingerprint of a public key: the hash of its DER SubjectPublicKeyInfo, lower-case
 * hex, so a user can compare it with what
 * `openssl pkey -pubin -in cosigner-2-public.pem -outform DER | openssl dgst -sha256` prints.
 * A private key gives its public half's fingerprint.
 *
 * @example
 * publicKeyFingerprint(kit.cosigner.publicKey) // 64 hex digits
 */
export function publicKeyFingerprint(key: KeyObject): string {
  const spki = key.type === 'public' ? key : createPublicKey(key);
  return createHash('sha256').update(spki.export({ type: 'spki', format: 'der' })).digest('hex');
}
