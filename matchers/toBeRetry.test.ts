import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, retryOnce } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeRetry', () => {
  let retry: CallbackResult;
  let lowerCase: CallbackResult;
  beforeAll(async () => {
    [retry, lowerCase] = await Promise.all([recorded({ option: 3, send: retryOnce }), recorded({ option: 3, answer: 'lower-case-action', send: retryOnce })]);
  });

  it('passes on a RETRY', () => {
    expect(retry).toBeRetry();
  });

  it('fails action when the handler answers "retry" in lower case', () => {
    expect(failureOf(() => expect(lowerCase).toBeRetry())).toMatch(/Check failed: action/);
  });

  it('.not passes on "retry" in lower case: the decision was read, and it is not RETRY', () => {
    expect(lowerCase).not.toBeRetry();
  });

  it('.not fails on a RETRY, with its own wording', () => {
    expect(failureOf(() => expect(retry).not.toBeRetry())).toMatchSnapshot();
  });

  it('names the failed check and the hint to upper-case the action', () => {
    expect(failureOf(() => expect(lowerCase).toBeRetry())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: retry }).toEqual({ res: expect.toBeRetry() });
    expect.soft(retry).toBeRetry();
  });
});
