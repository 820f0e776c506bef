import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['simulator/**/*.test.ts', 'matchers/**/*.test.ts', 'test/**/*.test.ts'],
    // examples/ are separate projects with their own config, and test/fixtures holds
    // deliberately failing files that only child processes run.
    exclude: ['node_modules/**', 'dist/**', 'examples/**', 'test/fixtures/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds dist/ once per run for the tests that spawn the real binary.
    globalSetup: ['test/cli.global-setup.ts'],
  },
});
