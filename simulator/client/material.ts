import { createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { InvalidOptionError, MissingMaterialError } from '../errors.js';
import { publicKeyFingerprint } from '../keys/fingerprint.js';
import { readKit } from '../keys/kit.js';
import { assertRsa2048, parseCertificate, parsePrivateKey, parsePublicKey } from '../keys/parse.js';
import { cosignerKitFiles, kitCosigners, type Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, parseSecurityOption, type SecurityOptionNumber } from '../protocol/options.js';
import type { TrustMaterial } from '../tls/trust.js';

/** Key and certificate inputs, as PEM text or KeyObjects, or a kit (object or folder). */
export interface MaterialInput {
  option: SecurityOptionNumber | `${SecurityOptionNumber}`;
  /** A kit supplies whatever the option needs; explicit values below win over it. */
  kit?: Kit | string;
  /**
   * The Co-signer's private key (options 1, 4, 5), PKCS#8 or PKCS#1 PEM; a list gives several
   * Co-signers (Co-signer 1, 2, ... in that order) and replaces the kit's Co-signer keys.
   */
  cosignerKey?: string | KeyObject | readonly (string | KeyObject)[];
  /** The handler's public key the Co-signer verifies responses with (options 1, 4, 5), SPKI or PKCS#1 PEM; must be RSA-2048. */
  handlerPublicKey?: string | KeyObject;
  /** The certificate the Co-signer pins (options 2, 4), PEM. */
  pinnedCert?: string;
  /**
   * The Root CA (options 3, 5), or an extra trusted CA on top of Node's roots (option 1), PEM.
   * Option 1 trusts a kit's Root CA only when it is given here: never silently from `kit`.
   */
  ca?: string;
  /** Options 3 and 5: check the certificate's names against the URL host (default true). */
  checkHostname?: boolean;
  /**
   * Labels for error messages (file names the CLI read the values from); `cosignerKey` a list
   * when it is one, a label per key.
   */
  labels?: Partial<Record<'handlerPublicKey' | 'pinnedCert' | 'ca', string>> & { cosignerKey?: string | readonly string[] };
}

/** One Co-signer's request-signing key, with what names it in a message. */
export interface CosignerKey {
  /** Co-signer n, from 1. */
  n: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Where it came from: the file it was read from (flag or kit folder), else `Co-signer n of the kit` or `cosignerKey[i]`. */
  source: string;
  /** SHA-256 of the public key (DER SubjectPublicKeyInfo), lower-case hex: {@link publicKeyFingerprint}. */
  fingerprint: string;
}

/** Everything one option needs, parsed and validated. */
export interface ResolvedMaterial {
  option: SecurityOptionNumber;
  /** Co-signer 1's private key (JWT options): `cosigners[0].privateKey`. */
  cosignerKey?: KeyObject;
  /** Every Co-signer's key, Co-signer 1 first (JWT options): each signs its own requests [protocol.md §14.2]. */
  cosigners?: readonly CosignerKey[];
  handlerPublicKey?: KeyObject;
  trust: TrustMaterial;
  kit?: Kit;
}

/**
 * The cheap half of {@link resolveMaterial}: the option is valid and no value was given that the
 * option never uses. Nothing is parsed or read, so a caller can refuse bad flags before it
 * generates keys or starts a server. Returns the parsed option.
 *
 * @example
 * assertMaterialFits({ option: 2, pinnedCert: pem }); // 2
 * assertMaterialFits({ option: 1, pinnedCert: pem }); // throws InvalidOptionError (CSIM_INVALID_OPTION)
 */
export function assertMaterialFits(input: MaterialInput): SecurityOptionNumber {
  const option = parseSecurityOption(input.option);
  const spec = SECURITY_OPTIONS[option];
  const label = (k: keyof NonNullable<MaterialInput['labels']>) => labelOf(input, k);
  // A flag that the option never uses is a mistake the user should hear about (it usually means
  // the wrong option was chosen); a kit carries everything and is exempt.
  if (input.pinnedCert !== undefined && spec.tls !== 'pinned') {
    throw new InvalidOptionError(`${label('pinnedCert')} is for options 2 and 4 (certificate pinning), not option ${option} (${spec.label})`, {
      hint: spec.tls === 'root-ca' ? `option ${option} trusts a Root CA: pass it as ca (--ca)` : 'choose option 2 or 4 to pin a certificate, or drop the pinned certificate',
      field: 'pinnedCert',
    });
  }
  if (input.ca !== undefined && spec.tls === 'pinned') {
    throw new InvalidOptionError(`${label('ca')} is for options 1, 3 and 5, not option ${option} (${spec.label}), which pins one certificate`, {
      hint: 'pass the certificate to pin as pinnedCert (--pinned-cert), or choose option 3 or 5 for a Root CA',
      field: 'ca',
    });
  }
  if (spec.messageLayer === 'json') {
    for (const k of ['cosignerKey', 'handlerPublicKey'] as const) {
      if (input[k] !== undefined) {
        throw new InvalidOptionError(`${label(k)} is for the JWT options 1, 4 and 5; option ${option} (${spec.label}) exchanges plain JSON`, {
          hint: option === 2 ? 'drop the key, or choose option 4 (JWT over a pinned certificate)' : 'drop the key, or choose option 5 (JWT over a Root CA)',
          field: k,
        });
      }
    }
  }
  return option;
}

/** A label for messages: the file name the CLI gave, else the field name (a list of files joined). */
function labelOf(input: MaterialInput, k: keyof NonNullable<MaterialInput['labels']>): string {
  const l = input.labels?.[k];
  return l === undefined ? k : typeof l === 'string' ? l : l.join(', ');
}

/**
 * Every Co-signer's key: the given ones (a list replaces the kit's Co-signers, in its order),
 * else all of the kit's. Each must be an RSA private key (RS256); its label names the file.
 */
function resolveCosignerKeys(input: MaterialInput, kit: Kit | undefined, option: SecurityOptionNumber, optionLabel: string): CosignerKey[] {
  const given = input.cosignerKey === undefined ? [] : Array.isArray(input.cosignerKey) ? (input.cosignerKey as readonly (string | KeyObject)[]) : [input.cosignerKey as string | KeyObject];
  const labels = input.labels?.cosignerKey;
  const labelAt = (i: number): string => (typeof labels === 'string' ? labels : labels?.[i]) ?? (given.length > 1 ? `cosignerKey[${i}]` : 'cosignerKey');
  const raw: { key: string | KeyObject; source: string }[] =
    given.length > 0
      ? given.map((key, i) => ({ key, source: labelAt(i) }))
      : kit
        ? kitCosigners(kit).map((pair, i) => ({ key: pair.privateKey, source: kit.dir !== undefined ? join(kit.dir, cosignerKitFiles(i + 1).privateKey) : `Co-signer ${i + 1} of the kit` }))
        : [];
  if (raw.length === 0) {
    throw new MissingMaterialError(`option ${option} (${optionLabel}) signs requests with the Co-signer private key, and none was given`, {
      hint: 'pass cosignerKey (--cosigner-key <pem>) with the private key whose public half your handler trusts, or a kit (--kit <dir>)',
      field: 'cosignerKey',
    });
  }
  return raw.map(({ key, source }, i) => {
    const privateKey = parsePrivateKey(key, { label: source });
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw new MissingMaterialError(`${source}: the Co-signer signs with RS256, which needs an RSA key (found ${privateKey.asymmetricKeyType})`, {
        hint: 'openssl genrsa -out cosigner-private.pem 2048',
        field: 'cosignerKey',
      });
    }
    const publicKey = createPublicKey(privateKey);
    return { n: i + 1, privateKey, publicKey, source, fingerprint: publicKeyFingerprint(publicKey) };
  });
}

