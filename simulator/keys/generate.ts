import { generateKeyPair as generateKeyPairCb, createPrivateKey, createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import type { CertMaterial, KeyPairMaterial, Kit } from './types.js';
import { InvalidArgumentError } from '../errors.js';
import { lazy } from '../lib/lazy.js';

const generateKeyPair = promisify(generateKeyPairCb);

/**
 * selfsigned (with @peculiar/x509 and pkijs under it) is loaded by the first certificate, not by
 * `import 'cosigner-sim'`: a user who reads a kit from disk never pays for it. Memoised.
 */
const loadSelfsigned = lazy(() => import('selfsigned'));

/** The names every test certificate covers: the simulator talks to 127.0.0.1 by default. */
const LOOPBACK_ALT_NAMES = [
  { type: 2 as const, value: 'localhost' },
  { type: 7 as const, ip: '127.0.0.1' },
  { type: 7 as const, ip: '::1' },
];

/**
 * Make an RSA key pair. 2048 bits is the only size the Co-signer accepts for handler keys
 * [protocol.md §2], and its own key is 2048 bits too (256-byte signatures, [protocol.md §3]).
 *
 * @example
 * const handler = await generateRsaKeyPair();
 * handler.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----'); // true (SPKI)
 */
export async function generateRsaKeyPair(modulusLength = 2048): Promise<KeyPairMaterial> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: createPrivateKey(privateKey),
    publicKey: createPublicKey(publicKey),
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
  };
}

export interface CertificateOptions {
  commonName?: string;
  /** Subject alternative names; default localhost, 127.0.0.1, ::1. */
  altNames?: { type: 2 | 7; value?: string; ip?: string }[];
  /** Sign with this CA instead of self-signing. */
  issuer?: CertMaterial;
  /** Make a CA certificate (basicConstraints cA, keyCertSign). */
  isCa?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** Reuse a key pair (saves ~100 ms of RSA generation per certificate). */
  keyPair?: KeyPairMaterial;
}

/**
 * Make a certificate with selfsigned (always sha256; selfsigned's default is sha1).
 *
 * @example
 * const ca = await generateCertificate({ commonName: 'Test Root CA', isCa: true });
 * const leaf = await generateCertificate({ commonName: 'localhost', issuer: ca });
 */
export async function generateTestCertificate(options: CertificateOptions = {}): Promise<CertMaterial> {
  const keyPair = options.keyPair ?? (await generateRsaKeyPair());
  const now = Date.now();
  const notBeforeDate = options.notBefore ?? new Date(now - 60_000);
  const notAfterDate = options.notAfter ?? new Date(now + 365 * 24 * 3600 * 1000);
  const extensions = options.isCa
    ? [
        { name: 'basicConstraints' as const, cA: true, critical: true },
        { name: 'keyUsage' as const, keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ]
    : [
        { name: 'basicConstraints' as const, cA: false },
        { name: 'keyUsage' as const, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage' as const, serverAuth: true },
        { name: 'subjectAltName' as const, altNames: options.altNames ?? LOOPBACK_ALT_NAMES },
      ];
  const { generate: generateCertificate } = await loadSelfsigned();
  const result = await generateCertificate([{ name: 'commonName', value: options.commonName ?? 'localhost' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate,
    notAfterDate,
    extensions,
    keyPair: { privateKey: keyPair.privateKeyPem, publicKey: keyPair.publicKeyPem },
    ...(options.issuer ? { ca: { key: options.issuer.keyPem, cert: options.issuer.certPem } } : {}),
  });
  return { certPem: result.cert, keyPem: result.private };
}

export interface GenerateKitOptions {
  /**
   * More names the two server certificates (pinned and leaf) cover, besides localhost, 127.0.0.1
   * and ::1: a DNS name, or an IP address (`init --host`, for a handler that is not on loopback).
   */
  hosts?: readonly string[];
  /**
   * How many Co-signer key pairs (default 2): Co-signers in high availability each sign with
   * their own key [protocol.md §14.2], so a kit gives a handler a set to trust from the start.
   */
  cosigners?: number;
}

/** Co-signers in a generated kit unless told otherwise. */
export const DEFAULT_KIT_COSIGNERS = 2;

/** The loopback names plus `hosts`, each as a DNS name or an IP address, without repeats. */
function altNamesFor(hosts: readonly string[]): NonNullable<CertificateOptions['altNames']> {
  const out: NonNullable<CertificateOptions['altNames']> = [...LOOPBACK_ALT_NAMES];
  for (const host of hosts) {
    const name = isIP(host) !== 0 ? { type: 7 as const, ip: host } : { type: 2 as const, value: host };
    if (!out.some((n) => n.type === name.type && n.value === name.value && n.ip === name.ip)) out.push(name);
  }
  return out;
}

/**
 * Generate a complete kit in memory: Co-signer (two by default) and handler RSA-2048 key pairs, a
 * self-signed certificate to pin, a Root CA and a leaf under it. Takes about a second (RSA key
 * generation); the key pairs are made in parallel.
 *
 * @example
 * const kit = await generateKit();
 * const handler = await startReferenceHandler({ option: 4, kit });
 * const forLan = await generateKit({ hosts: ['handler.internal', '10.0.0.5'] });
 * const single = await generateKit({ cosigners: 1 });
 */
export async function generateKit(options: GenerateKitOptions = {}): Promise<Kit> {
  const count = options.cosigners ?? DEFAULT_KIT_COSIGNERS;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError(`generateKit: cosigners must be a whole number of at least 1, got ${String(options.cosigners)}`, { field: 'cosigners', hint: 'leave it out for two Co-signers, or give 1 for a single one' });
  }
  const altNames = altNamesFor(options.hosts ?? []);
  const [handler, pinnedKeys, rootKeys, leafKeys, ...cosigners] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    ...Array.from({ length: count }, () => generateRsaKeyPair()),
  ]);
  const [pinned, rootCa] = await Promise.all([
    generateTestCertificate({ commonName: 'cosigner-sim pinned handler', keyPair: pinnedKeys, altNames }),
    generateTestCertificate({ commonName: 'cosigner-sim Test Root CA', isCa: true, keyPair: rootKeys }),
  ]);
  const leaf = await generateTestCertificate({ commonName: 'localhost', issuer: rootCa, keyPair: leafKeys, altNames });
  return { cosigner: cosigners[0]!, cosigners, handler, pinned, rootCa, leaf };
}

const kitCache = new Map<string, Promise<Kit>>();

/**
 * A kit generated once per process and cache key (generation costs about a second). The CLI
 * and the tests use one per option so that options never share certificates by accident.
 *
 * @example
 * const kit = await cachedKit('option-4');
 */
export function cachedKit(key = 'default'): Promise<Kit> {
  let kit = kitCache.get(key);
  if (!kit) {
    kit = generateKit();
    kitCache.set(key, kit);
    // A failed generation must not be cached for ever.
    kit.catch(() => kitCache.delete(key));
  }
  return kit;
}
