import { MatcherSetupError } from '../simulator/errors.js';
import * as matchers from './index.js';

/** The one thing the setup needs from vitest's `expect`. */
interface Extendable {
  extend(matchers: Record<string, unknown>): void;
}

const SETUP_HINT =
  'add "cosigner-sim/vitest" to test.setupFiles in vitest.config.ts (setupFiles: [\'cosigner-sim/vitest\']) and run the tests with vitest; ' +
  'elsewhere, import * as matchers from "cosigner-sim/matchers" and call expect.extend(matchers)';

function isExtendable(value: unknown): value is Extendable {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && typeof (value as { extend?: unknown }).extend === 'function';
}

/**
 * Register every cosigner-sim matcher on `expect`. Throws a MatcherSetupError (CSIM_MATCHER_SETUP) that says how to set
 * things up when `expect` is not vitest's (or jest's) expect.
 *
 * @example
 * import { expect } from 'vitest';
 * registerMatchers(expect);
 */
export function registerMatchers(expect: unknown): void {
  if (!isExtendable(expect)) {
    throw new MatcherSetupError('cosigner-sim matchers: no vitest `expect` to register on (expect.extend is not a function)', { hint: SETUP_HINT });
  }
  try {
    expect.extend({ ...matchers });
  } catch (cause) {
    throw new MatcherSetupError('cosigner-sim matchers: expect.extend() failed; is this file running inside a vitest test run?', { hint: SETUP_HINT, cause });
  }
}

/**
 * Find the `expect` of the vitest that runs the tests: the `vitest` module the package resolves
 * (vitest is a peer dependency, so this is the user's own copy), else a global `expect`
 * (`globals: true`, or jest).
 *
 * @example
 * registerMatchers(await findExpect());
 */
export async function findExpect(): Promise<unknown> {
  try {
    const vitest: { expect?: unknown } = await import('vitest');
    if (isExtendable(vitest.expect)) return vitest.expect;
  } catch {
    // vitest is not installed next to cosigner-sim: fall back to a global expect below.
  }
  return (globalThis as { expect?: unknown }).expect;
}
