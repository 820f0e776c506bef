import type { KeyObject } from 'node:crypto';

/** An RSA key pair, as KeyObjects (what jose and node:crypto use) and as PEM text (what files hold). */
export interface KeyPairMaterial {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A certificate and the private key it was made for, in PEM. */
export interface CertMaterial {
  certPem: string;
  keyPem: string;
}

/**
 * A kit: everything both sides of a Co-signer ⇄ handler link need, for every option.
 *
 * - `cosigner`: Co-signer 1's RSA-2048 key pair (signs requests; the handler verifies with the public half).
 * - `cosigners`: every Co-signer's key pair, Co-signer 1 first. In high availability each Co-signer
 *   signs with its own key, so a handler must trust the set [protocol.md §14.2]. Read it with
 *   {@link kitCosigners}: `cosigner` is Co-signer 1 whatever the list's first entry says.
 * - `handler`: the handler's RSA-2048 key pair (signs responses; the Co-signer verifies with the public half).
 * - `pinned`: a self-signed certificate and key the handler serves in options 2 and 4; the Co-signer pins it.
 * - `rootCa`: a Root CA (certificate and key) the Co-signer trusts in options 3 and 5 (and, as an extra CA, in option 1).
 * - `leaf`: a server certificate and key signed by `rootCa`, served by the handler in options 1, 3 and 5.
 *
 * Certificates cover localhost, 127.0.0.1 and ::1, are signed with sha256, and last one year.
 */
export interface Kit {
  /** The folder the kit was read from or written to, if any. */
  dir?: string;
  cosigner: KeyPairMaterial;
  /** Every Co-signer's key pair, Co-signer 1 first (absent: `cosigner` alone). */
  cosigners?: readonly KeyPairMaterial[];
  handler: KeyPairMaterial;
  pinned: CertMaterial;
  rootCa: CertMaterial;
  leaf: CertMaterial;
}

/** The fixed file names of a kit folder, shared by the simulator, the reference handler and `init`. */
export const KIT_FILES = {
  cosignerPrivateKey: 'cosigner-private.pem',
  cosignerPublicKey: 'cosigner-public.pem',
  handlerPrivateKey: 'handler-private.pem',
  handlerPublicKey: 'handler-public.pem',
  pinnedCert: 'pinned-cert.pem',
  pinnedKey: 'pinned-key.pem',
  rootCaCert: 'root-ca.pem',
  rootCaKey: 'root-ca-key.pem',
  leafCert: 'leaf-cert.pem',
  leafKey: 'leaf-key.pem',
} as const;

/**
 * The kit file names of Co-signer `n` (1-based): Co-signer 1 keeps `cosigner-private.pem` /
 * `cosigner-public.pem`, Co-signer n >= 2 has `cosigner-<n>-private.pem` / `cosigner-<n>-public.pem`.
 *
 * @example
 * cosignerKitFiles(2) // { privateKey: 'cosigner-2-private.pem', publicKey: 'cosigner-2-public.pem' }
 */
export function cosignerKitFiles(n: number): { privateKey: string; publicKey: string } {
  if (n === 1) return { privateKey: KIT_FILES.cosignerPrivateKey, publicKey: KIT_FILES.cosignerPublicKey };
  return { privateKey: `cosigner-${n}-private.pem`, publicKey: `cosigner-${n}-public.pem` };
}

/**
 * Every Co-signer key pair of a kit, Co-signer 1 first. Co-signer 1 is always `kit.cosigner`
 * (so `{ ...kit, cosigner: other }` replaces it), the rest come from `kit.cosigners`.
 *
 * @example
 * kitCosigners(await generateKit()).length // 2
 */
export function kitCosigners(kit: Pick<Kit, 'cosigner' | 'cosigners'>): readonly KeyPairMaterial[] {
  return [kit.cosigner, ...(kit.cosigners?.slice(1) ?? [])];
}
