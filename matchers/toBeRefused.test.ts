import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, REFUSED_401, REFUSED_403 } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeRefused', () => {
  let refused401: CallbackResult;
  let refused403: CallbackResult;
  let accepted: CallbackResult;
  let status500: CallbackResult;
  let reset: CallbackResult;
  beforeAll(async () => {
    [refused401, refused403, accepted, status500, reset] = await Promise.all([
      recorded({ option: 4, answer: REFUSED_401 }),
      recorded({ option: 5, answer: REFUSED_403 }),
      recorded({ option: 4 }),
      recorded({ option: 1, answer: 'status-500' }),
      recorded({ option: 4, answer: 'reset-before-answer' }),
    ]);
  });

  it('passes on a 401 and on a 403, the two answers real handlers give a forged request', () => {
    expect(refused401).toBeRefused();
    expect(refused403).toBeRefused();
  });

  it('fails when the handler accepted the request, and says what to fix', () => {
    expect(failureOf(() => expect(accepted).toBeRefused())).toMatchSnapshot();
  });

  it('fails on a 500: an error is not a refusal', () => {
    expect(failureOf(() => expect(status500).toBeRefused())).toMatch(/Expected a refusal \(HTTP 401 or 403\), but the handler answered 500/);
  });

  it('.not passes on an answer that is not a refusal', () => {
    expect(accepted).not.toBeRefused();
    expect(status500).not.toBeRefused();
  });

  it('.not fails on a refusal, with its own wording', () => {
    expect(failureOf(() => expect(refused403).not.toBeRefused())).toMatchSnapshot();
  });

  it('fails both forms when the connection was dropped: neither a refusal nor an acceptance', () => {
    expect(failureOf(() => expect(reset).toBeRefused())).toMatch(/no status was read: .*\n {2}hint: .*dropping the connection is not a refusal/);
    expect(failureOf(() => expect(reset).not.toBeRefused())).toMatch(/Expected an answer that is not a refusal, but no status was read/);
  });

  it('works as an asymmetric matcher, with the same negation', () => {
    expect([refused401, refused403]).toEqual([expect.toBeRefused(), expect.toBeRefused()]);
    expect({ res: accepted }).toEqual({ res: expect.not.toBeRefused() });
    expect(expect.not.toBeRefused().asymmetricMatch(reset)).toBe(false);
    expect(expect.toBeRefused().asymmetricMatch(reset)).toBe(false);
    expect.soft(refused401).toBeRefused();
  });
});
