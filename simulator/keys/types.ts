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
 * - `cosigner`: the Co-signer's RSA-2048 key pair (signs requests; the handler verifies with the public half).
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
