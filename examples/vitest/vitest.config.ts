import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One line registers the cosigner-sim matchers on vitest's expect.
    setupFiles: ['cosigner-sim/vitest'],
    // The Co-signer waits up to 30 s for an answer; key generation takes about a second.
    testTimeout: 35_000,
    hookTimeout: 60_000,
  },
});
