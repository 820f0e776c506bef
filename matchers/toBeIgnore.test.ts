import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, unknownConfigChange } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeIgnore', () => {
  let ignore: CallbackResult;
  let status500: CallbackResult;
  let ignoreAtSigning: CallbackResult;
  beforeAll(async () => {
    [ignore, status500, ignoreAtSigning] = await Promise.all([
      recorded({ option: 2, send: unknownConfigChange }),
      recorded({ option: 2, answer: 'status-500', send: unknownConfigChange }),
      recorded({ option: 4, answer: 'ignore-at-signing' }),
    ]);
  });

  it('passes on an IGNORE of a configuration change', () => {
    expect(ignore).toBeIgnore();
  });

  it('fails http-status when the handler answers 500', () => {
    expect(failureOf(() => expect(status500).toBeIgnore())).toMatch(/Check failed: http-status/);
  });

  it('.not fails on a 500 too: no decision was read, so it is not "not IGNORE" either', () => {
    expect(failureOf(() => expect(status500).not.toBeIgnore())).toMatch(
      /no decision was read: the handler answered HTTP 500, and the Co-signer reads a decision only from a 200 answer/,
    );
  });

  it('.not fails when the handler answers IGNORE at the signing stage (the false pass of issue 9)', () => {
    expect(failureOf(() => expect(ignoreAtSigning).toBeIgnore())).toMatch(/Check failed: action: IGNORE at the signing stage/);
    expect(failureOf(() => expect(ignoreAtSigning).not.toBeIgnore())).toMatchSnapshot();
  });

  it('.not fails on an IGNORE, with its own wording', () => {
    expect(failureOf(() => expect(ignore).not.toBeIgnore())).toMatchSnapshot();
  });

  it('names the failed check and shows the status line', () => {
    expect(failureOf(() => expect(status500).toBeIgnore())).toMatchSnapshot();
  });

  it('says why .not fails on an unreadable answer', () => {
    expect(failureOf(() => expect(status500).not.toBeIgnore())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: ignore }).toEqual({ res: expect.toBeIgnore() });
    expect.soft(ignore).toBeIgnore();
  });
});
