import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, REFUSED_401 } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toHaveStatus', () => {
  let approve: CallbackResult;
  let refused: CallbackResult;
  let noV2: CallbackResult;
  let reset: CallbackResult;
  let neverAnswers: CallbackResult;
  beforeAll(async () => {
    [approve, refused, noV2, reset, neverAnswers] = await Promise.all([
      recorded({ option: 4 }),
      recorded({ option: 4, answer: REFUSED_401 }),
      recorded({ option: 1, answer: 'missing-v2-prefix' }),
      recorded({ option: 4, answer: 'reset-before-answer' }),
      recorded({ option: 2, answer: 'never-answers' }),
    ]);
  });

  it('passes on the status the handler answered, whatever the body', () => {
    expect(approve).toHaveStatus(200);
    expect(refused).toHaveStatus(401);
    expect(noV2).toHaveStatus(404);
  });

  it('fails on another status, and hints when a refusal was expected but the request was accepted', () => {
    expect(failureOf(() => expect(noV2).toHaveStatus(200))).toMatch(/Expected HTTP status 200, but the handler answered 404/);
    expect(failureOf(() => expect(approve).toHaveStatus(401))).toMatch(/the handler accepted a request it should have refused/);
  });

  it('.not passes on an answer with another status', () => {
    expect(approve).not.toHaveStatus(401);
    expect(refused).not.toHaveStatus(200);
  });

  it('.not fails on the same status, with its own wording', () => {
    expect(failureOf(() => expect(refused).not.toHaveStatus(401))).toMatchSnapshot();
  });

  it('fails both forms when the exchange broke off: there is no status to compare', () => {
    expect(failureOf(() => expect(reset).toHaveStatus(200))).toMatch(/no status was read: the exchange broke off: connect failed \(ECONNRESET\)/);
    expect(failureOf(() => expect(reset).not.toHaveStatus(200))).toMatch(/Expected an HTTP status other than 200, but no status was read/);
    expect(failureOf(() => expect(neverAnswers).not.toHaveStatus(401))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher, with the same negation', () => {
    expect({ res: refused }).toEqual({ res: expect.toHaveStatus(401) });
    expect({ res: approve }).toEqual({ res: expect.not.toHaveStatus(401) });
    expect(expect.not.toHaveStatus(401).asymmetricMatch(reset)).toBe(false);
    expect(expect.toHaveStatus(401).asymmetricMatch(reset)).toBe(false);
    expect.soft(refused).toHaveStatus(401);
  });

  it('refuses a status that is not an HTTP status code', () => {
    expect(() => expect(approve).toHaveStatus(99)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => expect(approve).toHaveStatus('401' as unknown as number)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('got string') }));
  });
});
