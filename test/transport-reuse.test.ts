/**
 * `reuseConnections` (`load --reuse-connections`): requests ride kept-alive connections from a
 * pool, each new connection verified as usual; the fresh default opens one per request. The
 * handler counts the TLS connections it accepted, so reuse is measured where it happens.
 */
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { generateTestCertificate } from '../simulator/keys/generate.js';
import { startReferenceHandler, type HandlerHooks, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import type { Kit } from '../simulator/keys/types.js';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { sharedKit } from './support/shared-kit.js';

let kit: Kit;
const started: StartedReferenceHandler[] = [];
beforeAll(async () => {
  kit = await sharedKit();
});
afterAll(() => Promise.all(started.map((h) => h.close())));

/** A reference handler (option 4: pinned certificate, JWT) that counts the TLS connections its requests came over. */
async function counting(hooks: HandlerHooks = {}) {
  const sockets = new Set<TLSSocket>();
  const h = await startReferenceHandler({
    option: 4,
    kit,
    hooks: {
      ...hooks,
      intercept: (req, res, setup) => {
        sockets.add(req.socket as TLSSocket);
        return hooks.intercept?.(req, res, setup) ?? false;
      },
    },
  });
  started.push(h);
  return { h, sockets };
}

const tlsOf = (r: CallbackResult) => r.checks.find((c) => c.id === 'tls')!;

describe('reuseConnections', () => {
  it('sequential requests share one connection: one handshake, the tls check judged on it and referred to after', async () => {
    const { h, sockets } = await counting();
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 1, reuseConnections: true });
    const results: CallbackResult[] = [];
    for (let i = 0; i < 6; i++) results.push(await cosigner.sendTx());
    await cosigner.close();
    expect(results.map((r) => r.ok)).toEqual(Array(6).fill(true));
    expect(sockets.size).toBe(1);
    const [first, ...rest] = results;
    expect(first!.connection).toEqual({ id: 1, reused: false, openedBy: first!.request.requestId });
    expect(first!.timings.tlsMs).toBeGreaterThan(0);
    expect(tlsOf(first!)).toMatchObject({ status: 'pass', message: 'certificate trusted (pinned)' });
    for (const r of rest) {
      expect(r.connection).toEqual({ id: 1, reused: true, openedBy: first!.request.requestId });
      expect(r.timings.tlsMs).toBeUndefined();
      expect(r.timings.connectMs).toBeUndefined();
      // Each result carries its connection's certificate.
      expect(r.peerCertificate?.fingerprint256).toBe(first!.peerCertificate!.fingerprint256);
      expect(tlsOf(r).status).toBe('pass');
      expect(tlsOf(r).message).toContain(`on connection #1: judged on the request that opened it (${first!.request.requestId})`);
    }
  });

  it('the fresh default opens one connection per request and reports none', async () => {
    const { h, sockets } = await counting();
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 2 });
    const results: CallbackResult[] = [];
    for (let i = 0; i < 4; i++) results.push(await cosigner.sendTx());
    expect(results.every((r) => r.ok && r.connection === undefined && r.timings.tlsMs !== undefined)).toBe(true);
    expect(sockets.size).toBe(4);
  });

  it('concurrent requests open at most one connection each, and every connection opened is one handshake a result reports', async () => {
    const { h, sockets } = await counting();
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 3, reuseConnections: true });
    const results: CallbackResult[] = [];
    for (let round = 0; round < 3; round++) results.push(...(await Promise.all([1, 2, 3].map(() => cosigner.sendTx()))));
    await cosigner.close();
    expect(results.every((r) => r.ok)).toBe(true);
    const opened = results.filter((r) => r.connection?.reused === false);
    expect(sockets.size).toBeLessThanOrEqual(3);
    expect(opened.length).toBe(sockets.size);
    expect(new Set(results.map((r) => r.connection!.id)).size).toBe(sockets.size);
  });

  it('a wrong certificate still fails tls with reuse on: no connection is ever kept', async () => {
    const other = await generateTestCertificate({ commonName: 'imposter' });
    const { h, sockets } = await counting({ tls: () => other });
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 4, reuseConnections: true });
    const results: CallbackResult[] = [];
    for (let i = 0; i < 3; i++) results.push(await cosigner.sendTx());
    await cosigner.close();
    for (const r of results) {
      expect(tlsOf(r).status).toBe('fail');
      expect(tlsOf(r).message).toContain('a certificate other than the pinned one');
      expect(r.connection).toBeUndefined();
    }
    expect(sockets.size).toBe(0);
  });

  it('a handler that closes each connection gets a new, verified handshake per request', async () => {
    const { h, sockets } = await counting({ respond: (res, body) => void res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' }).end(body) });
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 5, reuseConnections: true });
    const results: CallbackResult[] = [];
    for (let i = 0; i < 3; i++) results.push(await cosigner.sendTx());
    await cosigner.close();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.connection)).toEqual([1, 2, 3].map((id, i) => ({ id, reused: false, openedBy: results[i]!.request.requestId })));
    expect(sockets.size).toBe(3);
  });

  it('a reused connection the handler resets fails connect, and tls is not passed on its account; the next request opens a new one', async () => {
    let n = 0;
    const { h } = await counting({
      intercept: (req) => {
        if (++n !== 2) return false;
        req.socket.destroy();
        return true;
      },
    });
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 7, reuseConnections: true });
    const results: CallbackResult[] = [];
    for (let i = 0; i < 3; i++) results.push(await cosigner.sendTx());
    await cosigner.close();
    const [first, reset, third] = results;
    expect(first!.ok).toBe(true);
    expect(reset!.connection).toMatchObject({ id: 1, reused: true });
    expect(reset!.checks.find((c) => c.id === 'connect')).toMatchObject({ status: 'fail', message: expect.stringContaining('the handler closed kept-alive connection #1 before answering') });
    expect(tlsOf(reset!)).toMatchObject({ status: 'skip', reason: 'blocked' });
    expect(third!.ok).toBe(true);
    expect(third!.connection).toMatchObject({ id: 2, reused: false });
  });

  it('a closed Co-signer refuses to send on its closed pool', async () => {
    const { h } = await counting();
    const cosigner = createCosigner({ url: h.url, option: 4, kit, seed: 6, reuseConnections: true });
    await cosigner.close();
    await expect(cosigner.sendTx()).rejects.toThrow(/connection pool is closed/);
  });
});
