/**
 * `runLoad` (simulator/load/) over real TLS against the reference handler, slowed or broken by
 * its hooks: the loops pace honestly, failures are counted by check id, nothing waits 30 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { runLoad, loadFailures, type LoadProgress } from '../simulator/load/index.js';
import { parseMix } from '../simulator/load/mix.js';
import { sharedKit } from './support/shared-kit.js';

/** A reference handler that answers after `ms` (a timer: the event loop stays free). */
function delayed(ms: number) {
  return {
    respond: (res: import('node:http').ServerResponse, body: string) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end(body);
          resolve();
        }, ms),
      ),
  };
}

describe('runLoad', () => {
  let slow: StartedTarget;
  let broken: StartedTarget;
  beforeAll(async () => {
    const kit = await sharedKit();
    slow = await startTarget({ kind: 'reference', option: 2, kit, hooks: delayed(50) });
    // Echoes another requestId: every answer fails request-id.
    broken = await startTarget({ kind: 'reference', option: 2, kit, hooks: { claims: (c) => ({ ...c, requestId: 'not-the-one' }) } });
  }, 60_000);
  afterAll(async () => {
    await slow?.close();
    await broken?.close();
  });

  it('closed loop: keeps exactly N in flight against a 50 ms handler (peak = N, mean >= 0.9 N)', async () => {
    const progress: LoadProgress[] = [];
    const r = await runLoad({ cosigner: createCosigner(slow, { seed: 1 }), mode: { kind: 'closed', concurrency: 4 }, stop: { durationMs: 1000 }, onProgress: (p) => progress.push(p), progressEveryMs: 200 });
    // The live line's figures: requests so far, the rate, p50/p99 so far, errors.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // A timer never runs between one request's end and the next one's start: N are in flight.
    expect(progress[0]).toMatchObject({ warmingUp: false, failed: 0, inFlight: 4 });
    expect(progress.at(-1)!.completed).toBeGreaterThan(0);
    expect(progress.at(-1)!.p99).toBeGreaterThanOrEqual(progress.at(-1)!.p50);
    expect(r.peakInFlight).toBe(4);
    expect(r.meanInFlight, JSON.stringify(r)).toBeGreaterThanOrEqual(0.9 * 4);
    expect(r.counts.failed, JSON.stringify(r.failedByCheck)).toBe(0);
    expect(r.counts.sent).toBe(r.counts.ok);
    expect(r.latency.total.count).toBe(r.counts.sent);
    expect(r.latency.total.p50).toBeGreaterThanOrEqual(50);
    expect(r.latency.tls.p50).toBeLessThan(r.latency.total.p50);
    expect(r.throughputPerSec).toBeCloseTo((r.counts.sent * 1000) / r.durationMs, 6);
    expect(loadFailures(r)).toEqual([]);
  }, 20_000);

  it('stops after exactly --requests measured requests, the warm-up left out of the figures', async () => {
    const r = await runLoad({ cosigner: createCosigner(slow, { seed: 2 }), mode: { kind: 'closed', concurrency: 3 }, stop: { requests: 7 }, warmupMs: 120 });
    expect(r.counts.sent).toBe(7);
    expect(r.latency.total.count).toBe(7);
    expect(r.counts.warmup).toBeGreaterThanOrEqual(3);
    expect(r.counts.byKind).toEqual({ 'tx.approval': expect.any(Number), 'tx.signing': expect.any(Number) });
  }, 20_000);

  it('open loop: requests beyond --max-in-flight are dropped and fail the run', async () => {
    const r = await runLoad({ cosigner: createCosigner(slow, { seed: 3 }), mode: { kind: 'open', ratePerSec: 100, maxInFlight: 1 }, stop: { durationMs: 400 } });
    expect(r.peakInFlight).toBe(1);
    expect(r.counts.dropped).toBeGreaterThan(10);
    expect(r.counts.sent).toBeGreaterThan(0);
    expect(loadFailures(r).join()).toContain('dropped');
  }, 20_000);

  it('open loop: latency counts from the scheduled start, and a client that falls behind counts late starts', async () => {
    // The handler blocks the event loop (it runs in this process) for 30 ms per answer at 100/s:
    // the schedule falls behind, and the latency includes the wait.
    const busy = await startTarget({
      kind: 'reference',
      option: 2,
      kit: await sharedKit(),
      hooks: {
        respond: (res, body) => {
          const until = performance.now() + 30;
          while (performance.now() < until);
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end(body);
        },
      },
    });
    try {
      const r = await runLoad({ cosigner: createCosigner(busy, { seed: 4 }), mode: { kind: 'open', ratePerSec: 100 }, stop: { requests: 20 } });
      expect(r.counts.sent).toBe(20);
      expect(r.counts.lateStarts).toBeGreaterThan(0);
      expect(r.counts.dropped).toBe(0);
      expect(r.counts.failed).toBe(0);
      // 20 requests of >= 30 ms of blocked loop each: the last are scheduled long before they start.
      expect(r.latency.total.max).toBeGreaterThan(200);
    } finally {
      await busy.close();
    }
  }, 20_000);

  it('an aborted signal starts no further request; the report covers what ran', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const r = await runLoad({ cosigner: createCosigner(slow, { seed: 6 }), mode: { kind: 'closed', concurrency: 2 }, stop: { durationMs: 60_000 }, signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.interrupted).toBe(true);
    expect(r.counts.sent).toBeGreaterThan(0);
    expect(r.counts.ok).toBe(r.counts.sent);
  }, 20_000);

  it('bases shape every request of their kind; the mix decides the stage', async () => {
    const seen: { endpoint: string; stage: string; note: unknown; type: unknown }[] = [];
    const spy = await startTarget({ kind: 'reference', option: 2, kit: await sharedKit(), hooks: { decide: (ctx) => void seen.push({ endpoint: ctx.endpoint, stage: ctx.stage, note: ctx.payload['note'], type: ctx.payload['type'] }) } });
    try {
      const bases = {
        tx: { kind: 'tx' as const, source: 't', stage: 'approval' as const, payload: { note: 'from-the-base' }, verbatim: [], unset: [] },
        config: { kind: 'config' as const, source: 'c', configType: 'ADD_USER', payload: {}, verbatim: [], unset: [] },
      };
      const r = await runLoad({ cosigner: createCosigner(spy, { seed: 7 }), mode: { kind: 'closed', concurrency: 1 }, stop: { requests: 3 }, mix: parseMix('tx.signing:2,config:1'), bases });
      expect(r.counts.ok).toBe(3);
      expect(seen.filter((x) => x.endpoint === 'tx_sign_request')).toEqual([expect.objectContaining({ stage: 'signing', note: 'from-the-base' }), expect.objectContaining({ stage: 'signing', note: 'from-the-base' })]);
      expect(seen.filter((x) => x.endpoint === 'config_change_sign_request')).toEqual([expect.objectContaining({ type: 'ADD_USER' })]);
    } finally {
      await spy.close();
    }
  }, 20_000);

  it('a handler defect fails the run, errors counted by check id', async () => {
    const r = await runLoad({ cosigner: createCosigner(broken, { seed: 5 }), mode: { kind: 'closed', concurrency: 2 }, stop: { requests: 6 }, mix: parseMix('tx.signing:1,config:1') });
    expect(r.counts.failed).toBe(6);
    expect(r.failedByCheck).toEqual({ 'request-id': 6 });
    expect(r.firstFailure['request-id']).toBeTruthy();
    expect(r.counts.byKind).toEqual({ 'tx.signing': 3, config: 3 });
    expect(loadFailures(r)[0]).toContain('error rate 100.00%');
    expect(loadFailures(r, 1)).toEqual([]);
  }, 20_000);
});

