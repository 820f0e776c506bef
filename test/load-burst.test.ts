/**
 * `runLoad` with several Co-signers, bursts and RETRY re-sends (`--mix cosigner-burst`), and with
 * reused connections (`--reuse-connections`): real TLS against the reference handler, whose hooks
 * answer RETRY or count the connections and signers they see.
 */
import { verify } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { splitCompactJws } from '../simulator/codec/jws.js';
import { generateRsaKeyPair } from '../simulator/keys/generate.js';
import type { KeyPairMaterial, Kit } from '../simulator/keys/types.js';
import { COSIGNER_BURST, loadCosigners, parseMix, presetMode, runLoad } from '../simulator/load/index.js';
import type { HandlerHooks } from '../simulator/reference/handler.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { sharedKit } from './support/shared-kit.js';

let kit: Kit;
const started: StartedTarget[] = [];
beforeAll(async () => {
  kit = await sharedKit();
});
afterAll(() => Promise.all(started.map((t) => t.close())));

async function target(hooks: HandlerHooks, option: 2 | 4 = 2): Promise<StartedTarget> {
  const t = await startTarget({ kind: 'reference', option, kit, hooks });
  started.push(t);
  return t;
}

/** What the handler saw: how often each requestId came, from which signerId, to which endpoint. */
function recorder() {
  const seen = new Map<string, number>();
  const signers = new Set<unknown>();
  const endpoints = new Set<string>();
  return {
    seen,
    signers,
    endpoints,
    note(ctx: { requestId: string; payload: Record<string, unknown>; endpoint: string }): number {
      const n = (seen.get(ctx.requestId) ?? 0) + 1;
      seen.set(ctx.requestId, n);
      signers.add(ctx.payload['signerId']);
      endpoints.add(ctx.endpoint);
      return n;
    },
  };
}

