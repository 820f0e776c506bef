import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileNotFoundError } from '../errors.js';
import { parseCertificate, parsePrivateKey, parsePublicKey, readMaterialFile } from './parse.js';
import { KIT_FILES, type CertMaterial, type Kit, type KeyPairMaterial } from './types.js';

function readPair(dir: string, privateName: string, publicName: string): KeyPairMaterial {
  const privatePath = join(dir, privateName);
  const publicPath = join(dir, publicName);
  const privateKeyPem = readMaterialFile(privatePath, 'private key');
  const publicKeyPem = readMaterialFile(publicPath, 'public key');
  return {
    privateKeyPem,
    publicKeyPem,
    privateKey: parsePrivateKey(privateKeyPem, { label: privatePath }),
    publicKey: parsePublicKey(publicKeyPem, { label: publicPath }),
  };
}

function readCert(dir: string, certName: string, keyName: string): CertMaterial {
  const certPath = join(dir, certName);
  const keyPath = join(dir, keyName);
  const certPem = parseCertificate(readMaterialFile(certPath, 'certificate'), { label: certPath }).pem;
  const keyPem = readMaterialFile(keyPath, 'private key');
  parsePrivateKey(keyPem, { label: keyPath });
  return { certPem, keyPem };
}

/**
 * Read a kit folder (the fixed file names of `KIT_FILES`). Every file is parsed, so a wrong
 * file is reported by name ("found a certificate where a private key was expected").
 *
 * @example
 * const kit = readKit('.cosigner-sim/kit');
 */
export function readKit(dir: string): Kit {
  if (!existsSync(dir)) {
    throw new FileNotFoundError(`${dir}: no such kit folder`, {
      file: dir,
      hint: 'omit --kit to generate one in memory, or write one with writeKit(await generateKit(), dir)',
    });
  }
  return {
    dir,
    cosigner: readPair(dir, KIT_FILES.cosignerPrivateKey, KIT_FILES.cosignerPublicKey),
    handler: readPair(dir, KIT_FILES.handlerPrivateKey, KIT_FILES.handlerPublicKey),
    pinned: readCert(dir, KIT_FILES.pinnedCert, KIT_FILES.pinnedKey),
    rootCa: readCert(dir, KIT_FILES.rootCaCert, KIT_FILES.rootCaKey),
    leaf: readCert(dir, KIT_FILES.leafCert, KIT_FILES.leafKey),
  };
}

/**
 * Write a kit to a folder with the fixed file names (private keys mode 0600).
 *
 * @example
 * writeKit(await generateKit(), '.cosigner-sim/kit');
 */
export function writeKit(kit: Kit, dir: string): Kit {
  mkdirSync(dir, { recursive: true });
  const secret = { mode: 0o600 };
  writeFileSync(join(dir, KIT_FILES.cosignerPrivateKey), kit.cosigner.privateKeyPem, secret);
  writeFileSync(join(dir, KIT_FILES.cosignerPublicKey), kit.cosigner.publicKeyPem);
  writeFileSync(join(dir, KIT_FILES.handlerPrivateKey), kit.handler.privateKeyPem, secret);
  writeFileSync(join(dir, KIT_FILES.handlerPublicKey), kit.handler.publicKeyPem);
  writeFileSync(join(dir, KIT_FILES.pinnedCert), kit.pinned.certPem);
  writeFileSync(join(dir, KIT_FILES.pinnedKey), kit.pinned.keyPem, secret);
  writeFileSync(join(dir, KIT_FILES.rootCaCert), kit.rootCa.certPem);
  writeFileSync(join(dir, KIT_FILES.rootCaKey), kit.rootCa.keyPem, secret);
  writeFileSync(join(dir, KIT_FILES.leafCert), kit.leaf.certPem);
  writeFileSync(join(dir, KIT_FILES.leafKey), kit.leaf.keyPem, secret);
  return { ...kit, dir };
}
