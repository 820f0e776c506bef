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
      // Its last request is signed with a foreign key, which this handler accepts.
      'forgery/every-cosigner-key',
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
  it('fails once per group through its positive control, runs what needs no answer, and never passes the forgery group', async () => {
    const { results, summary } = await battery(5, hooksOf('refuses-everything'));
    const controls = PROBE_GROUPS.map((g) => `${g}/positive-control`);
    // Exactly one failure per group: its control; the probes that needed it are not run.
    expect(names(results, 'fail')).toEqual(controls);
    expect(names(results, 'skip')).toEqual([]);
    // What needs no answer still runs: the TLS posture, the wrong-prefix warning, the latency.
    expect(names(results, 'pass')).toEqual(PROBES.filter((p) => p.needs === 'nothing' && !p.id.endsWith('/positive-control')).map((p) => p.id));
    expect(summary).toMatchObject({ ok: false, failed: controls.length, notRun: PROBES.length - controls.length - names(results, 'pass').length });
    // No forgery probe passes: a 401 to a forgery proves nothing when the valid request got one too.
    expect(results.filter((r) => r.name.startsWith('forgery/') && r.status === 'pass')).toEqual([]);
    const control = results.find((r) => r.name === 'forgery/positive-control')!;
    expect(control.checks.map((c) => c.id)).toContain('http-status');
    expect(failures(control)).toContain('root cause: the default request got no approval: handler answered 401');
    expect(control.checks.find((c) => c.id === 'expectation')?.hint).toContain('--set');
    // Said once: the later controls point to the first.
    expect(failures(results.find((r) => r.name === 'robustness/positive-control')!)).toContain('the same root cause as forgery/positive-control');
    const probe = results.find((r) => r.name === 'forgery/alg-none')!;
    expect(probe).toMatchObject({ status: 'notRun', rootCause: 'forgery/positive-control', skipReason: expect.stringContaining('answered 401') });
    // Probes that are not run send nothing.
    expect(probe.steps.length).toBe(0);
  });
});

/** Errors (500) on a tx request without note "ticket-42": a policy the default request cannot meet. */
const needsNote: HandlerHooks = {
  decide: (ctx) => {
    if (ctx.endpoint === 'tx_sign_request' && ctx.payload['note'] !== 'ticket-42') throw new Error('policy: a note is required');
    return undefined;
  },
};

describe('a base request (--set, --base)', () => {
  it('a handler that errors unless the request carries a note passes with the note set, and every probe request carries it', async () => {
    const { results, summary } = await battery(4, needsNote, { base: { tx: { kind: 'tx', source: '--set', payload: { note: 'ticket-42' }, verbatim: [], unset: [] } } });
    for (const r of results) expect(r.status, `${r.name}\n${failures(r)}`).not.toBe('fail');
    expect(summary).toMatchObject({ ok: true, failed: 0, notRun: 0 });
    // Sacred: even the probe that drops optional fields keeps it.
    const missing = results.find((r) => r.name === 'robustness/missing-optional-fields')!;
    expect(missing.steps[0]?.final.request.payload.note).toBe('ticket-42');
  });

  it('without it, fails with one root cause and counts the probes not run', async () => {
    const { results, summary } = await battery(4, needsNote);
    expect(names(results, 'fail')).toEqual(PROBE_GROUPS.map((g) => `${g}/positive-control`));
    const notRun = names(results, 'notRun');
    expect(notRun.length).toBeGreaterThan(20);
    expect(summary).toMatchObject({ ok: false, failed: PROBE_GROUPS.length, notRun: notRun.length });
    for (const r of results.filter((x) => x.status === 'notRun')) expect(r.rootCause).toBe(`${r.name.split('/')[0]}/positive-control`);
    const first = results.find((r) => r.name === 'forgery/positive-control')!;
    expect(failures(first)).toContain('answered 500');
    expect(first.checks.find((c) => c.id === 'expectation')?.hint).toMatch(/--set path=value .*--base/);
  });

  it('a policy that REJECTs the base request: a forgery refused with 4xx passes, one answered REJECT too is not run (inconclusive)', async () => {
    const { results } = await battery(4, { decide: () => ({ action: 'REJECT', rejectionReason: 'policy' }) });
    expect(results.find((r) => r.name === 'forgery/positive-control')?.status).toBe('fail');
    // The reference verifies signatures: forgeries get 401, which proves verification.
    expect(results.find((r) => r.name === 'forgery/wrong-key')?.status).toBe('pass');
    // The other groups need only a decision, and REJECT is one.
    expect(results.find((r) => r.name === 'robustness/positive-control')?.status).toBe('pass');
    const noCheck = await battery(4, { ...hooksOf('no-signature-check'), decide: () => ({ action: 'REJECT', rejectionReason: 'policy' }) });
    expect(noCheck.results.find((r) => r.name === 'forgery/wrong-key')).toMatchObject({ status: 'notRun', rootCause: 'forgery/positive-control', skipReason: expect.stringContaining('inconclusive') });
    expect(noCheck.summary.ok).toBe(false);
  });
});

