/**
 * Transport: the TLS setups of each option, never insecure, and the input errors that stop a run
 * before anything is sent. Real TLS on 127.0.0.1 with certificates generated here.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { startTarget } from '../simulator/targets/index.js';
import { generateTestCertificate } from '../simulator/keys/generate.js';
import { sharedKit } from './support/shared-kit.js';
import type { Kit } from '../simulator/keys/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import type { SecurityOptionNumber } from '../simulator/protocol/options.js';

let kit: Kit;
const started: StartedReferenceHandler[] = [];
beforeAll(async () => {
  kit = await sharedKit();
});
afterAll(() => Promise.all(started.map((h) => h.close())));

async function start(option: SecurityOptionNumber, extra: Parameters<typeof startReferenceHandler>[0] extends infer O ? Partial<O> : never = {}) {
  const h = await startReferenceHandler({ option, kit, ...extra });
  started.push(h);
  return h;
}

describe('certificate pinning (options 2, 4)', () => {
  it('explains a wrong pin as "a certificate other than the pinned one"', async () => {
    const other = await generateTestCertificate({ commonName: 'imposter' });
    const h = await start(2, { hooks: { tls: () => other } });
    const res = await createCosigner({ url: h.url, option: 2, kit }).sendTx();
    const tls = res.checks.find((c) => c.id === 'tls')!;
    expect(tls.status).toBe('fail');
    expect(tls.message).toContain('the handler presents a certificate other than the pinned one');
    expect(tls.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(tls.hint).toMatch(/pin/);
  });

  it('accepts a CA-signed certificate as the pin (allowPartialTrustChain), without checking the hostname', async () => {
    const h = await start(4, { hooks: { tls: () => kit.leaf } });
    const url = h.url.replace('127.0.0.1', 'localhost');
    const res = await createCosigner({ url, option: 4, kit, pinnedCert: kit.leaf.certPem }).sendTx();
    expect(res.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('refuses another leaf of the same CA when a CA-signed leaf is pinned', async () => {
    const sibling = await generateTestCertificate({ issuer: kit.rootCa });
    const h = await start(4, { hooks: { tls: () => sibling } });
    const res = await createCosigner({ url: h.url, option: 4, kit, pinnedCert: kit.leaf.certPem }).sendTx();
    expect(res.checks.find((c) => c.id === 'tls')?.status).toBe('fail');
  });
});

describe('Root CA (options 3, 5)', () => {
  it('passes any leaf that chains to the Root CA', async () => {
    const other = await generateTestCertificate({ issuer: kit.rootCa, commonName: 'another leaf' });
    const h = await start(5, { hooks: { tls: () => other } });
    const res = await createCosigner({ url: h.url, option: 5, kit }).sendTx();
    expect(res.ok).toBe(true);
  });

  it('checks the hostname by default, and can be told not to', async () => {
    const wrongHost = await generateTestCertificate({ issuer: kit.rootCa, altNames: [{ type: 2, value: 'other.example' }] });
    const h = await start(3, { hooks: { tls: () => wrongHost } });
    const checked = await createCosigner({ url: h.url, option: 3, kit }).sendTx();
    const tls = checked.checks.find((c) => c.id === 'tls')!;
    expect(tls.status).toBe('fail');
    expect(tls.received).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const unchecked = await createCosigner({ url: h.url, option: 3, kit, checkHostname: false }).sendTx();
    expect(unchecked.ok).toBe(true);
  });

  it('refuses a self-signed leaf in option 3 and says it does not chain to the Root CA', async () => {
    const h = await start(3, { hooks: { tls: () => kit.pinned } });
    const res = await createCosigner({ url: h.url, option: 3, kit }).sendTx();
    const tls = res.checks.find((c) => c.id === 'tls')!;
    expect(tls.status).toBe('fail');
    expect(tls.message).toContain('does not chain to the configured Root CA');
  });
});

describe('option 1', () => {
  it('trusts an extra CA on top of the bundled roots, and checks the hostname', async () => {
    const h = await start(1);
    expect((await createCosigner({ url: h.url, option: 1, kit, ca: kit.rootCa.certPem }).sendTx()).ok).toBe(true);
    // Without the extra CA the kit's leaf is not publicly trusted.
    const noCa = await createCosigner({ url: h.url, option: 1, cosignerKey: kit.cosigner.privateKey, handlerPublicKey: kit.handler.publicKey }).sendTx();
    expect(noCa.checks.find((c) => c.id === 'tls')?.status).toBe('fail');
    expect(noCa.checks.find((c) => c.id === 'tls')?.message).toContain('not signed by a trusted CA');
  });

  it("never trusts a kit's test Root CA silently against a URL, and says so when the certificate chains to it", async () => {
    const h = await start(1);
    // The real Co-signer trusts public CAs only: a kit alone must not make the kit's leaf pass.
    const res = await createCosigner({ url: h.url, option: 1, kit }).sendTx();
    const tls = res.checks.find((c) => c.id === 'tls')!;
    expect(tls).toMatchObject({ status: 'fail', reason: 'untrusted' });
    expect(tls.message).toContain("chains to the kit's test Root CA (root-ca.pem)");
    expect(tls.message).toContain('the real Co-signer trusts public CAs only');
    expect(tls.hint).toContain('--ca <kit>/root-ca.pem');
    // A certificate from another CA is not blamed on the kit.
    const foreignCa = await generateTestCertificate({ commonName: 'Other Root CA', isCa: true });
    const other = await start(1, { hooks: { tls: () => foreignCa } });
    const foreign = (await createCosigner({ url: other.url, option: 1, kit }).sendTx()).checks.find((c) => c.id === 'tls')!;
    expect(foreign.status).toBe('fail');
    expect(foreign.message).toContain('not signed by a trusted CA');
  });

  it("trusts the kit's Root CA for a handler cosigner-sim started with the kit, never for a url target", async () => {
    const reference = await startTarget({ kind: 'reference', option: 1 }, { kit });
    try {
      expect((await createCosigner(reference, { seed: 1 }).sendTx()).ok).toBe(true);
      const url = await startTarget({ kind: 'url', url: reference.url, option: 1 }, { kit });
      const tls = (await createCosigner(url, { seed: 1 }).sendTx()).checks.find((c) => c.id === 'tls')!;
      expect(tls.status).toBe('fail');
      expect(tls.message).toContain("kit's test Root CA");
      const explicit = await startTarget({ kind: 'url', url: reference.url, option: 1 }, { kit, ca: kit.rootCa.certPem });
      expect((await createCosigner(explicit, { seed: 1 }).sendTx()).ok).toBe(true);
    } finally {
      await reference.close();
    }
  });

  it('allows plain http with a warning', async () => {
    const h = await start(1, { plainHttp: true });
    const res = await createCosigner({ url: h.url, option: 1, kit }).sendTx();
    expect(res.ok).toBe(true);
    expect(res.checks.find((c) => c.id === 'tls')?.status).toBe('skip');
    expect(res.warnings.map((w) => w.id)).toContain('plain-http');
  });
});

describe('input errors stop before anything is sent', () => {
  it.each([2, 3, 4, 5] as const)('refuses plain http for option %i', (option) => {
    expect(() => createCosigner({ url: 'http://127.0.0.1:9/', option, kit })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL' }));
  });

  it.each(['https://h/cb/v2', 'https://h/cb/v2/', 'https://h/cb/v2/tx_sign_request', 'https://h/cb/config_change_sign_request'])('refuses a base URL that already names the path: %s', (url) => {
    expect(() => createCosigner({ url, option: 4, kit })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL', hint: expect.stringContaining('https://h/cb') }));
  });

  it('refuses a pinned certificate for option 3, and a Root CA for option 4', () => {
    expect(() => createCosigner({ url: 'https://h', option: 3, pinnedCert: kit.pinned.certPem, ca: kit.rootCa.certPem })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_OPTION' }));
    expect(() => createCosigner({ url: 'https://h', option: 4, ca: kit.rootCa.certPem, kit })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_OPTION' }));
  });

  it('names the missing material for a JWT option', () => {
    expect(() => createCosigner({ url: 'https://h', option: 1 })).toThrow(expect.objectContaining({ code: 'CSIM_MISSING_MATERIAL', field: 'cosignerKey' }));
  });
});

describe('connect', () => {
  it('fails connect, and skips the rest, when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const res = await createCosigner({ url: `https://127.0.0.1:${port}`, option: 2, kit }).sendTx();
    expect(res.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['connect']);
    expect(res.checks.find((c) => c.id === 'connect')?.hint).toMatch(/nothing listens/);
    expect(res.checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });

  it('uses a fresh connection and full handshake per request (a certificate change is seen at once)', async () => {
    let serve = kit.pinned;
    const other = await generateTestCertificate({});
    const h = await start(2, { hooks: { tls: () => serve } });
    const cosigner = createCosigner({ url: h.url, option: 2, kit });
    expect((await cosigner.sendTx()).ok).toBe(true);
    // The server's certificate is fixed at start, so a new server stands in for a renewal.
    serve = other;
    const renewed = await start(2, { hooks: { tls: () => serve } });
    const res = await createCosigner({ url: renewed.url, option: 2, kit }).sendTx();
    expect(res.checks.find((c) => c.id === 'tls')?.status).toBe('fail');
  });
});
