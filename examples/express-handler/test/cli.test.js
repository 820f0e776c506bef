/**
 * The handler as cosigner-sim starts it (`--start "node src/server.js"`): the scenarios in
 * scenarios/ under options 4 and 1, the conformance battery under option 4, and a handler that
 * cannot start. cosigner-sim generates the kit, hands it over in COSIGNER_SIM_* variables and PORT,
 * waits for the TLS port, runs, and stops the handler; the risk API is test/risk-mock.js.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRiskMock } from './risk-mock.js';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(HERE, 'node_modules', '.bin', 'cosigner-sim');
/** scenarios/: decisions.yaml 8, risk-api-failures.yaml 3, smoke.yaml 3. */
const SCENARIO_COUNT = 14;

/** Run the cosigner-sim bin in the example folder; resolves with its exit code and output. */
function cosignerSim(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: HERE, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` }));
  });
}

const START = ['--start', 'node src/server.js', '--ready-timeout', '20s'];

describe('cosigner-sim --start "node src/server.js"', () => {
  let risk, reports;
  beforeAll(async () => {
    risk = await startRiskMock();
    reports = mkdtempSync(join(tmpdir(), 'express-handler-reports-'));
  });
  afterAll(async () => {
    await risk?.close();
    if (reports) rmSync(reports, { recursive: true, force: true });
  });
  // HOST keeps the handler on loopback; RISK_TIMEOUT_MS makes the slow-API scenario take 1 s, not 5.
  const handlerEnv = () => ({ RISK_URL: risk.url, RISK_TIMEOUT_MS: '1000', HOST: '127.0.0.1' });

  it.each([
    [4, '/fireblocks/cb'],
    [1, ''],
  ])('passes every scenario under option %i (base path "%s")', { timeout: 90_000 }, async (option, basePath) => {
    const report = join(reports, `option-${option}.json`);
    const { code, output } = await cosignerSim(
      ['run', 'scenarios/', '--option', String(option), ...START, '--url', `https://127.0.0.1:{port}${basePath}`, '--reporter', 'pretty', '--reporter', `json:${report}`],
      { ...handlerEnv(), BASE_PATH: basePath },
    );
    expect(code, output).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    // Every scenario ran, none was skipped, and each passed.
    expect(json.summary, output).toMatchObject({ failed: 0, passed: SCENARIO_COUNT });
    // The handler asked the risk API: decisions came from it, not from a default.
    expect(risk.calls.some((c) => c.amountUSD >= 100_000)).toBe(true);
  });

  it('passes the conformance battery under option 4', { timeout: 120_000 }, async () => {
    const { code, output } = await cosignerSim(['conformance', '--option', '4', ...START, '--url', 'https://127.0.0.1:{port}'], handlerEnv());
    expect(code, output).toBe(0);
    expect(output).toMatch(/forgery\/wrong-key/);
    expect(output).toMatch(/Scenarios\s+\d+ passed \| 0 failed/);
  });

  it('runs only the smoke scenarios with --tag smoke', { timeout: 60_000 }, async () => {
    const { code, output } = await cosignerSim(['run', 'scenarios/', '--tag', 'smoke', '--option', '4', ...START, '--url', 'https://127.0.0.1:{port}'], handlerEnv());
    expect(code, output).toBe(0);
    expect(output).toMatch(/3 passed \| 0 failed \(3\)/);
  });

  it('is exit 2 with the handler\'s own explanation when RISK_URL is missing', { timeout: 60_000 }, async () => {
    const { code, stderr } = await cosignerSim(['run', 'scenarios/', '--option', '4', ...START, '--url', 'https://127.0.0.1:{port}'], { RISK_URL: '', HOST: '127.0.0.1' });
    expect(code, stderr).toBe(2);
    expect(stderr).toContain('CSIM_TARGET_START');
    expect(stderr).toMatch(/exited with code 1/);
    expect(stderr).toMatch(/RISK_URL is not set/);
  });
});
