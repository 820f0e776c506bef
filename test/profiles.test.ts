/**
 * `--profile` end to end over real TLS on 127.0.0.1 against the reference handler: the answers a
 * Co-signer version honours (RETRY before sgx@3.6.5, on exchange withdrawals before 2025.12.11),
 * a scenario's own `profile:`, the User-Agent read on the server side, and the warning for an
 * option a profile may lack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { packageVersion } from '../simulator/lib/package-version.js';
import { resolveProfile } from '../simulator/protocol/profiles.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import { runScenarios, type Scenario } from '../simulator/runner/index.js';
import { loadScenarios } from '../simulator/suite/index.js';
import { sharedKit } from './support/shared-kit.js';

describe('profiles against the reference handler (option 1)', () => {
  let handler: StartedReferenceHandler;
  const userAgents: string[] = [];
  let retryOnce: Scenario;
  let url: string;
  beforeAll(async () => {
    const kit = await sharedKit();
    handler = await startReferenceHandler({
      option: 1,
      kit,
      hooks: {
        decide(ctx) {
          userAgents.push(String(ctx.req?.headers['user-agent']));
          return undefined;
        },
      },
    });
    url = handler.url;
    // The shipped scenario that expects RETRY as the answer (no re-send).
    retryOnce = (await loadScenarios(['scenarios/retry.yaml'])).find((s) => s.name === 'without retry the first answer is RETRY')!;
  });
  afterAll(() => handler?.close());

  const cosigner = async (profile?: string) => {
    const kit = await sharedKit();
    return createCosigner({ url, option: 1, kit, ca: kit.rootCa.certPem, ...(profile !== undefined ? { profile: resolveProfile(profile) } : {}) });
  };

  it('fails action with the version when a sgx@3.5.0 Co-signer gets RETRY', async () => {
    const { results } = await runScenarios([retryOnce], { cosigner: await cosigner('sgx@3.5.0'), option: 1 });
    const action = results[0]!.checks.find((c) => c.id === 'action')!;
    expect(results[0]!.status).toBe('fail');
    expect(action).toMatchObject({ status: 'fail', reason: 'not-honoured', received: 'RETRY' });
    expect(action.message).toContain('sgx@3.6.5');
    expect(action.message).toContain('sgx@3.5.0');
  });

  it('passes the same scenario under the default profile and under sgx@3.6.5', async () => {
    for (const c of [await cosigner(), await cosigner('sgx@3.6.5')]) {
      const { results } = await runScenarios([retryOnce], { cosigner: c, option: 1 });
      expect(results[0]!.status, results[0]!.checks.map((x) => `${x.id} ${x.status} ${x.message ?? ''}`).join('\n')).toBe('pass');
    }
  });

  it("judges a scenario by its own profile over the run's, and does not re-send a RETRY it does not honour", async () => {
    const run = await cosigner();
    const retried = (await loadScenarios(['scenarios/retry.yaml'])).find((s) => s.retry !== undefined)!;
    const old: Scenario = { ...retried, name: 'old Co-signer', profile: 'sgx@3.3.0' };
    const { results } = await runScenarios([old], { cosigner: run, option: 1 });
    expect(results[0]!.steps[0]!.attempts).toHaveLength(1);
    expect(results[0]!.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'fail', reason: 'not-honoured' });
    // The run's own profile (latest) re-sends it until APPROVE.
    const { results: latest } = await runScenarios([{ ...retried, steps: retried.steps.map((st) => ({ ...st, request: { ...st.request, payload: { externalTxId: 'csim-retry-2-latest' } } })) }], { cosigner: run, option: 1 });
    expect(latest[0]!.steps[0]!.attempts).toHaveLength(3);
    expect(latest[0]!.status).toBe('pass');
    // resend() judges under the profile it is given.
    const first = await run.sendTx({ payload: { externalTxId: 'csim-retry-2-resend' } });
    const resent = await run.resend(first, { profile: resolveProfile('sgx@3.3.0') });
    expect(resent.decision.action).toBe('RETRY');
    expect(resent.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'fail', reason: 'not-honoured' });
  });

  it('fails RETRY on an exchange withdrawal before 2025.12.11, passes it from there', async () => {
    const payload = { externalTxId: 'csim-retry-1-exchange', sourceType: 'EXCHANGE' };
    const before = await (await cosigner('sgx@3.7.1')).sendTx({ stage: 'approval', payload });
    expect(before.decision.action).toBe('RETRY');
    expect(before.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'fail', reason: 'not-honoured', message: expect.stringContaining('sgx@2025.12.11') });
    const after = await (await cosigner('sgx@2025.12.11')).sendTx({ stage: 'approval', payload: { ...payload, externalTxId: 'csim-retry-1-exchange-2' } });
    expect(after.decision.action).toBe('RETRY');
    expect(after.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'pass' });
    // A RETRY on a vault withdrawal is honoured by the same sgx@3.7.1 Co-signer.
    const vault = await (await cosigner('sgx@3.7.1')).sendTx({ stage: 'approval', payload: { externalTxId: 'csim-retry-1-vault' } });
    expect(vault.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'pass' });
  });

  it('skips a scenario whose profile lacks the run option, with the reason', async () => {
    const s: Scenario = { ...retryOnce, name: 'needs option 4', profile: 'sgx@3.7.1' };
    const { results } = await runScenarios([s], { cosigner: await cosigner(), option: 4 });
    expect(results[0]).toMatchObject({ status: 'skip', skipReason: 'option 4 not offered by profile sgx@3.7.1: it arrived with sgx@2025.12.11' });
  });

  it("sends the newer config types with their templates, and the reference handler approves them", async () => {
    const c = await cosigner();
    const policy = await c.sendConfigChange({ type: 'POLICY_CHANGE' });
    expect(policy).toMatchObject({ ok: true, decision: { action: 'APPROVE' }, request: { payload: { type: 'POLICY_CHANGE', extraInfo: { policyType: 'TRANSFER', version: 2 } } } });
    const tag = await c.sendConfigChange({ type: 'PROTECTED_TAG_CHANGE' });
    expect(tag).toMatchObject({ ok: true, decision: { action: 'APPROVE' }, request: { payload: { type: 'PROTECTED_TAG_CHANGE', extraInfo: { tagName: 'treasury-cold', operation: 'ASSIGN' } } } });
  });

  it('sends the User-Agent of the profile, read by the handler', async () => {
    userAgents.length = 0;
    await (await cosigner('sgx@3.7.1')).sendTx();
    await (await cosigner()).sendConfigChange();
    expect(userAgents).toEqual([`cosigner-sim/${packageVersion()} (simulating sgx/3.7.1)`, `cosigner-sim/${packageVersion()} (simulating sgx/2026.03.02)`]);
  });
});

describe('profile-unconfirmed', () => {
  let handler: StartedReferenceHandler;
  beforeAll(async () => {
    handler = await startReferenceHandler({ option: 3, kit: await sharedKit() });
  });
  afterAll(() => handler?.close());

  it('warns under an option the profile may lack, and not under one it has', async () => {
    const kit = await sharedKit();
    const nitro = await createCosigner({ url: handler.url, option: 3, kit, profile: resolveProfile('nitro@2025.12.11') }).sendTx();
    expect(nitro.ok).toBe(true);
    expect(nitro.warnings.map((w) => w.id)).toContain('profile-unconfirmed');
    const sgx = await createCosigner({ url: handler.url, option: 3, kit, profile: resolveProfile('sgx@2025.12.11') }).sendTx();
    expect(sgx.warnings.map((w) => w.id)).not.toContain('profile-unconfirmed');
  });
});
