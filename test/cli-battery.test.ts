/**
 * `cosigner-sim conformance` as a user runs it, in-process through runCli(argv, io): exit codes,
 * probe names, --skip. (`cosigner-sim selftest` is in test/cli-selftest.test.ts.) The binary
 * itself is proven by the spawn smoke tests in test/cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
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
