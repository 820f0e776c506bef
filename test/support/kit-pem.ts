import { kitCosigners, type CertMaterial, type Kit } from '../../simulator/keys/types.js';

/** A kit as text only: what `provide` can carry to the test workers (a KeyObject cannot). */
export interface KitPem {
  cosigner: { privateKeyPem: string; publicKeyPem: string };
  /** Every Co-signer, Co-signer 1 first. */
  cosigners: { privateKeyPem: string; publicKeyPem: string }[];
  handler: { privateKeyPem: string; publicKeyPem: string };
  pinned: CertMaterial;
  rootCa: CertMaterial;
  leaf: CertMaterial;
}

/** The PEM half of a kit. */
export function toKitPem(kit: Kit): KitPem {
  const pair = (p: Kit['cosigner']) => ({ privateKeyPem: p.privateKeyPem, publicKeyPem: p.publicKeyPem });
  const cert = (c: CertMaterial) => ({ certPem: c.certPem, keyPem: c.keyPem });
  return { cosigner: pair(kit.cosigner), cosigners: kitCosigners(kit).map(pair), handler: pair(kit.handler), pinned: cert(kit.pinned), rootCa: cert(kit.rootCa), leaf: cert(kit.leaf) };
}
