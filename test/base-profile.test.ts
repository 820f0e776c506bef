/**
 * `--base` on send and load refuses a config base whose type the --profile never sends, with
 * run's message (suite/profile-check.ts), before anything is sent: exit 2. The in-process CLI,
 * the embedded reference handler where a request is sent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './fixtures/cli/memory-io.js';

const OLD = ['--option', '4', '--profile', 'sgx@2025.12.30'];
const BASE = `- name: policy change
  request:
    type: config
    configType: POLICY_CHANGE
  expect: { action: APPROVE }
`;

describe('--base and the profile', () => {
  let dir: string;
  let runMessage: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'csim-base-profile-'));
    writeFileSync(join(dir, 'b.yaml'), BASE);
    const run = await runInProcess(['run', 'b.yaml', ...OLD], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    runMessage = run.stderr;
  });

  it("send config: a base type the profile never sends is exit 2 with run's message, and nothing is sent", async () => {
    expect(runMessage).toContain('b.yaml:1: scenario "policy change", request.configType: POLICY_CHANGE arrived with sgx@2026.03.02; this run simulates sgx@2025.12.30, which never sends it');
    const send = await runInProcess(['send', 'config', ...OLD, '--base', 'b.yaml'], { cwd: dir });
    expect(send.code).toBe(2);
    expect(send.stderr).toBe(runMessage);
    expect(send.stdout).not.toContain('Request:');
  });

  it('load and conformance: the same', async () => {
    const load = await runInProcess(['load', ...OLD, '--base', 'b.yaml', '--mix', 'config', '--requests', '1'], { cwd: dir });
    expect(load.code).toBe(2);
    expect(load.stderr).toBe(runMessage);
    const conformance = await runInProcess(['conformance', ...OLD, '--base', 'b.yaml'], { cwd: dir });
    expect(conformance.code).toBe(2);
    expect(conformance.stderr).toBe(runMessage);
  });

  it('send config --type wins over the base type, and --allow-unknown-type sends it anyway', async () => {
    const typed = await runInProcess(['send', 'config', ...OLD, '--base', 'b.yaml', '--type', 'ADD_USER'], { cwd: dir });
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).toContain('type "ADD_USER"');
    const anyway = await runInProcess(['send', 'config', ...OLD, '--base', 'b.yaml', '--allow-unknown-type'], { cwd: dir });
    expect(anyway.code, anyway.stderr).toBe(0);
    expect(anyway.stdout).toContain('type "POLICY_CHANGE"');
  });

  it("the result is named for the type sent: the base's, unless --type wins", async () => {
    const fromBase = await runInProcess(['send', 'config', '--option', '4', '--base', 'b.yaml', '--reporter', 'json'], { cwd: dir });
    expect(fromBase.code, fromBase.stderr).toBe(0);
    expect(JSON.parse(fromBase.stdout).scenarios[0].name).toBe('send config (POLICY_CHANGE)');
    const typed = await runInProcess(['send', 'config', '--option', '4', '--base', 'b.yaml', '--type', 'ADD_USER', '--reporter', 'json'], { cwd: dir });
    expect(JSON.parse(typed.stdout).scenarios[0].name).toBe('send config (ADD_USER)');
  });
});
