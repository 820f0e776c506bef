import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf, probe, unknownConfigChange } from '../test/fixtures/matchers/harness.js';
import './vitest.js';

describe('toBeSignedIgnore', () => {
  let ignore: CallbackResult;
  let ignoreAtSigning: CallbackResult;
  let jsonIgnore: CallbackResult;
  beforeAll(async () => {
    [ignore, ignoreAtSigning, jsonIgnore] = await Promise.all([
      probe({ option: 4, send: unknownConfigChange }),
      probe({ option: 4, zoo: 'ignore-at-signing', send: (c) => c.sendTx({ stage: 'signing' }) }),
      probe({ option: 3, send: unknownConfigChange }),
    ]);
  });

  it('passes on a signed IGNORE of a configuration change', () => {
    expect(ignore).toBeSignedIgnore();
  });

  it('fails action when the handler answers IGNORE at the signing stage', () => {
    expect(failureOf(() => expect(ignoreAtSigning).toBeSignedIgnore())).toMatch(/Check failed: action: IGNORE at the signing stage/);
  });

  it('.not passes when the rule is broken or the option has no JWT', () => {
    expect(ignoreAtSigning).not.toBeSignedIgnore();
    expect(jsonIgnore).not.toBeSignedIgnore();
  });

  it('.not fails on a signed IGNORE, with its own wording', () => {
    expect(failureOf(() => expect(ignore).not.toBeSignedIgnore())).toMatchSnapshot();
  });

  it('names the failed action check', () => {
    expect(failureOf(() => expect(ignoreAtSigning).toBeSignedIgnore())).toMatchSnapshot();
  });

  it('points to toBeIgnore() in a plain-JSON option', () => {
    expect(failureOf(() => expect(jsonIgnore).toBeSignedIgnore())).toMatch(/use toBeIgnore\(\) instead/);
    expect(jsonIgnore).toBeIgnore();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: ignore }).toEqual({ res: expect.toBeSignedIgnore() });
    expect.soft(ignore).toBeSignedIgnore();
  });
});
