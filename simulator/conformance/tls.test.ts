import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { generateRsaKeyPair, generateTestCertificate } from '../keys/generate.js';
import { certificateSignatureOid } from './tls.js';

describe('certificateSignatureOid', () => {
  it('reads sha256WithRSAEncryption from a generated certificate and sha1WithRSAEncryption from a SHA-1 one', async () => {
    const keyPair = await generateRsaKeyPair();
    const strong = await generateTestCertificate({ keyPair });
    expect(certificateSignatureOid(new X509Certificate(strong.certPem).raw)).toBe('1.2.840.113549.1.1.11');
    // selfsigned directly: generateTestCertificate always signs with SHA-256.
    const weak = await generate([{ name: 'commonName', value: 'weak' }], {
      algorithm: 'sha1',
      keySize: 2048,
      keyPair: { privateKey: keyPair.privateKeyPem, publicKey: keyPair.publicKeyPem },
    });
    expect(certificateSignatureOid(new X509Certificate(weak.cert).raw)).toBe('1.2.840.113549.1.1.5');
  });

  it('gives undefined for bytes that are not a certificate', () => {
    expect(certificateSignatureOid(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeUndefined();
    expect(certificateSignatureOid(new Uint8Array())).toBeUndefined();
  });
});
