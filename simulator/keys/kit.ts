import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileNotFoundError } from '../errors.js';
import { parseCertificate, parsePrivateKey, parsePublicKey, readMaterialFile } from './parse.js';
import { KIT_FILES, cosignerKitFiles, kitCosigners, type CertMaterial, type Kit, type KeyPairMaterial } from './types.js';

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

/** `cosigner-<n>-private.pem` / `cosigner-<n>-public.pem`: the kit files of Co-signer n >= 2. */
const EXTRA_COSIGNER_FILE = /^cosigner-(\d+)-(private|public)\.pem$/;

/**
 * The numbers of the Co-signers n >= 2 a kit folder holds, in order. A gap (Co-signer 3 without 2)
 * is refused by name: Co-signer n is `--cosigner n`, so the numbers must not shift silently.
 */
export function extraCosignerNumbers(dir: string): number[] {
  const numbers = readdirSync(dir)
    .map((name) => EXTRA_COSIGNER_FILE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && m[2] === 'private')
    .map((m) => m[1]!)
    .map(Number)
    .sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i + 2) {
      const missing = cosignerKitFiles(i + 2).privateKey;
      throw new FileNotFoundError(`${join(dir, missing)}: the kit has ${cosignerKitFiles(n).privateKey} but no ${missing}`, {
        file: join(dir, missing),
        hint: 'Co-signers are numbered from 1 without gaps: rename the files, or add the missing key pair',
      });
    }
  });
  return numbers;
}

/**
 * Read a kit folder (the fixed file names of `KIT_FILES`). Every file is parsed, so a wrong
 * file is reported by name ("found a certificate where a private key was expected"). Co-signer 1
 * is `cosigner-private.pem`; every `cosigner-<n>-private.pem` (n >= 2, with its public half) is
 * Co-signer n.
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
  const cosigner = readPair(dir, KIT_FILES.cosignerPrivateKey, KIT_FILES.cosignerPublicKey);
  const extra = extraCosignerNumbers(dir).map((n) => readPair(dir, cosignerKitFiles(n).privateKey, cosignerKitFiles(n).publicKey));
  return {
    dir,
    cosigner,
    cosigners: [cosigner, ...extra],
    handler: readPair(dir, KIT_FILES.handlerPrivateKey, KIT_FILES.handlerPublicKey),
    pinned: readCert(dir, KIT_FILES.pinnedCert, KIT_FILES.pinnedKey),
    rootCa: readCert(dir, KIT_FILES.rootCaCert, KIT_FILES.rootCaKey),
    leaf: readCert(dir, KIT_FILES.leafCert, KIT_FILES.leafKey),
  };
}

/**
 * Write a kit to a folder with the fixed file names (private keys mode 0600), one pair per
 * Co-signer. Co-signer files of a larger kit written there before are removed, so the folder
 * reads back as this kit.
 *
 * @example
 * writeKit(await generateKit(), '.cosigner-sim/kit');
 */
export function writeKit(kit: Kit, dir: string): Kit {
  mkdirSync(dir, { recursive: true });
  const secret = { mode: 0o600 };
  const cosigners = kitCosigners(kit);
  for (const name of readdirSync(dir)) {
    const n = EXTRA_COSIGNER_FILE.exec(name)?.[1];
    if (n !== undefined && Number(n) > cosigners.length) rmSync(join(dir, name));
  }
  cosigners.forEach((pair, i) => {
    const files = cosignerKitFiles(i + 1);
    writeFileSync(join(dir, files.privateKey), pair.privateKeyPem, secret);
    writeFileSync(join(dir, files.publicKey), pair.publicKeyPem);
  });
  writeFileSync(join(dir, KIT_FILES.handlerPrivateKey), kit.handler.privateKeyPem, secret);
  writeFileSync(join(dir, KIT_FILES.handlerPublicKey), kit.handler.publicKeyPem);
  writeFileSync(join(dir, KIT_FILES.pinnedCert), kit.pinned.certPem);
  writeFileSync(join(dir, KIT_FILES.pinnedKey), kit.pinned.keyPem, secret);
  writeFileSync(join(dir, KIT_FILES.rootCaCert), kit.rootCa.certPem);
  writeFileSync(join(dir, KIT_FILES.rootCaKey), kit.rootCa.keyPem, secret);
  writeFileSync(join(dir, KIT_FILES.leafCert), kit.leaf.certPem);
  writeFileSync(join(dir, KIT_FILES.leafKey), kit.leaf.keyPem, secret);
  return { ...kit, cosigners, dir };
}
