import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { LIMIT_REASON, overLimit, recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toHaveRejectionReason', () => {
  let reject: CallbackResult;
  let objectReason: CallbackResult;
  let approve: CallbackResult;
  beforeAll(async () => {
    [reject, objectReason, approve] = await Promise.all([
      recorded({ option: 1, send: overLimit }),
      recorded({ option: 1, answer: 'rejection-reason-object' }),
      recorded({ option: 1 }),
    ]);
  });

  it('passes on an exact string or a matching RegExp', () => {
    expect(reject).toHaveRejectionReason(LIMIT_REASON);
    expect(reject).toHaveRejectionReason(/exceeds the limit/);
  });

  it('fails when the handler sends the reason as an object', () => {
    expect(failureOf(() => expect(objectReason).toHaveRejectionReason(/LIMIT/))).toMatch(/not a string/);
  });

  it('fails when there is no reason or it differs', () => {
    expect(failureOf(() => expect(approve).toHaveRejectionReason(/limit/))).toMatch(/the response has no rejectionReason/);
    expect(failureOf(() => expect(reject).toHaveRejectionReason('over the limit'))).toMatch(/Expected rejectionReason to be "over the limit"/);
  });

  it('.not passes when the reason is missing, of the wrong type or different', () => {
    expect(approve).not.toHaveRejectionReason(/limit/);
    expect(objectReason).not.toHaveRejectionReason(/LIMIT/);
    expect(reject).not.toHaveRejectionReason(/allow-list/);
  });

  it('.not fails when the reason matches, with its own wording', () => {
    expect(failureOf(() => expect(reject).not.toHaveRejectionReason(/limit/))).toMatchSnapshot();
  });

  it('shows the received reason and the failed rejection-reason check', () => {
    expect(failureOf(() => expect(objectReason).toHaveRejectionReason(/LIMIT/))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: reject }).toEqual({ res: expect.toHaveRejectionReason(/limit/) });
    expect.soft(reject).toHaveRejectionReason(/limit/);
  });

  it('refuses a reason that is neither a string nor a RegExp', () => {
    expect(() => expect(reject).toHaveRejectionReason(undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});
