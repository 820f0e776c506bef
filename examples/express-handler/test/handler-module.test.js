/**
 * The handler as an in-process module (`--handler src/handler.js`): cosigner-sim loads the module
 * in a worker thread, calls createHandler(kit), serves the Express app over the option's real TLS,
 * and answers the app's own risk-API calls with each scenario's `upstream:` mocks (msw, inside the
 * worker). No risk API runs here: the mocks decide, and an unmocked call fails `upstream`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(HERE, 'node_modules', '.bin', 'cosigner-sim');
// The risk API's host exists only in the mocks: a call that escaped them could not reach anything.
const ENV = { RISK_URL: 'http://risk.internal/score', RISK_TIMEOUT_MS: '1000' };

function cosignerSim(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: HERE, env: { ...process.env, NO_COLOR: '1', ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cosigner-sim --handler src/handler.js with upstream: mocks', () => {
  it.each([4, 1])('the mocked risk API decides every answer under option %i', { timeout: 60_000 }, async (option) => {
    const { code, stdout, stderr } = await cosignerSim(['run', 'scenarios-handler/', '--handler', 'src/handler.js', '--option', String(option), '--reporter', 'json']);
    expect(code, stderr + stdout).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({ passed: 4, failed: 0 });
    const actions = report.scenarios.map((s) => s.response?.action);
    expect(actions).toEqual(['APPROVE', 'REJECT', 'APPROVE', 'RETRY']);
    for (const s of report.scenarios) expect(s.checks.find((c) => c.id === 'upstream')?.status, s.name).toBe('pass');
  });

  it('a risk call no mock answers fails upstream, naming it, though the handler answered a correct RETRY', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await cosignerSim(['run', 'test/fixtures/unmocked.yaml', '--handler', 'src/handler.js', '--option', '4', '--reporter', 'json']);
    expect(code, stderr).toBe(1);
    const [scenario] = JSON.parse(stdout).scenarios;
    const failed = scenario.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual(['upstream']);
    expect(scenario.checks.find((c) => c.id === 'upstream').message).toContain('POST http://risk.internal/score');
  });
});