/**
 * Check and parse the key material for an option, once: the result is what createCosigner and
 * startTarget take instead of parsing again. Throws typed errors that name the value and
 * the fix: a missing key, a flag that does not belong to the option, a certificate where a key
 * belongs, a handler key that is not RSA-2048.
 *
 * @example
 * const m = resolveMaterial({ option: 4, kit });
 * m.trust.pinnedCertPem === kit.pinned.certPem; // true
 */
export function resolveMaterial(input: MaterialInput): ResolvedMaterial {
  const option = assertMaterialFits(input);
  const spec = SECURITY_OPTIONS[option];
  const label = (k: keyof NonNullable<MaterialInput['labels']>) => labelOf(input, k);

  const kit = typeof input.kit === 'string' ? readKit(input.kit) : input.kit;
  const out: ResolvedMaterial = { option, trust: {}, ...(kit ? { kit } : {}) };

  if (spec.messageLayer === 'jwt') {
    out.cosigners = resolveCosignerKeys(input, kit, option, spec.label);
    out.cosignerKey = out.cosigners[0]!.privateKey;
    const handlerPublicKey = input.handlerPublicKey ?? kit?.handler.publicKey;
    if (handlerPublicKey === undefined) {
      throw new MissingMaterialError(`option ${option} (${spec.label}) verifies responses with the handler public key, and none was given`, {
        hint: 'pass handlerPublicKey (--handler-public-key <pem>): the public half of the key your handler signs with, or a kit (--kit <dir>)',
        field: 'handlerPublicKey',
      });
    }
    out.handlerPublicKey = parsePublicKey(handlerPublicKey, { label: label('handlerPublicKey') });
    assertRsa2048(out.handlerPublicKey, { label: label('handlerPublicKey') });
  }

  if (spec.tls === 'pinned') {
    const pem = input.pinnedCert ?? kit?.pinned.certPem;
    if (pem === undefined) {
      throw new MissingMaterialError(`option ${option} (${spec.label}) pins the handler's certificate, and none was given`, {
        hint: 'pass pinnedCert (--pinned-cert <pem>): the exact certificate your handler serves',
        field: 'pinnedCert',
      });
    }
    out.trust.pinnedCertPem = parseCertificate(pem, { label: label('pinnedCert') }).pem;
  } else {
    // Option 1 never trusts a kit's test Root CA silently: the real Co-signer trusts public CAs
    // only. The kit's CA is kept to explain a failure; targets cosigner-sim starts with the kit
    // (reference, command) trust it on purpose (targets/material.ts trustingKitRoot).
    const pem = input.ca ?? (spec.tls === 'root-ca' ? kit?.rootCa.certPem : undefined);
    if (pem === undefined && spec.tls === 'root-ca') {
      throw new MissingMaterialError(`option ${option} (${spec.label}) trusts only the Root CA you give, and none was given`, {
        hint: 'pass ca (--ca <pem>): the Root CA certificate that signed your handler\'s certificate',
        field: 'ca',
      });
    }
    if (pem !== undefined) out.trust.caPem = parseCertificate(pem, { label: label('ca') }).pem;
    if (spec.tls === 'public-ca' && kit) out.trust.kitRootCaPem = kit.rootCa.certPem;
    if (input.checkHostname !== undefined) out.trust.checkHostname = input.checkHostname;
  }
  return out;
}

/**
 * True for material that {@link resolveMaterial} produced (it has `trust`, which no
 * {@link MaterialInput} has), so an API can take either and parse only the raw one.
 *
 * @example
 * isResolvedMaterial(resolveMaterial({ option: 4, kit })); // true
 * isResolvedMaterial({ option: 4, kit });                 // false
 */
export function isResolvedMaterial(value: unknown): value is ResolvedMaterial {
  if (value === null || typeof value !== 'object') return false;
  const m = value as Partial<ResolvedMaterial>;
  return typeof m.trust === 'object' && m.trust !== null && typeof m.option === 'number' && m.option in SECURITY_OPTIONS;
}