describe('parseMix', () => {
  it('reads kinds and weights; tx alone is both stages equally', () => {
    expect(parseMix('tx.approval:3,tx.signing:6,config:1')).toEqual([
      { kind: 'tx.approval', weight: 3 },
      { kind: 'tx.signing', weight: 6 },
      { kind: 'config', weight: 1 },
    ]);
    expect(parseMix('tx')).toEqual([
      { kind: 'tx.approval', weight: 1 },
      { kind: 'tx.signing', weight: 1 },
    ]);
    expect(parseMix('tx:9,config:1')).toEqual([
      { kind: 'tx.approval', weight: 9 },
      { kind: 'tx.signing', weight: 9 },
      { kind: 'config', weight: 2 },
    ]);
    expect(parseMix('config')).toEqual([{ kind: 'config', weight: 1 }]);
  });

  it.each([
    ['', 'an empty entry'],
    ['tx,,config', 'an empty entry'],
    ['tx:0', 'from 1 to 1000'],
    ['tx:x', 'not kind or kind:weight'],
    ['txn:1', '"txn" is not a request kind'],
  ])('refuses %j naming --mix', (text, detail) => {
    expect(() => parseMix(text)).toThrow(expect.objectContaining({ code: 'CSIM_USAGE', field: 'mix', message: expect.stringMatching(new RegExp(`--mix.*${detail.replace(/[.*+?()[\]]/g, '\\$&')}`)) }));
  });
});
