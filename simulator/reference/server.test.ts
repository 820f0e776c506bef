/**
 * reference/server.ts serves any request listener over an option's real TLS: the certificate
 * each option presents, verification on in the client, the body limit, close.
 */
import { X509Certificate } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import type { Kit } from '../keys/types.js';
import { SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../protocol/options.js';
import { certFor, MAX_REQUEST_BYTES, readBody, serveOption, type ServedOption } from './server.js';

let kit: Kit;
const served: ServedOption[] = [];
beforeAll(async () => {
  kit = await sharedKit();
});
afterAll(async () => {
  await Promise.all(served.map((s) => s.close()));
});

async function serve(option: SecurityOptionNumber, listener: RequestListener, extra: Partial<Parameters<typeof serveOption>[0]> = {}): Promise<ServedOption> {
  const s = await serveOption({ option, kit, listener, ...extra });
  served.push(s);
  return s;
}

interface Reply {
  status: number;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented. */
  fingerprint: string;
}

/** POST over https with certificate verification on, trusting only `ca`. */
function post(url: string, ca: string, body = ''): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ca: [ca], agent: false, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), fingerprint }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The anchor a client of this option trusts: the pinned certificate itself, or the Root CA. */
const anchorOf = (option: SecurityOptionNumber): string => (option === 2 || option === 4 ? kit.pinned.certPem : kit.rootCa.certPem);
const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

describe('serveOption', () => {
  for (const option of SECURITY_OPTION_NUMBERS) {
    it(`serves an arbitrary listener over the certificate of option ${option}, on 127.0.0.1`, async () => {
      const s = await serve(option, (req, res) => res.end(`hello ${req.method} ${req.url}`));
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(s.option).toBe(option);
      const reply = await post(`${s.url}/any/path`, anchorOf(option));
      expect(reply).toMatchObject({ status: 200, body: 'hello POST /any/path' });
      expect(reply.fingerprint).toBe(fingerprintOf(certFor(option, kit).certPem));
      expect(s.requests).toBe(1);
      // Verification is on: trusting the other anchor fails the handshake.
      await expect(post(`${s.url}/any/path`, option === 2 || option === 4 ? kit.rootCa.certPem : kit.pinned.certPem)).rejects.toThrow();
    });
  }

  it('presents the certificate it is given instead, and shapes the URL with basePath', async () => {
    const s = await serve(5, (_req, res) => res.end('ok'), { cert: kit.pinned, basePath: 'fireblocks/cb/' });
    expect(s.url).toMatch(/\/fireblocks\/cb$/);
    expect((await post(s.url, kit.pinned.certPem)).fingerprint).toBe(fingerprintOf(kit.pinned.certPem));
  });

  it('gives listeners the body through readBody, and 413 past the limit', async () => {
    const s = await serve(3, (req, res) => {
      void readBody(req, res).then((body) => {
        if (body !== undefined) res.end(`read ${body.length}`);
      });
    });
    expect(await post(s.url, kit.rootCa.certPem, 'abc')).toMatchObject({ status: 200, body: 'read 3' });
    const huge = await post(s.url, kit.rootCa.certPem, 'a'.repeat(MAX_REQUEST_BYTES + 1));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toEqual({ error: `request body exceeds ${MAX_REQUEST_BYTES} bytes` });
  });

  it('serves plain http for option 1 only', async () => {
    const s = await serve(1, (_req, res) => res.end('plain'), { plainHttp: true });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = await (await fetch(s.url)).text();
    expect(text).toBe('plain');
    await expect(serveOption({ option: 4, kit, listener: () => undefined, plainHttp: true })).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT' });
  });

  it('close() is idempotent and stops listening', async () => {
    const s = await serve(2, (_req, res) => res.end('x'));
    await post(s.url, kit.pinned.certPem);
    const [a, b] = [s.close(), s.close()];
    expect(a).toBe(b);
    await a;
    await expect(post(s.url, kit.pinned.certPem)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
