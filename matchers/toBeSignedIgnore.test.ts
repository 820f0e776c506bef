import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, unknownConfigChange } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeSignedIgnore', () => {
  let ignore: CallbackResult;
  let ignoreAtSigning: CallbackResult;
  let jsonIgnore: CallbackResult;
  beforeAll(async () => {
    [ignore, ignoreAtSigning, jsonIgnore] = await Promise.all([
      recorded({ option: 4, send: unknownConfigChange }),
      recorded({ option: 4, answer: 'ignore-at-signing', send: { kind: 'tx', stage: 'signing' } }),
      recorded({ option: 3, send: unknownConfigChange }),
    ]);
  });

  it('passes on a signed IGNORE of a configuration change', () => {
    expect(ignore).toBeSignedIgnore();
  });

  it('fails action when the handler answers IGNORE at the signing stage', () => {
    expect(failureOf(() => expect(ignoreAtSigning).toBeSignedIgnore())).toMatch(/Check failed: action: IGNORE at the signing stage/);
  });

  it('.not fails when the rule is broken or the option has no JWT: the handler did answer IGNORE', () => {
    expect(failureOf(() => expect(ignoreAtSigning).not.toBeSignedIgnore())).toMatch(/but the handler answered "IGNORE": a failed check does not make it another decision/);
    expect(failureOf(() => expect(jsonIgnore).not.toBeSignedIgnore())).toMatchSnapshot();
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
