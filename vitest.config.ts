import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** What every project shares. */
const common = {
  // test/fixtures holds deliberately failing files that only child processes run.
  exclude: ['node_modules/**', 'dist/**', 'examples/**', 'test/fixtures/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

/**
 * Files that run far longer than their size suggests, started first (in this order). Vitest starts
 * the longest files first by the durations of the last run, but a fresh clone has none, and then
 * it goes by file size: the selftest, a short file that runs the whole zoo, would start last and
 * finish alone on one core.
 */
/**
 * The slow project's files: they install packages, need a container engine, run the full zoo,
 * spawn handler process groups and signal them (the `--start` kind and Ctrl-C: ~25 s of the
 * 150 s npm test budget, kept for CI), start module targets in worker threads with msw inside
 * (~12 s), or write kits with `init` (~12 s: RSA key generation).
 */
const SLOW = ['test/examples.test.ts', 'test/targets-image.test.ts', 'test/selftest.test.ts', 'test/selftest-threads.test.ts', 'test/cli-selftest.test.ts', 'test/cli-interrupt.test.ts', 'test/targets-command-run.test.ts', 'test/targets-command.test.ts', 'test/targets-module.test.ts', 'simulator/cli/init.test.ts'];

const LONG_RUNNING = ['test/selftest.test.ts', 'test/targets-command-run.test.ts', 'test/targets-module.test.ts', 'simulator/cli/init.test.ts', 'test/targets-command.test.ts', 'test/conformance.test.ts', 'test/cli-selftest.test.ts', 'test/matchers.e2e.test.ts', 'test/cli-battery.test.ts'];

class LongRunningFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_RUNNING.findIndex((path) => f.moduleId.endsWith(`/${path}`));
      return i === -1 ? LONG_RUNNING.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

/**
 * Three projects. `npm test` runs unit and e2e (the inner loop); `npm run test:slow` runs slow,
 * which `.ci/run` runs after `npm test`.
 * - unit: the tests beside the code; no dist/.
 * - e2e: test/, end to end over real TLS, the in-process CLI and the spawned bin; its global
 *   setup brings dist/ up to date (a no-op when it already is).
 * - slow: tests that install packages or need a container engine (examples/vitest from the
 *   packed tarball), and the selftest: the full zoo (175 runs, ~30 s of both cores) and the CLI
 *   command's three cut-down runs (~18 s), and the tests that spawn handler process groups and
 *   signal them (the `--start` kind, Ctrl-C), module targets with msw in worker threads, and `init`.
 *   The inner loop keeps checks-can-fail: every check id
 *   failing for a handler that breaks exactly that rule. examples/ themselves are separate
 *   projects with their own config.
 */
export default defineConfig({
  test: {
    // The root project's setup runs for every run, whatever projects are selected, and what it
    // provides every project inherits: the run's one shared kit.
    globalSetup: ['test/support/kit.global-setup.ts'],
    // Vitest's default is one worker less than the cores: one worker on a 2-core machine, and the
    // tests would take turns while most of them wait on sockets, deadlines and child processes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongRunningFirst },
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ['simulator/**/*.test.ts', 'matchers/**/*.test.ts'],
          exclude: [...common.exclude, ...SLOW],
        },
      },
      {
        test: {
          ...common,
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: [...common.exclude, ...SLOW],
          globalSetup: ['test/support/e2e.global-setup.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'slow',
          include: SLOW,
          // The spawn tests run the built bin: bring dist/ up to date as e2e does (a no-op when it is).
          globalSetup: ['test/support/e2e.global-setup.ts'],
        },
      },
    ],
  },
});
