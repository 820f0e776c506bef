import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One line registers the cosigner-sim matchers on vitest's expect.
    setupFiles: ['cosigner-sim/vitest'],
    // Key generation takes about a second; a cosigner-sim run with --start a few.
    testTimeout: 35_000,
    hookTimeout: 60_000,
  },
});
