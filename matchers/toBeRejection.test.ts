import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { LIMIT_REASON, overLimit, recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeRejection', () => {
  let reject: CallbackResult;
  let numericReason: CallbackResult;
  beforeAll(async () => {
    [reject, numericReason] = await Promise.all([recorded({ option: 3, send: overLimit }), recorded({ option: 3, answer: 'rejection-reason-number' })]);
  });

  it('passes on a REJECT, with or without a reason expectation', () => {
    expect(reject).toBeRejection();
    expect(reject).toBeRejection(/exceeds the limit/);
    expect(reject).toBeRejection(LIMIT_REASON);
  });

  it('fails rejection-reason when the handler sends the reason as a number', () => {
    expect(failureOf(() => expect(numericReason).toBeRejection())).toMatch(/Check failed: rejection-reason/);
  });

  it('.not passes when the reason differs', () => {
    expect(reject).not.toBeRejection('over the limit');
  });

  it('.not fails when a rule is broken but the handler did answer REJECT', () => {
    expect(failureOf(() => expect(numericReason).not.toBeRejection())).toMatch(
      /Expected the response not to be a REJECT, but the handler answered "REJECT": a failed check does not make it another decision/,
    );
  });

  it('.not fails on a matching REJECT, with its own wording', () => {
    expect(failureOf(() => expect(reject).not.toBeRejection(LIMIT_REASON))).toMatchSnapshot();
  });

  it('names the failed check and shows expected and received reasons', () => {
    expect(failureOf(() => expect(numericReason).toBeRejection(/limit/))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: reject }).toEqual({ res: expect.toBeRejection(/limit/) });
    expect({ res: reject }).toEqual({ res: expect.not.toBeRejection(/allow-list/) });
    expect.soft(reject).toBeRejection();
  });
});
