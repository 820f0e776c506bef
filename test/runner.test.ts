/**
 * The scenario runner end to end over real TLS on 127.0.0.1 against the reference handler: the
 * shipped suite under every option, and the runner's behaviours with a real handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner, type Cosigner } from '../simulator/client/cosigner.js';
import { sharedKit } from './support/shared-kit.js';
import { SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../simulator/protocol/options.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import { runScenarios, type Scenario, type ScenarioResult } from '../simulator/runner/index.js';
import { loadScenarios } from '../simulator/suite/index.js';

function failures(results: ScenarioResult[]): string[] {
  return results.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`).join('; ')}`);
}

let shipped: Scenario[];
beforeAll(async () => {
  shipped = await loadScenarios(['scenarios/']);
});

for (const option of SECURITY_OPTION_NUMBERS) {
  describe(`shipped scenarios, option ${option} (${SECURITY_OPTIONS[option].label})`, () => {
    let handler: StartedReferenceHandler;
    let cosigner: Cosigner;
    beforeAll(async () => {
      const kit = await sharedKit();
      handler = await startReferenceHandler({ option, kit, basePath: '/fireblocks/cb' });
      cosigner = createCosigner({ url: handler.url, option, kit, ...(option === 1 ? { ca: kit.rootCa.certPem } : {}) });
    });
    afterAll(() => handler?.close());

    it('passes every scenario (the forged request only where requests are signed)', async () => {
      const { results, summary } = await runScenarios(shipped, { cosigner, option, concurrency: 4 });
      expect(failures(results)).toEqual([]);
      const jwt = SECURITY_OPTIONS[option].messageLayer === 'jwt';
      // JSON options sign nothing: the forged request and the key rotation pair are skipped there.
      expect(summary).toMatchObject({ ok: true, total: shipped.length, failed: 0, skipped: jwt ? 0 : 3 });
      const forged = results.find((r) => r.name === 'a request signed with another key is refused')!;
      if (jwt) {
        expect(forged.status).toBe('pass');
        expect(forged.steps[0]!.final.response?.status).toBe(401);
        expect(forged.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'skip', message: 'refusal expected' });
      } else {
        expect(forged).toMatchObject({ status: 'skip', skipReason: `option ${option} not in options [1, 4, 5]` });
      }
    });
  });
}

describe('the runner against the reference handler (option 4)', () => {
  const option: SecurityOptionNumber = 4;
  let handler: StartedReferenceHandler;
  let cosigner: Cosigner;
  const byName = (name: string) => shipped.find((s) => s.name === name)!;

  beforeAll(async () => {
    const kit = await sharedKit();
    handler = await startReferenceHandler({ option, kit });
    cosigner = createCosigner({ url: handler.url, option, kit });
  });
  afterAll(() => handler?.close());

  it('covers every action and both endpoints in the shipped suite', async () => {
    const { results } = await runScenarios(shipped, { cosigner, option });
    // The forged request gets a 401 and no decision at all.
    const actions = new Set(results.flatMap((r) => r.steps.map((s) => s.final.decision.action)).filter((a) => a !== undefined));
    expect([...actions].sort()).toEqual(['APPROVE', 'IGNORE', 'REJECT', 'RETRY']);
    const endpoints = new Set(results.flatMap((r) => r.steps.map((s) => `${s.endpoint} ${s.stage}`)));
    expect([...endpoints].sort()).toEqual(['config_change_sign_request approval', 'tx_sign_request approval', 'tx_sign_request signing']);
  });

  it('re-sends the identical request on RETRY and lists every attempt', async () => {
    const { results } = await runScenarios([byName('RETRY twice, then APPROVE on the second re-send')], { cosigner, option });
    const attempts = results[0]!.steps[0]!.attempts;
    expect(attempts.map((a) => a.decision.action)).toEqual(['RETRY', 'RETRY', 'APPROVE']);
    expect(new Set(attempts.map((a) => a.request.body)).size).toBe(1);
    expect(results[0]!.status).toBe('pass');
  });

  it('expands each rows into one result per row', async () => {
    const table = shipped.filter((s) => s.file.endsWith('transfer-limit-table.yaml'));
    const { results } = await runScenarios(table, { cosigner, option });
    expect(results.map((r) => [r.name, r.steps[0]!.final.decision.action])).toEqual([
      ['ETH amounts around the 100 000 USD limit [1 ETH]', 'APPROVE'],
      ['ETH amounts around the 100 000 USD limit [53 ETH]', 'APPROVE'],
      ['ETH amounts around the 100 000 USD limit [54 ETH]', 'REJECT'],
    ]);
  });

  it('shares the txId between steps', async () => {
    const { results } = await runScenarios([byName('a transaction is approved, then signed')], { cosigner, option });
    const [approval, signing] = results[0]!.steps;
    expect(approval!.stage).toBe('approval');
    expect(signing!.stage).toBe('signing');
    expect(signing!.final.request.txId).toBe(approval!.final.request.txId);
    expect(signing!.final.request.payload['txId']).toBe(approval!.final.request.txId);
  });

  it('fails only expectation when the handler decides otherwise', async () => {
    const wrong: Scenario = { ...byName('large transfers are rejected'), name: 'wrong on purpose', steps: [{ request: { type: 'tx', stage: 'signing' }, expect: { action: 'REJECT', rejectionReason: /limit/ } }] };
    const { results, summary } = await runScenarios([wrong], { cosigner, option });
    expect(results[0]!.checks.filter((c) => c.status === 'fail')).toEqual([
      expect.objectContaining({ id: 'expectation', message: 'expected REJECT, received APPROVE; rejectionReason: expected /limit/, received none' }),
    ]);
    expect(summary.ok).toBe(false);
  });
});
