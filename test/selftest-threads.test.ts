/**
 * The selftest's worker threads when they go wrong (test/selftest.test.ts runs the whole zoo on two
 * threads when they go right): a thread that stops mid-run fails the run it had and leaves the rest
 * to this thread; a thread that cannot start, or that planned other runs than this thread (another
 * build of the package), stops the selftest before any run starts, with an error that says so.
 * The zoo is cut down to one check defect, one battery defect and the upstream defect under one option.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { jobKey, planSelftest, runSelftest } from '../simulator/selftest/run.js';
import { SELFTEST_DEADLINE_MS } from '../simulator/selftest/probe-zoo.js';

vi.mock('../simulator/selftest/zoo.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../simulator/selftest/zoo.js')>();
  return {
    ...real,
    createZoo: async (...args: Parameters<typeof real.createZoo>) => (await real.createZoo(...args)).filter((e) => e.id === 'expired-certificate'),
    UPSTREAM_ZOO_ENTRY: { ...real.UPSTREAM_ZOO_ENTRY, options: [4] },
  };
});
vi.mock('../simulator/selftest/probe-zoo.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../simulator/selftest/probe-zoo.js')>();
  return { ...real, createProbeZoo: async (...args: Parameters<typeof real.createProbeZoo>) => (await real.createProbeZoo(...args)).filter((e) => e.id === 'no-signature-check') };
});

const fixture = (name: string) => new URL(`./fixtures/selftest-threads/${name}`, import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'csim-selftest-threads-'));
afterAll(() => {
  delete process.env['CSIM_TEST_SELFTEST_KEYS'];
  rmSync(dir, { recursive: true, force: true });
});

describe('selftest worker threads', () => {
  it('fail the run a stopped thread had, name why, and leave the other runs to this thread', async () => {
    const { jobs } = await planSelftest({ deadlineMs: SELFTEST_DEADLINE_MS, allOptions: false });
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(jobs.map(jobKey)));
    process.env['CSIM_TEST_SELFTEST_KEYS'] = keysFile;
    const outcome = await runSelftest({ threads: 2, concurrency: 2, workerModule: fixture('scripted-worker.mjs') });
    expect(outcome.rows).toHaveLength(jobs.length);
    expect(outcome.rows.map(jobKeyOfRow)).toEqual(jobs.map(jobKey));
    // The scripted thread answered one run, then exited on the next: that run failed, and said why.
    const onWorker = outcome.rows.filter((r) => r.thread === 1);
    expect(onWorker).toHaveLength(2);
    const stopped = onWorker.filter((r) => !r.ok);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.caughtBy).toEqual(['selftest: the selftest worker thread exited (code 3)']);
    // Every other run, on this thread, gave its real verdict.
    const here = outcome.rows.filter((r) => r.thread === 0);
    expect(here).toHaveLength(jobs.length - 2);
    expect(here.filter((r) => !r.ok)).toEqual([]);
    expect(outcome.ok).toBe(false);
  }, 60_000);

  it('stop the selftest before any run when a thread planned other runs (another build: dist/ out of date)', async () => {
    // The built worker (dist/) plans the whole zoo; this thread, its zoo cut down, plans a few runs.
    await expect(runSelftest({ threads: 2 })).rejects.toMatchObject({
      code: 'CSIM_INTERNAL',
      message: expect.stringMatching(/^the selftest worker thread planned \d+ runs and this thread \d+; the first difference is run \d+ /),
      hint: expect.stringContaining('rebuild dist/'),
    });
  }, 60_000);

  it('stop the selftest before any run when a thread cannot start, with its reason', async () => {
    await expect(runSelftest({ threads: 2, workerModule: fixture('throws-at-start.mjs') })).rejects.toMatchObject({
      code: 'CSIM_INTERNAL',
      message: 'the selftest worker thread stopped: this build is broken',
      hint: expect.stringContaining('throws-at-start.mjs'),
    });
    await expect(runSelftest({ threads: 2, workerModule: fixture('fatal-at-start.mjs') })).rejects.toMatchObject({
      code: 'CSIM_INTERNAL',
      message: 'the selftest worker thread could not start: no key pair could be made',
    });
  }, 60_000);
});

function jobKeyOfRow(r: { handler: string; option: number; kind: string }): string {
  return `${r.handler}@${r.option}:${r.kind}`;
}
