/**
 * The conformance battery: the reference handler passes all of it under every option; a handler
 * that does not verify request signatures fails the forgery probes; a handler that refuses
 * everything fails every group through its positive control, so it cannot pass a refusal probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { PROBES, PROBE_GROUPS, runConformance, type ConformanceOptions } from '../simulator/conformance/index.js';
import { sharedKit } from './support/shared-kit.js';
import type { Kit } from '../simulator/keys/types.js';
import { SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../simulator/protocol/options.js';
import type { HandlerHooks } from '../simulator/reference/handler.js';
import type { ScenarioResult } from '../simulator/runner/types.js';
import { createProbeZoo, type ProbeZooEntry } from '../simulator/selftest/probe-zoo.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';

let kit: Kit;
let zoo: ProbeZooEntry[];
const started: StartedTarget[] = [];

beforeAll(async () => {
  kit = await sharedKit();
  zoo = await createProbeZoo(kit);
});
afterAll(async () => {
  await Promise.all(started.map((h) => h.close()));
});

async function battery(option: SecurityOptionNumber, hooks: HandlerHooks = {}, extra: Partial<ConformanceOptions> = {}) {
  const handler = await startTarget({ kind: 'reference', option, kit, hooks });
  started.push(handler);
  const cosigner = createCosigner(handler, { seed: 11, timeoutMs: 10_000 });
  try {
    return await runConformance({ cosigner, option, url: handler.url, material: handler.material, timeoutMs: 10_000, ...extra });
  } finally {
    await handler.close();
  }
}

function hooksOf(id: string): HandlerHooks {
  const entry = zoo.find((e) => e.id === id);
  if (!entry) throw new Error(`no zoo entry ${id}`);
  return entry.hooks();
}

const names = (results: ScenarioResult[], status: ScenarioResult['status']) => results.filter((r) => r.status === status).map((r) => r.name);
const failures = (r: ScenarioResult) => r.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`).join('\n');

describe('the probe table', () => {
  it('names every probe <group>/<probe>, uniquely, each group starting with its positive control', () => {
    const ids = PROBES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PROBES) {
      expect(p.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
      expect(p.id.startsWith(`${p.group}/`)).toBe(true);
      expect(p.why.length).toBeGreaterThan(20);
    }
    for (const group of PROBE_GROUPS) expect(PROBES.find((p) => p.group === group)?.id).toBe(`${group}/positive-control`);
  });
});

describe('the reference handler passes the whole battery', () => {
  for (const option of SECURITY_OPTION_NUMBERS) {
    it(`passes every probe, with no warning [option ${option}]`, async () => {
      const seen: string[] = [];
      const { results, summary } = await battery(option, {}, { onResult: (r) => seen.push(r.name) });
      for (const r of results) expect(r.status, `${r.name}\n${failures(r)}`).not.toBe('fail');
      expect(summary).toMatchObject({ ok: true, failed: 0, total: PROBES.length, warnings: 0 });
      expect(results.map((r) => r.name)).toEqual(PROBES.map((p) => p.id));
      expect(seen).toEqual(PROBES.map((p) => p.id));
      // Only what does not apply to JSON options is skipped.
      const skipped = names(results, 'skip');
      if (option === 2 || option === 3) expect(skipped).toEqual(PROBES.filter((p) => p.group === 'forgery' || p.id === 'robustness/quoted-jwt').map((p) => p.id));
      else expect(skipped).toEqual([]);
    });
  }
});

describe('a handler that does not verify the request signature', () => {
  it('fails the forgery probes that a valid-looking token defeats, and nothing else', async () => {
    const { results, summary } = await battery(4, hooksOf('no-signature-check'));
    expect(summary.ok).toBe(false);
    expect(names(results, 'fail')).toEqual([
      'forgery/wrong-key',
      'forgery/alg-none',
      'forgery/hs256-confusion',
      'forgery/payload-tampered',
      'forgery/truncated-signature',
      'forgery/empty-signature',
    ]);
    const wrongKey = results.find((r) => r.name === 'forgery/wrong-key')!;
    expect(wrongKey.checks.find((c) => c.status === 'fail')).toMatchObject({
      id: 'expectation',
      reason: 'accepted-forgery',
      message: expect.stringContaining('handler answered APPROVE'),
      hint: expect.stringContaining('RS256'),
    });
    // The step carries the exchange the reporters print.
    expect(wrongKey.steps[0]?.final.decision.action).toBe('APPROVE');
  });
});

describe('a handler that answers 401 to everything (it verifies with the wrong Co-signer key)', () => {
  it('fails every group through its positive control, and no refusal probe passes', async () => {
    const { results, summary } = await battery(5, hooksOf('refuses-everything'));
    expect(names(results, 'pass')).toEqual([]);
    expect(names(results, 'skip')).toEqual([]);
    expect(summary.failed).toBe(PROBES.length);
    const control = results.find((r) => r.name === 'forgery/positive-control')!;
    expect(control.checks.map((c) => c.id)).toContain('http-status');
    expect(failures(control)).toContain('handler refuses valid requests');
    const probe = results.find((r) => r.name === 'forgery/alg-none')!;
    expect(probe.checks).toEqual([expect.objectContaining({ id: 'expectation', status: 'fail', reason: 'refused-valid', message: expect.stringContaining('handler refuses valid requests') })]);
    // Blocked probes send nothing.
    expect(probe.steps).toEqual([]);
  });
});

describe('--skip', () => {
  it('leaves out single probes and whole groups, reported as skipped', async () => {
    const { results, summary } = await battery(2, {}, { skip: ['robustness/huge-body', 'tls'] });
    const huge = results.find((r) => r.name === 'robustness/huge-body')!;
    expect(huge).toMatchObject({ status: 'skip', skipReason: 'left out with --skip robustness/huge-body', steps: [] });
    for (const r of results.filter((x) => x.name.startsWith('tls/'))) expect(r).toMatchObject({ status: 'skip', skipReason: 'left out with --skip tls' });
    expect(summary.ok).toBe(true);
    expect(summary.skipped).toBe(1 + 6 + 10); // huge-body, the tls group, forgery + quoted-jwt (option 2)
  });

  it('refuses an unknown probe id with the code and the list to choose from', async () => {
    await expect(battery(2, {}, { skip: ['robustness/huge'] })).rejects.toMatchObject({
      code: 'CSIM_INVALID_ARGUMENT',
      message: 'Unknown probe id for --skip: "robustness/huge".',
      hint: expect.stringContaining('robustness/huge-body'),
    });
  });
});

describe('warnings', () => {
  it('report a handler that accepts only one request Content-Type without failing the run', async () => {
    const entry = zoo.find((e) => e.id === 'only-application-jwt')!;
    // Raw material still works: runConformance resolves it (once) itself.
    const handler = await startTarget({ kind: 'reference', option: 1, kit, hooks: entry.hooks() });
    started.push(handler);
    // Against a URL option 1 trusts the kit's Root CA only when given as ca (as --ca does).
    const material = { option: 1 as const, kit, ca: kit.rootCa.certPem };
    const cosigner = createCosigner({ url: handler.url, ...material, seed: 11, contentType: 'application/jwt' });
    const { results, summary } = await runConformance({ cosigner, option: 1, url: handler.url, material });
    await handler.close();
    expect(summary).toMatchObject({ ok: true, failed: 0, warnings: 1 });
    const probe = results.find((r) => r.name === 'protocol/content-types')!;
    expect(probe.status).toBe('pass');
    expect(probe.warnings).toEqual([
      expect.objectContaining({ id: 'protocol/content-types', message: expect.stringContaining('only one request Content-Type (application/jwt)'), hint: expect.stringContaining('not documented') }),
    ]);
  });
});
