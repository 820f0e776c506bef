import { describe, expect, it } from 'vitest';
import * as matchers from './index.js';
import { findExpect, registerMatchers } from './setup.js';

describe('cosigner-sim/vitest setup', () => {
  it('finds the expect of the vitest that runs the tests', async () => {
    expect(await findExpect()).toBe(expect);
  });

  it('registers every matcher, including the asymmetric forms', () => {
    registerMatchers(expect);
    const asymmetric = expect as unknown as Record<string, unknown>;
    for (const name of Object.keys(matchers)) expect(typeof asymmetric[name], name).toBe('function');
  });

  it('says how to set up when there is no expect to register on', () => {
    expect(() => registerMatchers(undefined)).toThrow(
      expect.objectContaining({
        name: 'MatcherSetupError',
        code: 'CSIM_MATCHER_SETUP',
        message: expect.stringContaining('no vitest `expect` to register on'),
        hint: expect.stringContaining('add "cosigner-sim/vitest" to test.setupFiles'),
      }),
    );
  });

  it('wraps a failing expect.extend with the same hint', () => {
    const broken = {
      extend() {
        throw new Error('outside a test run');
      },
    };
    expect(() => registerMatchers(broken)).toThrow(expect.objectContaining({ hint: expect.stringContaining('test.setupFiles'), cause: expect.any(Error) }));
  });

  it('exports only matchers at run time, so the namespace can go to expect.extend', () => {
    for (const [name, value] of Object.entries(matchers)) {
      expect(name).toMatch(/^to[A-Z]/);
      expect(typeof value).toBe('function');
    }
    expect(Object.keys(matchers)).toHaveLength(16);
  });
});
