import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { LIMIT_REASON, overLimit, recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeSignedRejection', () => {
  let reject: CallbackResult;
  let hs256: CallbackResult;
  let approve: CallbackResult;
  beforeAll(async () => {
    [reject, hs256, approve] = await Promise.all([
      recorded({ option: 5, send: overLimit }),
      recorded({ option: 5, answer: 'alg-hs256', send: overLimit }),
      recorded({ option: 5 }),
    ]);
  });

  it('passes on a signed REJECT, with or without a reason expectation', () => {
    expect(reject).toBeSignedRejection();
    expect(reject).toBeSignedRejection(/limit/);
    expect(reject).toBeSignedRejection(LIMIT_REASON);
  });

  it('fails jwt-alg when the handler signs the REJECT with HS256', () => {
    expect(failureOf(() => expect(hs256).toBeSignedRejection(/limit/))).toMatch(/Check failed: jwt-alg/);
  });

  it('fails when the reason does not match or the action is not REJECT', () => {
    expect(failureOf(() => expect(reject).toBeSignedRejection(/allow-list/))).toMatch(/Wrong rejectionReason/);
    expect(failureOf(() => expect(reject).toBeSignedRejection('amount too high'))).toMatch(/Wrong rejectionReason/);
    expect(failureOf(() => expect(approve).toBeSignedRejection())).toMatch(/Wrong action/);
  });

  it('.not passes when the reason differs or the action is another', () => {
    expect(reject).not.toBeSignedRejection(/allow-list/);
    expect(approve).not.toBeSignedRejection();
  });

  it('.not fails when a rule is broken but the handler did answer REJECT', () => {
    expect(failureOf(() => expect(hs256).not.toBeSignedRejection())).toMatch(/but the handler answered "REJECT": a failed check does not make it another decision/);
    expect(failureOf(() => expect(hs256).not.toBeSignedRejection(/limit/))).toMatchSnapshot();
  });

  it('.not fails on a matching signed REJECT, with its own wording', () => {
    expect(failureOf(() => expect(reject).not.toBeSignedRejection(/limit/))).toMatchSnapshot();
  });

  it('names the failed check and shows the decoded HS256 header', () => {
    expect(failureOf(() => expect(hs256).toBeSignedRejection(/limit/))).toMatchSnapshot();
  });

  it('shows expected and received reason and action when the decision differs', () => {
    expect(failureOf(() => expect(approve).toBeSignedRejection(/limit/))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect([reject]).toEqual([expect.toBeSignedRejection(/exceeds/)]);
    expect.soft(reject).toBeSignedRejection(LIMIT_REASON);
  });

  it('refuses a reason that is neither a string nor a RegExp', () => {
    expect(() => expect(reject).toBeSignedRejection(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => expect(reject).not.toBeSignedRejection(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});
