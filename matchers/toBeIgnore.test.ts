import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf, probe, unknownConfigChange } from '../test/fixtures/matchers/harness.js';
import './vitest.js';

describe('toBeIgnore', () => {
  let ignore: CallbackResult;
  let status500: CallbackResult;
  beforeAll(async () => {
    [ignore, status500] = await Promise.all([probe({ option: 2, send: unknownConfigChange }), probe({ option: 2, zoo: 'status-500', send: unknownConfigChange })]);
  });

  it('passes on an IGNORE of a configuration change', () => {
    expect(ignore).toBeIgnore();
  });

  it('fails http-status when the handler answers 500', () => {
    expect(failureOf(() => expect(status500).toBeIgnore())).toMatch(/Check failed: http-status/);
  });

  it('.not passes when the rule is broken', () => {
    expect(status500).not.toBeIgnore();
  });

  it('.not fails on an IGNORE, with its own wording', () => {
    expect(failureOf(() => expect(ignore).not.toBeIgnore())).toMatchSnapshot();
  });

  it('names the failed check and shows the status line', () => {
    expect(failureOf(() => expect(status500).toBeIgnore())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: ignore }).toEqual({ res: expect.toBeIgnore() });
    expect.soft(ignore).toBeIgnore();
  });
});