describe('hangs, unknown types, --endpoints, known failures', () => {
  it('a handler that hangs on application/json fails protocol/content-types, naming the Content-Type', async () => {
    const hang: HandlerHooks = {
      intercept: (req) => (req.headers['content-type'] ?? '').startsWith('application/json'),
    };
    const handler = await startTarget({ kind: 'reference', option: 2, kit, hooks: hang });
    started.push(handler);
    const cosigner = createCosigner(handler, { seed: 11, timeoutMs: 1500 });
    const { results } = await runConformance({ cosigner, option: 2, url: handler.url, material: handler.material, timeoutMs: 1500, skip: ['robustness/huge-body'] });
    await handler.close();
    const probe = results.find((r) => r.name === 'protocol/content-types')!;
    expect(probe.status).toBe('fail');
    expect(failures(probe)).toContain('application/json: no answer within the deadline');
    expect(probe.contentTypes).toEqual({ 'text/plain': 'accepted', 'application/jwt': 'accepted', 'application/json': 'no answer', none: 'accepted' });
  });

  it('a config change of an unknown type answered 500 fails protocol/unknown-config-type', async () => {
    const { results } = await battery(2, {
      decide: (ctx) => {
        if (ctx.payload['type'] === 'POLICY_CHANGE') throw new Error('unknown type');
        return undefined;
      },
    }, { skip: ['robustness/huge-body'] });
    expect(names(results, 'fail')).toEqual(['protocol/unknown-config-type']);
    expect(failures(results.find((r) => r.name === 'protocol/unknown-config-type')!)).toContain('POLICY_CHANGE got no correct answer: handler answered 500');
  });

  it('--endpoints tx skips the config probes of a Signer-only handler, which then passes', async () => {
    const signerOnly: HandlerHooks = { path: (endpoint, correct) => (endpoint === 'config_change_sign_request' ? undefined : correct) };
    const { results, summary } = await battery(2, signerOnly, { endpoints: 'tx', skip: ['robustness/huge-body'] });
    expect(summary).toMatchObject({ ok: true, failed: 0 });
    expect(results.find((r) => r.name === 'protocol/unknown-config-type')).toMatchObject({ status: 'skip', skipReason: '--endpoints tx: the handler serves no config_change_sign_request route' });
    expect(results.find((r) => r.name === 'protocol/endpoints')?.steps.map((s) => s.endpoint)).toEqual(['tx_sign_request']);
  });

  it('knownFailures: an expected failure does not fail the run; one that passes does', async () => {
    const ids = ['forgery/wrong-key', 'forgery/every-cosigner-key', 'forgery/alg-none', 'forgery/hs256-confusion', 'forgery/payload-tampered', 'forgery/truncated-signature', 'forgery/empty-signature'];
    const { results, summary } = await battery(4, hooksOf('no-signature-check'), { knownFailures: [...ids, 'forgery/json-body'], skip: ['robustness', 'protocol', 'idempotency', 'tls'] });
    for (const id of ids) expect(results.find((r) => r.name === id)).toMatchObject({ status: 'skip', knownFailure: true, skipReason: expect.stringContaining('known failure') });
    // forgery/json-body is refused by this handler: listed as known, it passed, so it fails.
    const fixed = results.find((r) => r.name === 'forgery/json-body')!;
    expect(fixed).toMatchObject({ status: 'fail', knownFailure: true });
    expect(failures(fixed)).toContain('is listed as a known failure (knownFailures/--expect-fail) but passed');
    expect(summary).toMatchObject({ ok: false, failed: 1 });
  });
});

describe('--skip', () => {
  it('leaves out single probes and whole groups, reported as skipped', async () => {
    const { results, summary } = await battery(2, {}, { skip: ['robustness/huge-body', 'tls'] });
    const huge = results.find((r) => r.name === 'robustness/huge-body')!;
    expect(huge).toMatchObject({ status: 'skip', skipReason: 'left out with --skip robustness/huge-body', steps: [] });
    for (const r of results.filter((x) => x.name.startsWith('tls/'))) expect(r).toMatchObject({ status: 'skip', skipReason: 'left out with --skip tls' });
    expect(summary.ok).toBe(true);
    expect(summary.skipped).toBe(1 + 6 + 11); // huge-body, the tls group, forgery + quoted-jwt (option 2)
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
    expect(probe.contentTypes).toEqual({ 'text/plain': 'refused', 'application/jwt': 'accepted', 'application/json': 'refused', none: 'refused' });
    expect(probe.warnings).toEqual([
      expect.objectContaining({ id: 'protocol/content-types', message: expect.stringContaining('only one request Content-Type (application/jwt)'), hint: expect.stringContaining('not documented') }),
    ]);
  });
});
