import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf, LIMIT_REASON, overLimit, probe } from '../test/fixtures/matchers/harness.js';
import './vitest.js';

describe('toBeRejection', () => {
  let reject: CallbackResult;
  let numericReason: CallbackResult;
  beforeAll(async () => {
    [reject, numericReason] = await Promise.all([probe({ option: 3, send: overLimit }), probe({ option: 3, zoo: 'rejection-reason-number' })]);
  });

  it('passes on a REJECT, with or without a reason expectation', () => {
    expect(reject).toBeRejection();
    expect(reject).toBeRejection(/exceeds the limit/);
    expect(reject).toBeRejection(LIMIT_REASON);
  });

  it('fails rejection-reason when the handler sends the reason as a number', () => {
    expect(failureOf(() => expect(numericReason).toBeRejection())).toMatch(/Check failed: rejection-reason/);
  });

  it('.not passes when a rule is broken or the reason differs', () => {
    expect(numericReason).not.toBeRejection();
    expect(reject).not.toBeRejection('over the limit');
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
