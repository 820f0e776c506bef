/**
 * `cosigner-sim selftest` as a user runs it, in-process through runCli(argv, io): the command runs
 * the selftest without a row callback (the path test/selftest.test.ts, which streams rows, does
 * not take), prints the table on stdout and exits 0 when every defect was caught. The zoo is cut
 * down to one check defect, one battery defect and the upstream defect under one option (the
 * reference handler still runs under all five options): the whole zoo runs once per suite, in test/selftest.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runInProcess as cli } from './fixtures/cli/memory-io.js';

const dir = mkdtempSync(join(tmpdir(), 'csim-selftest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The zoo entries this file keeps, one of each kind. */
const CHECK_DEFECT = 'expired-certificate';
const PROBE_DEFECT = 'no-signature-check';

vi.mock('../simulator/selftest/zoo.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../simulator/selftest/zoo.js')>();
  return {
    ...real,
    createZoo: async (...args: Parameters<typeof real.createZoo>) => (await real.createZoo(...args)).filter((e) => e.id === CHECK_DEFECT),
    // The upstream defect (a module target with msw in its worker) under one option, not five.
    UPSTREAM_ZOO_ENTRY: { ...real.UPSTREAM_ZOO_ENTRY, options: [4] },
  };
});
vi.mock('../simulator/selftest/probe-zoo.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../simulator/selftest/probe-zoo.js')>();
  return { ...real, createProbeZoo: async (...args: Parameters<typeof real.createProbeZoo>) => (await real.createProbeZoo(...args)).filter((e) => e.id === PROBE_DEFECT) };
});

describe('cosigner-sim selftest', () => {
  it('exits 0 and prints a table in which every defect was caught by the check or probe meant for it', async () => {
    const run = await cli(['selftest']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ ok {2}handler/m);
    expect(run.stdout).toMatch(/every defect was caught by the check or probe meant for it/);
    expect(run.stdout).not.toMatch(/^ ✗/m);
    // The cut-down zoo ran: the reference handler under every option, and both defects.
    for (const option of [1, 2, 3, 4, 5]) expect(run.stdout).toMatch(new RegExp(`^ ✓ {3}reference +${option} +pass +\\(nothing\\)$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ ✓ {3}${CHECK_DEFECT} +\\d +tls +tls$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ ✓ {3}${PROBE_DEFECT} +\\d +forgery/\\{`, 'm'));
    // Not a terminal: the start line, then at most a periodic progress line every few seconds.
    expect(run.stderr).toMatch(/^cosigner-sim selftest · starting the zoo of broken handlers on 127\.0\.0\.1\n(selftest: \d+\/\d+ runs done \(\d+ s\)\n)*$/);
  }, 120_000);

  it('writes every reporter it is given: JUnit and CTRF to files, JSON on stdout with the table and no progress on stderr', async () => {
    const junit = join(dir, 'out', 'selftest.xml');
    const ctrf = join(dir, 'selftest.ctrf.json');
    const run = await cli(['selftest', '--reporter', `junit:${junit}`, '--reporter', `ctrf:${ctrf}`, '--reporter', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { command: string; ok: boolean; summary: { total: number; failed: number }; scenarios: { name: string }[] };
    expect(doc).toMatchObject({ command: 'selftest', ok: true, summary: { failed: 0 } });
    expect(doc.scenarios.map((r) => r.name)).toContainEqual(expect.stringMatching(new RegExp(`^${PROBE_DEFECT} \\[option \\d\\]$`)));
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite');
    expect(xml).toContain(`${CHECK_DEFECT} [option`);
    expect(xml).not.toContain('<failure');
    expect(JSON.parse(readFileSync(ctrf, 'utf8'))).toMatchObject({ results: { summary: { tests: doc.summary.total, failed: 0 } } });
    // The table goes to stderr when a machine report owns stdout, and no progress line with it.
    expect(run.stderr).toMatch(/every defect was caught/);
    expect(run.stderr).not.toMatch(/runs done/);
  }, 120_000);

  it('keeps one progress line updated in place on a terminal, and clears it before the table', async () => {
    const { selftestCommand } = await import('../simulator/cli/commands/selftest.js');
    let stderr = '';
    let stdout = '';
    const io = { stdout: { write: (t: string) => void (stdout += t) }, stderr: { isTTY: true, write: (t: string) => void (stderr += t) }, env: { NO_COLOR: '1' }, cwd: dir };
    expect(await selftestCommand({ allOptions: false }, io)).toBe(0);
    const updates = stderr.match(/\r\x1b\[2Kselftest: (\d+)\/(\d+) runs done \(\d+ s\)/g) ?? [];
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.at(-1)).toMatch(/ (\d+)\/\1 runs done/);
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(stderr).not.toContain('\n' + 'selftest:');
    expect(stdout).toMatch(/every defect was caught/);
  }, 120_000);

  it.each([
    ['--url', 'https://127.0.0.1:8443'],
    ['--start', 'node handler.js'],
    ['--kit', 'keys/'],
    ['--cosigner-key', 'k.pem'],
    ['--option', '4'],
  ])('refuses the target flag %s with exit 2: it brings its own handlers', async (flag, value) => {
    const run = await cli(['selftest', flag, value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${flag} is not an option of selftest`);
    expect(run.stdout).toBe('');
  });
});
