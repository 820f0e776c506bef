/**
 * `cosigner-sim selftest` as a user runs it, in-process through runCli(argv, io): the command runs
 * the selftest without a row callback (the path test/selftest.test.ts, which streams rows, does
 * not take), prints the table on stdout and exits 0 when every defect was caught. The zoo is cut
 * down to one check defect and one battery defect (the reference handler still runs under all
 * five options): the whole zoo runs once per suite, in test/selftest.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { runInProcess as cli } from './fixtures/cli/memory-io.js';

/** The zoo entries this file keeps, one of each kind. */
const CHECK_DEFECT = 'expired-certificate';
const PROBE_DEFECT = 'no-signature-check';

vi.mock('../simulator/selftest/zoo.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../simulator/selftest/zoo.js')>();
  return { ...real, createZoo: async (...args: Parameters<typeof real.createZoo>) => (await real.createZoo(...args)).filter((e) => e.id === CHECK_DEFECT) };
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
    expect(run.stderr).toBe('cosigner-sim selftest · starting the zoo of broken handlers on 127.0.0.1\n');
  }, 120_000);
});
