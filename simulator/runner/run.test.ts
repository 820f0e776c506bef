import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cosigner, SendConfigChangeOptions, SendTxOptions } from '../client/cosigner.js';
import { resolveProfile } from '../protocol/profiles.js';
import { CHECK_IDS, type CallbackResult, type Endpoint } from '../protocol/types.js';
import { runScenarios } from './run.js';
import type { Scenario, ScenarioRequest, ScenarioExpect, ScenarioResult } from './types.js';

type Sent = { kind: 'tx' | 'config' | 'resend'; options?: SendTxOptions | SendConfigChangeOptions; previous?: CallbackResult };

/**
 * A Cosigner that answers from a script instead of the network: `decide` gets the send options
 * (or the re-sent result) and how many requests came before, and returns the action.
 */
function fakeCosigner(decide: (sent: Sent, n: number) => string | { action: string; delayMs?: number }) {
  const sent: Sent[] = [];
  let txCounter = 0;
  const answer = async (s: Sent, endpoint: Endpoint, txId: string | undefined, requestId: string): Promise<CallbackResult> => {
    const n = sent.length;
    sent.push(s);
    const d = decide(s, n);
    const { action, delayMs } = typeof d === 'string' ? { action: d, delayMs: 0 } : d;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return {
      request: { method: 'POST', endpoint, url: `https://fake/v2/${endpoint}`, option: 4, stage: 'signing', requestId, ...(txId ? { txId } : {}), payload: {}, body: '', headers: {} },
      response: { status: 200, headers: {}, body: '', bodyBytes: 0, truncated: false, complete: true },
      decision: { action, requestId, hasRejectionReason: false },
      timings: { totalMs: 1 },
      checks: CHECK_IDS.map((id) => ({ id, status: 'pass' as const })),
      warnings: [{ id: 'w', message: 'a warning' }],
      ok: true,
    };
  };
  const cosigner: Cosigner = {
    option: 4,
    url: 'https://fake',
    seed: 1,
    profile: resolveProfile('latest'),
    cosigners: 1,
    signerIdOf: () => 'signer-1',
    async sendTx(o: SendTxOptions = {}) {
      const txId = o.txId ?? `tx-${++txCounter}`;
      return answer({ kind: 'tx', options: o }, 'tx_sign_request', txId, txId);
    },
    async sendConfigChange(o: SendConfigChangeOptions = {}) {
      return answer({ kind: 'config', options: o }, 'config_change_sign_request', undefined, `cfg-${sent.length}`);
    },
    async sendRaw() {
      throw new Error('not used');
    },
    async resend(previous: CallbackResult) {
      return answer({ kind: 'resend', previous }, previous.request.endpoint, previous.request.txId, previous.request.requestId);
    },
    async close() {},
  };
  return { cosigner, sent };
}

const scenario = (name: string, o: Partial<Scenario> & { request?: ScenarioRequest; expect?: ScenarioExpect } = {}): Scenario => ({
  name,
  file: 'scenarios/x.yaml',
  line: 1,
  tags: [],
  steps: o.steps ?? [{ request: o.request ?? { type: 'tx', stage: 'signing' }, expect: o.expect ?? { action: 'APPROVE' } }],
  ...(o.options ? { options: o.options } : {}),
  ...(o.retry ? { retry: o.retry } : {}),
});

