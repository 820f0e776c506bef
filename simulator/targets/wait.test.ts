/**
 * The readiness wait: a handshake that reaches certificate verification is ready (also when the
 * option then refuses the certificate), a closed port is not, and the timeout names the URL and
 * the time waited.
 */
import { createServer as createTlsServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import type { Kit } from '../keys/types.js';
import { buildTlsOptions } from '../tls/trust.js';
import { freePort } from './command.js';
import { probeOnce, waitUntilReady } from './wait.js';

let kit: Kit;
let server: Server;
let port: number;
beforeAll(async () => {
  kit = await sharedKit();
  // Serves the leaf: option 4 pins another certificate, so its verification fails.
  server = createTlsServer({ key: kit.leaf.keyPem, cert: kit.leaf.certPem }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('waitUntilReady', () => {
  it('a certificate the option refuses still counts as ready; a trusted one too', async () => {
    const url = new URL(`https://127.0.0.1:${port}`);
    expect(await probeOnce(url, buildTlsOptions(4, { pinnedCertPem: kit.pinned.certPem }), 5_000)).toBe(true);
    expect(await probeOnce(url, buildTlsOptions(5, { caPem: kit.rootCa.certPem }), 5_000)).toBe(true);
    await expect(waitUntilReady({ url: url.href, tls: buildTlsOptions(4, { pinnedCertPem: kit.pinned.certPem }), timeoutMs: 5_000 })).resolves.toBeUndefined();
  });

  it('a closed port is not ready, and the timeout names the URL, the time waited and the output', async () => {
    const closed = await freePort();
    expect(await probeOnce(new URL(`https://127.0.0.1:${closed}`), buildTlsOptions(5, { caPem: kit.rootCa.certPem }), 5_000)).toBe(false);
    const started = performance.now();
    const err = await waitUntilReady({ url: `https://127.0.0.1:${closed}/cb`, tls: buildTlsOptions(5, { caPem: kit.rootCa.certPem }), timeoutMs: 500, what: 'the command "x"', logs: () => ['booting'] }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(err).toMatchObject({
      code: 'CSIM_TARGET_START',
      message: expect.stringMatching(new RegExp(`^the command "x" did not accept a TLS connection at https://127\\.0\\.0\\.1:${closed} within 500ms \\(waited \\d+\\.\\d s\\); its last 1 line of output:\\nbooting$`)),
    });
  });

  it('an aborted signal ends the wait with its reason', async () => {
    const closed = await freePort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('exited')), 200);
    await expect(waitUntilReady({ url: `https://127.0.0.1:${closed}`, tls: buildTlsOptions(5, { caPem: kit.rootCa.certPem }), timeoutMs: 10_000, signal: controller.signal })).rejects.toThrow('exited');
  });
});
