import { generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import { readKit, writeKit } from './kit.js';
import { assertRsa2048, parseCertificate, parsePrivateKey, parsePublicKey, readMaterialFile } from './parse.js';
import type { Kit } from './types.js';

const RSA_4096_PUBLIC_KEY = new URL('../../test/fixtures/keys/rsa-4096-public.pem', import.meta.url);

let kit: Kit;
beforeAll(async () => {
  kit = await sharedKit();
});

describe('parsePrivateKey', () => {
  it('accepts PKCS#8 and PKCS#1', () => {
    const pkcs1 = kit.cosigner.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(parsePrivateKey(pkcs1, { label: 'k.pem' }).asymmetricKeyType).toBe('rsa');
    expect(parsePrivateKey(kit.cosigner.privateKeyPem, { label: 'k.pem' }).type).toBe('private');
  });

  it('names the file and says a certificate was found where a key was expected', () => {
    expect(() => parsePrivateKey(kit.leaf.certPem, { label: 'keys/cosigner.pem' })).toThrow(
      expect.objectContaining({ code: 'CSIM_KEY_FORMAT', message: 'keys/cosigner.pem: expected a private key, found a certificate ("BEGIN CERTIFICATE")', hint: expect.stringContaining('private key the certificate was made for') }),
    );
  });

  it('refuses a public key where a private key belongs', () => {
    expect(() => parsePrivateKey(kit.cosigner.publicKeyPem, { label: 'x.pem' })).toThrow(expect.objectContaining({ code: 'CSIM_KEY_FORMAT', message: expect.stringContaining('found a public key') }));
  });
});

describe('parsePublicKey', () => {
  it('accepts SPKI and PKCS#1', () => {
    const pkcs1 = kit.handler.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(pkcs1).toContain('BEGIN RSA PUBLIC KEY');
    expect(parsePublicKey(pkcs1, { label: 'p.pem' }).type).toBe('public');
    expect(parsePublicKey(kit.handler.publicKeyPem, { label: 'p.pem' }).type).toBe('public');
  });

  it('refuses a private key and tells how to export the public half', () => {
    expect(() => parsePublicKey(kit.handler.privateKeyPem, { label: 'h.pem' })).toThrow(expect.objectContaining({ code: 'CSIM_KEY_FORMAT', hint: expect.stringContaining('-pubout') }));
  });
});

describe('assertRsa2048', () => {
  it('refuses RSA-4096 and EC keys, naming what it found', () => {
    // A committed public key: generating a 4096-bit pair costs seconds, and only the size matters here.
    const rsa4096 = createPublicKey(readFileSync(RSA_4096_PUBLIC_KEY, 'utf8'));
    expect(() => assertRsa2048(rsa4096, { label: 'big.pem' })).toThrow(expect.objectContaining({ code: 'CSIM_KEY_UNSUPPORTED', message: 'big.pem: the Co-signer accepts only RSA-2048 keys, found RSA-4096' }));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => assertRsa2048(ec, { label: 'ec.pem' })).toThrow(expect.objectContaining({ message: expect.stringContaining('found EC') }));
    expect(() => assertRsa2048(kit.handler.publicKey, { label: 'ok.pem' })).not.toThrow();
  });
});

describe('parseCertificate and files', () => {
  it('refuses a key where a certificate belongs', () => {
    expect(() => parseCertificate(kit.leaf.keyPem, { label: 'cert.pem' })).toThrow(expect.objectContaining({ code: 'CSIM_CERT_FORMAT', hint: expect.stringContaining('not its key') }));
  });

  it('names a missing file', () => {
    expect(() => readMaterialFile('/no/such/file.pem', 'private key')).toThrow(expect.objectContaining({ code: 'CSIM_FILE_NOT_FOUND', message: expect.stringContaining('/no/such/file.pem') }));
  });

  it('round-trips a kit through a folder, and names the wrong file in a broken kit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csim-kit-'));
    writeKit(kit, dir);
    const back = readKit(dir);
    expect(back.cosigner.publicKeyPem).toBe(kit.cosigner.publicKeyPem);
    expect(createPrivateKey(back.handler.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    writeFileSync(join(dir, 'handler-private.pem'), kit.leaf.certPem);
    expect(() => readKit(dir)).toThrow(expect.objectContaining({ code: 'CSIM_KEY_FORMAT', message: expect.stringContaining('handler-private.pem') }));
  });
});