describe('runScenarios', () => {
  it('re-sends the identical request while the handler answers RETRY, and records every attempt', async () => {
    const { cosigner, sent } = fakeCosigner((_s, n) => (n < 2 ? 'RETRY' : 'APPROVE'));
    const { results } = await runScenarios([scenario('retry', { retry: { max: 3, intervalMs: 0 } })], { cosigner, option: 4 });
    const r = results[0]!;
    expect(r.status).toBe('pass');
    expect(r.steps[0]!.attempts.map((a) => a.decision.action)).toEqual(['RETRY', 'RETRY', 'APPROVE']);
    expect(sent.map((s) => s.kind)).toEqual(['tx', 'resend', 'resend']);
    expect(sent[1]!.previous).toBe(r.steps[0]!.attempts[0]);
    expect(sent[2]!.previous).toBe(r.steps[0]!.attempts[1]);
    expect(r.checks.at(-1)).toMatchObject({ id: 'expectation', status: 'pass', message: 'APPROVE (after 2 re-sends) as expected' });
  });

  it('stops after retry.max re-sends, and the final RETRY fails the expectation', async () => {
    const { cosigner, sent } = fakeCosigner(() => 'RETRY');
    const { results } = await runScenarios([scenario('stuck', { retry: { max: 1, intervalMs: 1 } })], { cosigner, option: 4 });
    expect(sent).toHaveLength(2);
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.checks.at(-1)?.message).toBe('expected APPROVE, received RETRY (after 1 re-send)');
  });

  it('passes the scenario’s optionalFields to the builder (tx only, not in exact mode)', async () => {
    const { cosigner, sent } = fakeCosigner(() => 'APPROVE');
    await runScenarios(
      [
        scenario('random', { request: { type: 'tx', stage: 'signing', optionalFields: 'random' } }),
        scenario('exact', { request: { type: 'tx', payloadMode: 'exact', payload: { txId: 't' }, optionalFields: 'none' } }),
        scenario('default'),
      ],
      { cosigner, option: 4 },
    );
    expect(sent.map((s) => (s.options as SendTxOptions).optionalFields)).toEqual(['random', undefined, undefined]);
  });

  it('does not re-send without retry', async () => {
    const { cosigner, sent } = fakeCosigner(() => 'RETRY');
    const { results } = await runScenarios([scenario('once', { expect: { action: 'RETRY' } })], { cosigner, option: 4 });
    expect(sent).toHaveLength(1);
    expect(results[0]!.status).toBe('pass');
  });

  it('fails only expectation when the decision differs', async () => {
    const { cosigner } = fakeCosigner(() => 'APPROVE');
    const { results, summary } = await runScenarios([scenario('wrong', { expect: { action: 'REJECT' } })], { cosigner, option: 4 });
    const failed = results[0]!.checks.filter((c) => c.status === 'fail');
    expect(failed).toEqual([expect.objectContaining({ id: 'expectation', message: 'expected REJECT, received APPROVE' })]);
    expect(results[0]!.checks.map((c) => c.id)).toEqual([...CHECK_IDS, 'expectation']);
    expect(summary).toMatchObject({ ok: false, total: 1, passed: 0, failed: 1, skipped: 0, notRun: 0, warnings: 1 });
  });

  it('skips a scenario whose options exclude the current one, with the reason', async () => {
    const { cosigner, sent } = fakeCosigner(() => 'APPROVE');
    const { results, summary } = await runScenarios([scenario('jwt only', { options: [1, 4, 5] }), scenario('other')], { cosigner, option: 2 });
    expect(sent).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'skip', skipReason: 'option 2 not in options [1, 4, 5]', steps: [], checks: [] });
    expect(summary).toMatchObject({ ok: true, passed: 1, skipped: 1 });
  });

  it('passes the first step txId to later tx steps, and prefixes messages with the step name', async () => {
    const { cosigner, sent } = fakeCosigner(() => 'APPROVE');
    const s = scenario('flow', {
      steps: [
        { name: 'approval', request: { type: 'tx', stage: 'approval' }, expect: { action: 'APPROVE' } },
        { name: 'signing', request: { type: 'tx', stage: 'signing' }, expect: { action: 'REJECT' } },
        { request: { type: 'tx', txId: 'own-tx' }, expect: {} },
        { request: { type: 'config', configType: 'ADD_USER' }, expect: {} },
      ],
    });
    const { results } = await runScenarios([s], { cosigner, option: 4 });
    const r = results[0]!;
    expect(sent.map((x) => (x.options as SendTxOptions).txId)).toEqual([undefined, 'tx-1', 'own-tx', undefined]);
    expect(sent[3]!.options).toEqual({ type: 'ADD_USER' });
    expect(r.steps.map((st) => st.final.request.txId)).toEqual(['tx-1', 'tx-1', 'own-tx', undefined]);
    expect(r.status).toBe('fail');
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([expect.objectContaining({ id: 'expectation', message: 'signing: expected REJECT, received APPROVE' })]);
    expect(r.checks.find((c) => c.id === 'expectation')?.message).toBe('approval: APPROVE as expected');
    expect(r.checks.filter((c) => c.id === 'expectation').map((c) => c.message?.split(':')[0])).toEqual(['approval', 'signing', 'step 3', 'step 4']);
    expect(r.warnings).toEqual([{ id: 'w', message: 'a warning' }]);
  });

  it('maps request fields onto the send options', async () => {
    const { cosigner, sent } = fakeCosigner(() => 'APPROVE');
    const request: ScenarioRequest = {
      type: 'tx',
      stage: 'approval',
      operation: 'TRANSFER',
      destType: 'VAULT',
      destinations: [{ type: 'VAULT', amountStr: '1' }],
      payload: { asset: 'BTC' },
      unset: ['signerId'],
      batched: true,
      contentType: 'application/jwt',
      path: '/elsewhere',
      headers: { 'x-a': 'b' },
      body: 'raw',
    };
    await runScenarios([scenario('mapped', { request }), scenario('exact', { request: { type: 'tx', payloadMode: 'exact', payload: { txId: 't' } } })], { cosigner, option: 4 });
    expect(sent[0]!.options).toEqual({
      stage: 'approval',
      operation: 'TRANSFER',
      destType: 'VAULT',
      destinations: [{ type: 'VAULT', amountStr: '1' }],
      payload: { asset: 'BTC' },
      unset: ['signerId'],
      batched: true,
      contentType: 'application/jwt',
      path: '/elsewhere',
      headers: { 'x-a': 'b' },
      body: 'raw',
    });
    expect(sent[1]!.options).toEqual({ payload: { txId: 't' }, exact: true });
  });

  it('with bail, starts nothing after the first failure', async () => {
    const { cosigner, sent } = fakeCosigner((_s, n) => (n === 1 ? 'REJECT' : 'APPROVE'));
    const list = ['a', 'b', 'c', 'd'].map((n) => scenario(n));
    const { results, summary } = await runScenarios(list, { cosigner, option: 4, bail: true });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['a', 'pass'],
      ['b', 'fail'],
    ]);
    expect(sent).toHaveLength(2);
    expect(summary).toMatchObject({ ok: false, total: 2, passed: 1, failed: 1, notRun: 2 });
  });

  it('with an aborted signal, starts no further scenario; the ones in flight finish and are reported in order', async () => {
    const controller = new AbortController();
    // s0 and s1 start together; s0's result aborts while the slow s1 is in flight: s1 finishes, s2 never starts.
    const { cosigner, sent } = fakeCosigner((s) => ({ action: 'APPROVE', delayMs: (s.options as SendTxOptions).payload?.['i'] === 1 ? 50 : 5 }));
    const list = [0, 1, 2, 3, 4].map((i) => scenario(`s${i}`, { request: { type: 'tx', payload: { i } } }));
    const seen: string[] = [];
    const { results, summary } = await runScenarios(list, {
      cosigner,
      option: 4,
      concurrency: 2,
      signal: controller.signal,
      onResult: (r) => {
        seen.push(r.name);
        if (r.name === 's0') controller.abort('SIGINT');
      },
    });
    expect(results.map((r) => r.name)).toEqual(['s0', 's1']);
    expect(seen).toEqual(['s0', 's1']);
    expect(sent).toHaveLength(2);
    expect(summary).toMatchObject({ ok: true, total: 2, notRun: 3 });
    // Aborted before the start: nothing is sent.
    const none = fakeCosigner(() => 'APPROVE');
    const out = await runScenarios(list, { cosigner: none.cosigner, option: 4, signal: AbortSignal.abort() });
    expect(out.results).toEqual([]);
    expect(none.sent).toHaveLength(0);
    expect(out.summary.notRun).toBe(5);
  });

  it('keeps input order with concurrency, in the results and in onResult', async () => {
    // Earlier scenarios answer more slowly, so they finish last.
    const { cosigner } = fakeCosigner((s) => ({ action: 'APPROVE', delayMs: 60 - 10 * Number((s.options as SendTxOptions).payload?.['i']) }));
    const list = [0, 1, 2, 3, 4, 5].map((i) => scenario(`s${i}`, { request: { type: 'tx', payload: { i } } }));
    const seen: string[] = [];
    const { results } = await runScenarios(list, { cosigner, option: 4, concurrency: 3, onResult: (r: ScenarioResult) => seen.push(r.name), nameSuffix: ' (option 4)' });
    const names = list.map((s) => `${s.name} (option 4)`);
    expect(results.map((r) => r.name)).toEqual(names);
    expect(seen).toEqual(names);
  });

  it('refuses a concurrency below 1', async () => {
    const { cosigner } = fakeCosigner(() => 'APPROVE');
    await expect(runScenarios([scenario('x')], { cosigner, option: 4, concurrency: 0 })).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT' });
  });

  describe('signWith', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'csim-run-'));
      await writeFile(join(dir, 'cert.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('propagates a CsimError for a key file that holds no private key', async () => {
      const { cosigner, sent } = fakeCosigner(() => 'APPROVE');
      const s = scenario('forged', { request: { type: 'tx', signWith: join(dir, 'cert.pem') }, expect: { status: 401 } });
      await expect(runScenarios([s], { cosigner, option: 4 })).rejects.toMatchObject({ code: 'CSIM_KEY_FORMAT', message: expect.stringContaining('cert.pem') });
      expect(sent).toHaveLength(0);
    });

    it('propagates a CsimError for a key file that went away after loading', async () => {
      const { cosigner } = fakeCosigner(() => 'APPROVE');
      const s = scenario('forged', { request: { type: 'tx', signWith: join(dir, 'gone.pem') }, expect: { status: 401 } });
      await expect(runScenarios([s], { cosigner, option: 4 })).rejects.toMatchObject({ code: 'CSIM_FILE_NOT_FOUND' });
    });
  });
});
