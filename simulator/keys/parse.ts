import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import {
  CertFormatError,
  FileNotFoundError,
  KeyFormatError,
  KeyUnsupportedError,
} from '../errors.js';

/** Where a piece of key material came from, so errors can name it. */
export interface MaterialSource {
  /** The file it was read from, or a label such as `handlerPublicKey` for in-memory values. */
  label: string;
}

/** The PEM block types we can tell apart, for "found X where Y was expected" messages. */
function describePem(text: string): string {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!m) return text.trim() === '' ? 'an empty file' : 'no PEM block';
  const type = m[1]!;
  if (type === 'CERTIFICATE') return 'a certificate ("BEGIN CERTIFICATE")';
  if (type === 'PUBLIC KEY' || type === 'RSA PUBLIC KEY') return `a public key ("BEGIN ${type}")`;
  if (type === 'ENCRYPTED PRIVATE KEY') return 'an encrypted private key ("BEGIN ENCRYPTED PRIVATE KEY")';
  if (type.endsWith('PRIVATE KEY')) return `a private key ("BEGIN ${type}")`;
  return `a "${type}" block`;
}

/**
 * Read a file that holds key material, turning a missing file into a FileNotFoundError that
 * names it.
 *
 * @example
 * const pem = readMaterialFile('keys/cosigner-private.pem', '--cosigner-key');
 */
export function readMaterialFile(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new FileNotFoundError(`${path}: cannot read the ${what} (${code ?? 'unknown error'})`, {
      file: path,
      cause,
      hint: code === 'EISDIR' ? 'name the PEM file inside the folder, or use --kit <dir> for a kit folder' : 'check the path; it is relative to the working folder',
    });
  }
}

/**
 * Parse a PEM private key, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
 *
 * @example
 * const key = parsePrivateKey(pem, { label: 'keys/cosigner-private.pem' });
 */
export function parsePrivateKey(pem: string | KeyObject, source: MaterialSource): KeyObject {
  if (typeof pem !== 'string') {
    if (pem.type !== 'private') throw new KeyFormatError(`${source.label}: expected a private key, found a ${pem.type} key`, { file: source.label });
    return pem;
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    const found = describePem(pem);
    throw new KeyFormatError(`${source.label}: expected a private key, found ${found}`, {
      file: source.label,
      hint: found.startsWith('a certificate')
        ? 'pass the private key the certificate was made for, not the certificate'
        : found.startsWith('an encrypted')
          ? 'decrypt it first: openssl pkey -in key.pem -out key-plain.pem'
          : 'a private key is a PEM file starting with "-----BEGIN PRIVATE KEY-----" (openssl genrsa -out key.pem 2048)',
    });
  }
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new KeyFormatError(`${source.label}: the private key does not parse (${(cause as Error).message})`, {
      file: source.label,
      cause,
      hint: 'regenerate it with: openssl genrsa -out key.pem 2048',
    });
  }
}

/**
 * Parse a PEM public key, SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`).
 *
 * @example
 * const key = parsePublicKey(pem, { label: 'keys/handler-public.pem' });
 */
export function parsePublicKey(pem: string | KeyObject, source: MaterialSource): KeyObject {
  if (typeof pem !== 'string') {
    if (pem.type !== 'public') throw new KeyFormatError(`${source.label}: expected a public key, found a ${pem.type} key`, { file: source.label, hint: 'pass the public half: createPublicKey(privateKey)' });
    return pem;
  }
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
    const found = describePem(pem);
    throw new KeyFormatError(`${source.label}: expected a public key, found ${found}`, {
      file: source.label,
      hint: found.includes('private key')
        ? 'never hand out the private key; export the public half: openssl rsa -in private.pem -pubout -out public.pem'
        : found.startsWith('a certificate')
          ? 'export the key from the certificate: openssl x509 -in cert.pem -pubkey -noout > public.pem'
          : 'a public key is a PEM file starting with "-----BEGIN PUBLIC KEY-----"',
    });
  }
  try {
    return createPublicKey(pem);
  } catch (cause) {
    throw new KeyFormatError(`${source.label}: the public key does not parse (${(cause as Error).message})`, {
      file: source.label,
      cause,
      hint: 'export it again: openssl rsa -in private.pem -pubout -out public.pem',
    });
  }
}

/**
 * Refuse keys the Co-signer would not accept: it supports only RSA-2048 for handler response
 * signatures [protocol.md §2.1, §2.7].
 *
 * @example
 * assertRsa2048(handlerPublicKey, { label: 'keys/handler-public.pem' });
 */
export function assertRsa2048(key: KeyObject, source: MaterialSource): void {
  const type = key.asymmetricKeyType;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (type !== 'rsa' || bits !== 2048) {
    const found = type === 'rsa' ? `RSA-${bits}` : (type ?? 'unknown').toUpperCase();
    throw new KeyUnsupportedError(`${source.label}: the Co-signer accepts only RSA-2048 keys, found ${found}`, {
      file: source.label,
      hint: 'generate a 2048-bit RSA key: openssl genrsa -out handler-private.pem 2048',
    });
  }
}

/**
 * Parse and validate one PEM certificate; returns the PEM (normalized to the certificate block)
 * and its parsed form.
 *
 * @example
 * const { pem, x509 } = parseCertificate(text, { label: 'certs/pinned.pem' });
 */
export function parseCertificate(text: string, source: MaterialSource): { pem: string; x509: X509Certificate } {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text);
  if (!m) {
    const found = describePem(text);
    throw new CertFormatError(`${source.label}: expected a certificate, found ${found}`, {
      file: source.label,
      hint: found.includes('key')
        ? 'pass the certificate ("BEGIN CERTIFICATE"), not its key'
        : 'a certificate is a PEM file starting with "-----BEGIN CERTIFICATE-----"',
    });
  }
  try {
    return { pem: `${m[0]}\n`, x509: new X509Certificate(m[0]) };
  } catch (cause) {
    throw new CertFormatError(`${source.label}: the certificate does not parse (${(cause as Error).message})`, {
      file: source.label,
      cause,
    });
  }
}
