/**
 * The matchers seen from the outside, as a user sees them: a child vitest runs a test file that
 * fails on purpose (test/fixtures/matchers/failing-approval.test.ts, with its own config whose
 * setupFiles registers the matchers), and we read what it printed and how it exited.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { mask } from './fixtures/matchers/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

interface Run {
  code: number | null;
  output: string;
}

function runVitest(args: string[]): Promise<Run> {
  // The child must not think it is a worker of this vitest: drop the VITEST_* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, ...args], { cwd: ROOT, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: mask(output) }));
  });
}

describe('a failing toBeSignedApproval in a real vitest run', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runVitest(['run', '--config', 'test/fixtures/matchers/vitest.config.ts']);
  }, 120_000);

  it('exits with code 1', () => {
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/Tests\s+1 failed \(1\)/);
  });

  it('names the failed check and its hint', () => {
    expect(run.output).toContain('expect(result).toBeSignedApproval()');
    expect(run.output).toContain('Check failed: jwt-signature: response JWT does not verify with the handler public key (RS256)');
    expect(run.output).toContain('  hint: sign with the private key whose public half you gave the Co-signer');
  });

  it('shows the request, the decoded JWT payload and every check', () => {
    expect(run.output).toMatch(/Request: {2}POST https:\/\/127\.0\.0\.1:<port>\/v2\/tx_sign_request {2}\(option 4 jwt\+pinned, signing stage\)/);
    expect(run.output).toMatch(/JWT payload: {3}\{"action":"APPROVE","requestId":"[0-9a-f-]{36}"\}/);
    expect(run.output).toContain('✗ jwt-signature');
    expect(run.output).not.toContain('BEGIN');
  });

  it('prints the message as the README shows it', async () => {
    const start = run.output.indexOf('expect(result).toBeSignedApproval()');
    const end = run.output.indexOf('\n', run.output.indexOf('Checks: ', start));
    // A plain text file beside the fixture, so the README can quote it as it is.
    await expect(`${run.output.slice(start, end)}\n`).toMatchFileSnapshot('./fixtures/matchers/failing-approval.output.txt');
  });
});
