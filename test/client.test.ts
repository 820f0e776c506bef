/**
 * The library API of the simulated Co-signer: request Content-Types, per-request overrides for
 * users' own negative tests, sendRaw, and the result object.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { generateRsaKeyPair } from '../simulator/keys/generate.js';
import { sharedKit } from './support/shared-kit.js';
import type { Kit } from '../simulator/keys/types.js';
import { resolveMaterial } from '../simulator/client/material.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';

let kit: Kit;
let handler: StartedTarget;
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  kit = await sharedKit();
  handler = await startTarget({
    kind: 'reference',
    option: 5,
    kit,
    hooks: { intercept: (req) => (seen.push(req.headers), false) },
  });
});
afterAll(() => handler?.close());

describe('request Content-Type', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['application/jwt', 'application/jwt'],
    ['application/json', 'application/json'],
    ['none', undefined],
  ] as const)('sends %s', async (contentType, header) => {
    const res = await createCosigner({ url: handler.url, option: 5, kit, contentType }).sendTx();
    expect(seen.at(-1)?.['content-type']).toBe(header);
    expect(res.ok).toBe(true);
  });

  it('defaults to text/plain', async () => {
    await createCosigner({ url: handler.url, option: 5, kit }).sendTx();
    expect(seen.at(-1)?.['content-type']).toBe('text/plain');
  });

  it('refuses an unknown Content-Type setting', () => {
    expect(() => createCosigner({ url: handler.url, option: 5, kit, contentType: 'text/html' as never })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});

describe('negative tests of your own', () => {
  it('signWith another key: the reference handler refuses with 401, and http-status says so', async () => {
    const other = await generateRsaKeyPair();
    const res = await createCosigner({ url: handler.url, option: 5, kit }).sendTx({ signWith: other.privateKey });
    expect(res.response?.status).toBe(401);
    expect(res.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['http-status']);
    expect(res.checks.find((c) => c.id === 'http-status')?.hint).toMatch(/Co-signer public key/);
  });

  it('path override: a request to the JSON path of a JWT option gets 404 with a /v2 hint', async () => {
    const res = await createCosigner({ url: handler.url, option: 5, kit }).sendTx({ path: '/tx_sign_request' });
    expect(res.response?.status).toBe(404);
    expect(res.checks.find((c) => c.id === 'http-status')?.hint).toMatch(/\/v2/);
  });

  it('sendRaw sends the exact body and reads requestId from it', async () => {
    const cosigner = createCosigner({ url: handler.url, option: 5, kit, seed: 9 });
    const first = await cosigner.sendTx();
    const res = await cosigner.sendRaw({ path: '/v2/tx_sign_request', body: `  ${first.request.body}\n` });
    expect(res.request.requestId).toBe(first.request.requestId);
    expect(res.ok).toBe(true);
    const garbage = await cosigner.sendRaw({ path: '/v2/tx_sign_request', body: 'not a jwt' });
    expect(garbage.response?.status).toBe(400);
  });

  it('unset removes fields and a dotted key sets one destination field', async () => {
    const res = await createCosigner({ url: handler.url, option: 5, kit, seed: 4 }).sendTx({ unset: ['signerId'], payload: { 'destinations.0.amountUSD': 5 } });
    expect(res.request.payload.signerId).toBeUndefined();
    expect((res.request.payload.destinations as { amountUSD: number }[])[0]!.amountUSD).toBe(5);
  });
});

describe('the result object', () => {
  it('records request, response, decision, timings and checks', async () => {
    const res = await createCosigner({ url: handler.url, option: 5, kit, seed: 5 }).sendTx({ stage: 'approval' });
    expect(res.request).toMatchObject({ method: 'POST', endpoint: 'tx_sign_request', option: 5, stage: 'approval' });
    expect(res.response?.status).toBe(200);
    expect(res.response?.jwt?.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(res.response?.jwt?.payload).toMatchObject({ action: 'APPROVE', requestId: res.request.requestId });
    expect(res.decision).toEqual({ action: 'APPROVE', requestId: res.request.requestId, hasRejectionReason: false });
    const t = res.timings;
    expect(t.connectMs).toBeLessThanOrEqual(t.tlsMs!);
    expect(t.tlsMs).toBeLessThanOrEqual(t.firstByteMs!);
    expect(t.firstByteMs).toBeLessThanOrEqual(t.totalMs);
    expect(res.checks).toHaveLength(11);
  });

  it('the same seed gives the same requests', async () => {
    const a = await createCosigner({ url: handler.url, option: 5, kit, seed: 77 }).sendTx();
    const b = await createCosigner({ url: handler.url, option: 5, kit, seed: 77 }).sendTx();
    expect(a.request.payload).toEqual(b.request.payload);
  });
});

describe('created from resolved material or a started target', () => {
  it('takes the target as it is, with client options beside it, and sends with its material', async () => {
    const cosigner = createCosigner(handler, { seed: 77, contentType: 'application/jwt' });
    expect(cosigner).toMatchObject({ option: 5, url: handler.url, seed: 77 });
    const res = await cosigner.sendTx();
    expect(seen.at(-1)?.['content-type']).toBe('application/jwt');
    expect(res.ok).toBe(true);
    // Same seed, raw material: the same request, so the resolved material was used as it is.
    const raw = await createCosigner({ url: handler.url, option: 5, kit, seed: 77 }).sendTx();
    expect(raw.request.payload).toEqual(res.request.payload);
  });

  it('takes { url, material } from resolveMaterial, and its key is the one that signs', async () => {
    const material = resolveMaterial({ option: 5, kit });
    const res = await createCosigner({ url: handler.url, material, seed: 3 }).sendTx();
    expect(res.ok).toBe(true);
    // A material whose Co-signer key is another: the handler refuses, so the key really came from it.
    const other = await generateRsaKeyPair();
    const forged = resolveMaterial({ option: 5, kit, cosignerKey: other.privateKey });
    expect((await createCosigner({ url: handler.url, material: forged }).sendTx()).response?.status).toBe(401);
  });

  it('refuses material that was not resolved', () => {
    expect(() => createCosigner({ url: handler.url, material: { option: 5, kit } as never })).toThrow(
      expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('material must be resolved key material') }),
    );
  });
});