describe('cosigner-burst', () => {
  it('three Co-signers send bursts; a RETRY answered the first time is re-sent once with the same requestId, and nothing more', async () => {
    const rec = recorder();
    // RETRY the first time a requestId is seen; APPROVE its re-send.
    const t = await target({ decide: (ctx) => (rec.note(ctx) === 1 ? { action: 'RETRY' } : { action: 'APPROVE' }) });
    const first = createCosigner(t, { seed: 10 });
    const cosigners = loadCosigners(first, t, { seed: 10 }, 3);
    // One burst of 2 per Co-signer (the next is past the run's end): 6 new requests, each re-sent once 20 ms after its RETRY.
    const r = await runLoad({ cosigner: cosigners, mode: { kind: 'burst', size: 2, everyMs: 60_000 }, stop: { durationMs: 5000 }, mix: parseMix(COSIGNER_BURST.mix), resend: { maxResends: 3, backoffMs: 20 } });
    expect(r.counts.failed, JSON.stringify(r.failedByCheck)).toBe(0);
    expect(r.cosigners).toBe(3);
    expect(rec.signers.size).toBe(3);
    expect(rec.seen.size).toBe(6);
    // Every request came exactly twice: the first send and one identical re-send.
    expect([...rec.seen.values()]).toEqual(Array(6).fill(2));
    expect(r.retry).toEqual({ maxResends: 3, backoffMs: 20, answers: 6, resends: 6, gaveUp: 0, cut: 0 });
    expect(r.counts.sent).toBe(12);
    // The burst put all 6 in flight at once.
    expect(r.peakInFlight).toBe(6);
  }, 20_000);

  it('bursts: every burst holds size requests of each Co-signer, however late its tick runs; each Co-signer keeps the mix', async () => {
    const rec = recorder();
    const t = await target({ decide: (ctx) => void rec.note(ctx) });
    const cosigners = loadCosigners(createCosigner(t, { seed: 15 }), t, { seed: 15 }, 3);
    // Bursts due at 0 and 100 ms; the one at 200 ms is past the run's end.
    const r = await runLoad({ cosigner: cosigners, mode: { kind: 'burst', size: 2, everyMs: 100 }, stop: { durationMs: 150 }, mix: parseMix(COSIGNER_BURST.mix) });
    expect(r.counts.sent).toBe(12);
    expect(rec.signers.size).toBe(3);
    expect(rec.endpoints).toEqual(new Set(['tx_sign_request', 'config_change_sign_request']));
    // Each Co-signer's 4 requests follow its own tx.approval:2,tx.signing:2,config:1 picker: approval, signing, config, approval.
    expect(r.counts.byKind).toEqual({ 'tx.approval': 6, 'tx.signing': 3, config: 3 });
  }, 20_000);

  it('a handler that always answers RETRY gets at most maxResends re-sends per request, then the Co-signer gives up', async () => {
    const rec = recorder();
    const t = await target({ decide: (ctx) => (rec.note(ctx), { action: 'RETRY' }) });
    const r = await runLoad({ cosigner: createCosigner(t, { seed: 11 }), mode: { kind: 'burst', size: 1, everyMs: 1000 }, stop: { durationMs: 300 }, resend: { maxResends: 2, backoffMs: 10 } });
    expect([...rec.seen.values()]).toEqual([3]);
    expect(r.retry).toMatchObject({ answers: 3, resends: 2, gaveUp: 1, cut: 0 });
    expect(r.counts.sent).toBe(3);
  }, 20_000);

  it('re-sends stay within --requests: one due past the bound is cut, not sent', async () => {
    const rec = recorder();
    const t = await target({ decide: (ctx) => (rec.note(ctx), { action: 'RETRY' }) });
    const r = await runLoad({ cosigner: createCosigner(t, { seed: 12 }), mode: { kind: 'burst', size: 1, everyMs: 200 }, stop: { requests: 2 }, resend: { maxResends: 5, backoffMs: 10 } });
    expect(r.counts.sent).toBe(2);
    expect([...rec.seen.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(r.retry).toMatchObject({ resends: 1, cut: 1, gaveUp: 0 });
  }, 20_000);

  it('without a re-send policy a RETRY is one answer like any other', async () => {
    const rec = recorder();
    const t = await target({ decide: (ctx) => (rec.note(ctx), { action: 'RETRY' }) });
    const r = await runLoad({ cosigner: createCosigner(t, { seed: 13 }), mode: { kind: 'closed', concurrency: 1 }, stop: { requests: 3 } });
    expect([...rec.seen.values()]).toEqual([1, 1, 1]);
    expect(r.retry).toBeUndefined();
  }, 20_000);

  it('with a list of Co-signer keys each Co-signer signs with its own', async () => {
    const other: KeyPairMaterial = await generateRsaKeyPair();
    const byKey = new Map<string, Set<unknown>>([['kit', new Set()], ['other', new Set()]]);
    // Verifies each request JWS against either key and records which key signed for which signerId.
    const t = await target(
      {
        parse: (body) => {
          const s = splitCompactJws(body)!;
          const payload = JSON.parse(Buffer.from(s.payload, 'base64url').toString('utf8')) as Record<string, unknown>;
          const data = Buffer.from(`${s.header}.${s.payload}`);
          const sig = Buffer.from(s.signature, 'base64url');
          const signer = verify('sha256', data, kit.cosigner.publicKey, sig) ? 'kit' : verify('sha256', data, other.publicKey, sig) ? 'other' : undefined;
          if (signer === undefined) throw new Error('signed by neither key');
          byKey.get(signer)!.add(payload['signerId']);
          return payload;
        },
      },
      4,
    );
    const first = createCosigner(t, { seed: 14 });
    const cosigners = loadCosigners(first, t, { seed: 14 }, 3, [kit.cosigner.privateKey, other.privateKey]);
    const r = await runLoad({ cosigner: cosigners, mode: presetMode({ ...COSIGNER_BURST, burst: { size: 1, everyMs: 1000 } }), stop: { requests: 3 } });
    await Promise.all(cosigners.map((c) => c.close()));
    expect(r.counts.failed, JSON.stringify(r.firstFailure)).toBe(0);
    // Co-signers 0 and 2 sign with the kit's key, 1 with the other: the kit's key signed for two signerIds, the other for one.
    expect(byKey.get('kit')!.size).toBe(2);
    expect(byKey.get('other')!.size).toBe(1);
  }, 20_000);
});

describe('reused connections in a load run', () => {
  it('reuse: fewer handshakes than requests, counted on the handler; fresh: one per request', async () => {
    const sockets = new Set<Socket>();
    const t = await target({ intercept: (req) => (sockets.add(req.socket), false) });
    const reused = createCosigner(t, { seed: 20, reuseConnections: true });
    const r = await runLoad({ cosigner: reused, reuseConnections: true, mode: { kind: 'closed', concurrency: 2 }, stop: { requests: 20 } });
    await reused.close();
    expect(r.counts.failed, JSON.stringify(r.firstFailure)).toBe(0);
    expect(sockets.size).toBeLessThanOrEqual(2);
    expect(r.connections).toEqual({ reused: true, opened: sockets.size, handshakes: sockets.size, handshakesPerRequest: sockets.size / 20 });
    expect(r.latency.tls.count).toBe(sockets.size);
    expect(r.latency.total.count).toBe(20);

    sockets.clear();
    const fresh = await runLoad({ cosigner: createCosigner(t, { seed: 21 }), mode: { kind: 'closed', concurrency: 2 }, stop: { requests: 6 } });
    expect(sockets.size).toBe(6);
    expect(fresh.connections).toEqual({ reused: false, opened: 6, handshakes: 6, handshakesPerRequest: 1 });
  }, 20_000);
});
