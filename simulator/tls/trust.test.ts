/**
 * What a TLS failure tells, over real TLS on 127.0.0.1: a pin mismatch names both SHA-256
 * fingerprints, no TLS failure prints `expected: undefined`, and option 1 against a self-signed
 * certificate points at option 4 (the JWT option that pins), not option 2 (JSON).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../client/cosigner.js';
import { cachedKit, generateTestCertificate } from '../keys/generate.js';
import type { CertMaterial, Kit } from '../keys/types.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import type { CallbackResult } from '../protocol/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../reference/handler.js';
import { explainExchange, renderFailedCheckLines } from '../report/explain.js';
import { certificateFingerprint } from './trust.js';

let kit: Kit;
const started: StartedReferenceHandler[] = [];
beforeAll(async () => {
  kit = await cachedKit('tls-messages');
});
afterAll(() => Promise.all(started.map((h) => h.close())));

async function serve(option: SecurityOptionNumber, cert: CertMaterial) {
  const h = await startReferenceHandler({ option, kit, hooks: { tls: () => cert } });
  started.push(h);
  return h;
}

const tlsOf = (res: CallbackResult) => res.checks.find((c) => c.id === 'tls')!;
const failureLines = (res: CallbackResult) => renderFailedCheckLines(explainExchange(res).failed);

describe('a pin mismatch names both fingerprints (options 2 and 4)', () => {
  it.each([2, 4] as const)('option %i, another self-signed certificate (the chain check fails first)', async (option) => {
    const imposter = await generateTestCertificate({ commonName: 'imposter' });
    const h = await serve(option, imposter);
    const res = await createCosigner({ url: h.url, option, kit }).sendTx();
    const pinned = certificateFingerprint(kit.pinned.certPem);
    const served = certificateFingerprint(imposter.certPem);
    expect(pinned).not.toBe(served);
    const tls = tlsOf(res);
    expect(tls).toMatchObject({ status: 'fail', expected: `pinned SHA-256 ${pinned}`, received: `served SHA-256 ${served}` });
    expect(tls.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(res.transportFailure).toMatchObject({ pinnedFingerprint256: pinned, servedFingerprint256: served });
    // Before: `received: "DEPTH_ZERO_SELF_SIGNED_CERT"` and `expected: undefined`.
    const lines = failureLines(res).join('\n');
    expect(lines).toContain(`expected: "pinned SHA-256 ${pinned}"`);
    expect(lines).toContain(`received: "served SHA-256 ${served}"`);
    expect(lines).not.toContain('undefined');
  });

  it('a sibling leaf of a pinned CA-signed certificate (the chain verifies, the fingerprint does not)', async () => {
    const sibling = await generateTestCertificate({ issuer: kit.rootCa });
    const h = await serve(4, sibling);
    const res = await createCosigner({ url: h.url, option: 4, kit, pinnedCert: kit.leaf.certPem }).sendTx();
    expect(tlsOf(res)).toMatchObject({
      status: 'fail',
      expected: `pinned SHA-256 ${certificateFingerprint(kit.leaf.certPem)}`,
      received: `served SHA-256 ${certificateFingerprint(sibling.certPem)}`,
    });
    expect(tlsOf(res).message).toContain('other than the pinned one (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)');
  });

  it('a leaf signed by a pinned CA certificate (the chain verifies, the fingerprint check refuses it)', async () => {
    const h = await serve(4, kit.leaf);
    const res = await createCosigner({ url: h.url, option: 4, kit, pinnedCert: kit.rootCa.certPem }).sendTx();
    expect(tlsOf(res)).toMatchObject({
      status: 'fail',
      expected: `pinned SHA-256 ${certificateFingerprint(kit.rootCa.certPem)}`,
      received: `served SHA-256 ${certificateFingerprint(kit.leaf.certPem)}`,
    });
    expect(tlsOf(res).message).toContain('CSIM_PIN_MISMATCH');
  });

  it('the right certificate still passes', async () => {
    const h = await serve(4, kit.pinned);
    expect(tlsOf(await createCosigner({ url: h.url, option: 4, kit }).sendTx()).status).toBe('pass');
  });
});

describe('no TLS failure prints `expected: undefined`', () => {
  it('a wrong hostname (option 3) prints what was received and no expected line', async () => {
    const wrongHost = await generateTestCertificate({ issuer: kit.rootCa, altNames: [{ type: 2, value: 'other.example' }] });
    const h = await serve(3, wrongHost);
    const res = await createCosigner({ url: h.url, option: 3, kit }).sendTx();
    expect(tlsOf(res)).toMatchObject({ status: 'fail', received: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const lines = failureLines(res);
    expect(lines).toContain('  received: "ERR_TLS_CERT_ALTNAME_INVALID"');
    expect(lines.join('\n')).not.toMatch(/expected: undefined|undefined/);
    expect(lines.some((l) => l.trim().startsWith('expected:'))).toBe(false);
  });
});

describe('option 1 against a self-signed certificate', () => {
  it('suggests option 4 (JWT, pinned), not option 2 (JSON): option 1 runs on JWT keys', async () => {
    const h = await serve(1, kit.pinned);
    const res = await createCosigner({ url: h.url, option: 1, kit }).sendTx();
    const tls = tlsOf(res);
    expect(tls.status).toBe('fail');
    expect(tls.message).toContain('not signed by a trusted CA (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(tls.hint).toContain('use option 4 (jwt+pinned: the certificate pinned, with the same JWT keys)');
    expect(tls.hint).not.toMatch(/option 2/);
  });
});
