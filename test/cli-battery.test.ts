/**
 * `cosigner-sim conformance` as a user runs it, in-process through runCli(argv, io): exit codes,
 * probe names, --skip. (`cosigner-sim selftest` is in test/cli-selftest.test.ts.) The binary
 * itself is proven by the spawn smoke tests in test/cli.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunitReport } from '../simulator/cli/reporters/junit.js';
import { createRedactor } from '../simulator/report/index.js';
import type { ScenarioResult } from '../simulator/runner/types.js';
import { runInProcess as cli } from './fixtures/cli/memory-io.js';

// First, before any test of this worker has generated the embedded handler's kit: an unknown
// --skip id must be refused while checking flags, not after keys are made (3.7 s before).
describe('cosigner-sim conformance: flags are checked before anything starts', () => {
  it('an unknown --skip id is exit 2 with the valid ids, well under a second', async () => {
    const started = performance.now();
    const run = await cli(['conformance', '--skip', 'robustness/nope']);
    const ms = performance.now() - started;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CSIM_INVALID_ARGUMENT/);
    expect(run.stderr).toContain('a group: forgery, robustness, protocol, idempotency, tls, deadline');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
    expect(ms).toBeLessThan(1000);
  });
});

describe.concurrent('cosigner-sim conformance', () => {
  it('passes the reference handler, one scenario per probe named <group>/<probe>', async () => {
    const run = await cli(['conformance', '--option', '4', '--reporter', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; scenarios: { name: string; status: string }[] };
    expect(report.ok).toBe(true);
    const names = report.scenarios.map((s) => s.name);
    expect(names).toContain('forgery/wrong-key');
    expect(names).toContain('idempotency/concurrent');
    expect(names.every((n) => /^[a-z]+\/[a-z0-9-]+$/.test(n))).toBe(true);
  });

  it('--skip leaves a probe out: it is reported as skipped, and nothing is sent for it', async () => {
    const run = await cli(['conformance', '--option', '2', '--skip', 'robustness/huge-body', '--reporter', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const scenarios = (JSON.parse(run.stdout) as { scenarios: { name: string; status: string; skipReason?: string }[] }).scenarios;
    expect(scenarios.find((s) => s.name === 'robustness/huge-body')).toMatchObject({ status: 'skip', skipReason: expect.stringContaining('--skip') });
    expect(scenarios.find((s) => s.name === 'robustness/malformed-json')?.status).toBe('pass');
  });
});

describe.concurrent('cosigner-sim conformance: base requests, scope, known failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csim-battery-'));
  writeFileSync(
    join(dir, 'base.yaml'),
    `- name: small transfer
  request: { type: tx, stage: approval, payload: { note: ticket-42 } }
  expect: { action: APPROVE }
- name: approve then sign
  steps:
    - name: approval
      request: { type: tx, stage: approval }
      expect: { action: APPROVE }
    - name: signing
      request: { type: tx, stage: signing }
      expect: { action: APPROVE }
`,
  );

  it('--set and --base shape every probe request; the JSON report has the summary counts and the content-type table', async () => {
    const run = await cli(['conformance', '--option', '2', '--set', 'note=from-set', '--base', 'base.yaml#small transfer', '--skip', 'robustness/huge-body', '--battery-concurrency', '2', '--reporter', 'json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { summary: Record<string, number>; scenarios: { name: string; contentTypes?: Record<string, string>; requests: { payload?: { note?: string } }[] }[] };
    expect(doc.summary).toMatchObject({ failed: 0, notRun: 0, skipped: 12 }); // huge-body, the forgery group (option 2), quoted-jwt
    expect(Object.keys(doc.summary)).toEqual(expect.arrayContaining(['passed', 'failed', 'notRun', 'skipped']));
    expect(doc.scenarios.find((s) => s.name === 'protocol/content-types')?.contentTypes).toEqual({ 'text/plain': 'accepted', 'application/jwt': 'accepted', 'application/json': 'accepted', none: 'accepted' });
  });

  it('--base naming a multi-step scenario is exit 2 naming its steps', async () => {
    const run = await cli(['conformance', '--option', '2', '--base', 'base.yaml#approve then sign'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has 2 steps (approval, signing); a base is one request');
  });

  it('a top-level set: in the config is exit 2 naming the file, the key and the commands that read it', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'csim-battery-config-'));
    writeFileSync(join(sub, 'cosigner-sim.config.yaml'), 'set:\n  note: ticket-42\n');
    const run = await cli(['run'], { cwd: sub });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cosigner-sim.config.yaml: "set" is read only by send and conformance, so it belongs in their sections');
  });

  it('--expect-fail on a probe that passes fails the run, saying the handler is fixed', async () => {
    const run = await cli(['conformance', '--option', '2', '--skip', 'robustness', '--skip', 'idempotency', '--expect-fail', 'protocol/stages', '--reporter', 'junit'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('is listed as a known failure (knownFailures/--expect-fail) but passed');
  });

  it('--endpoints tx skips the config probes with the reason', async () => {
    const run = await cli(['conformance', '--option', '2', '--endpoints', 'tx', '--skip', 'robustness', '--reporter', 'json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const scenarios = (JSON.parse(run.stdout) as { scenarios: { name: string; status: string; skipReason?: string }[] }).scenarios;
    expect(scenarios.find((s) => s.name === 'protocol/unknown-config-type')).toMatchObject({ status: 'skip', skipReason: expect.stringContaining('--endpoints tx') });
  });
});

describe('JUnit: a probe not run for a root cause', () => {
  it('is a skipped testcase whose message starts "not run:"', () => {
    const result: ScenarioResult = { name: 'forgery/alg-none', file: 'conformance', option: 4, status: 'notRun', skipReason: 'a refusal proves nothing when the base request is refused too', rootCause: 'forgery/positive-control', steps: [], checks: [], warnings: [], durationMs: 0 };
    const xml = renderJunitReport(
      { info: { command: 'conformance', version: '0', option: 4, seed: 1, strict: false, embedded: true, targets: [] }, results: [result], summary: { ok: true, total: 1, passed: 0, failed: 0, skipped: 0, notRun: 1, durationMs: 0, warnings: 0 }, warnings: [], ok: true },
      createRedactor(false),
    );
    expect(xml).toContain('<skipped message="not run: a refusal proves nothing when the base request is refused too"/>');
    expect(xml).toContain('skipped="1"');
  });
});
