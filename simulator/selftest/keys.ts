import { generateRsaKeyPair } from '../keys/generate.js';
import { lazy } from '../lib/lazy.js';

/**
 * The one extra RSA-2048 key pair of the zoos, made once per process: every zoo certificate (the
 * unpinned, expired, wrong-host, foreign-CA and weak-digest ones) and the "other key" of the
 * forgery defects use it. A certificate's identity is the certificate, not its key (pins compare
 * whole certificates, chains compare issuers and signatures), so sharing a key hides no defect,
 * and the zoos start in one key generation instead of eight.
 *
 * @example
 * const keys = await zooKeyPair();
 */
export const zooKeyPair = lazy(() => generateRsaKeyPair());
