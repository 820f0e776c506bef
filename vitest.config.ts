import { defineConfig } from 'vitest/config';

/** What every project shares. */
const common = {
  // test/fixtures holds deliberately failing files that only child processes run.
  exclude: ['node_modules/**', 'dist/**', 'examples/**', 'test/fixtures/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

/**
 * Three projects. `npm test` runs unit and e2e (the inner loop); `npm run test:slow` runs slow,
 * which `.ci/run` runs after `npm test`.
 * - unit: the tests beside the code; no dist/.
 * - e2e: test/, end to end over real TLS, the in-process CLI and the spawned bin; its global
 *   setup brings dist/ up to date (a no-op when it already is).
 * - slow: tests that install packages or need a container engine (examples/vitest from the
 *   packed tarball). examples/ themselves are separate projects with their own config.
 */
export default defineConfig({
  test: {
    // The root project's setup runs for every run, whatever projects are selected, and what it
    // provides every project inherits: the run's one shared kit.
    globalSetup: ['test/support/kit.global-setup.ts'],
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ['simulator/**/*.test.ts', 'matchers/**/*.test.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: [...common.exclude, 'test/examples.test.ts'],
          globalSetup: ['test/support/e2e.global-setup.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'slow',
          include: ['test/examples.test.ts'],
        },
      },
    ],
  },
});
