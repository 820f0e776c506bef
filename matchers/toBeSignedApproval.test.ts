import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeSignedApproval', () => {
  let approve: CallbackResult;
  let wrongKey: CallbackResult;
  let json: CallbackResult;
  beforeAll(async () => {
    [approve, wrongKey, json] = await Promise.all([recorded({ option: 4 }), recorded({ option: 4, answer: 'wrong-signing-key' }), recorded({ option: 2 })]);
  });

  it('passes on the reference handler’s signed APPROVE', () => {
    expect(approve).toBeSignedApproval();
  });

  it('fails jwt-signature when the handler signs with another key', () => {
    expect(failureOf(() => expect(wrongKey).toBeSignedApproval())).toMatch(/Check failed: jwt-signature/);
  });

  it('.not fails when the signature is wrong: the handler still answered APPROVE', () => {
    expect(failureOf(() => expect(wrongKey).not.toBeSignedApproval())).toMatch(/but the handler answered "APPROVE": a failed check does not make it another decision/);
  });

  it('.not fails on a correct signed APPROVE, with its own wording', () => {
    expect(failureOf(() => expect(approve).not.toBeSignedApproval())).toMatchSnapshot();
  });

  it('names the failed check, shows the decoded JWT and every check', () => {
    expect(failureOf(() => expect(wrongKey).toBeSignedApproval())).toMatchSnapshot();
  });

  it('points to toBeApproval() in a plain-JSON option', () => {
    expect(failureOf(() => expect(json).toBeSignedApproval())).toMatchSnapshot();
    expect(json).toBeApproval();
  });

  it('works as an asymmetric matcher', () => {
    expect({ res: approve }).toEqual({ res: expect.toBeSignedApproval() });
    expect({ res: wrongKey }).not.toEqual({ res: expect.not.toBeSignedApproval() });
    expect({ res: wrongKey }).not.toEqual({ res: expect.toBeSignedApproval() });
  });

  it('works with expect.soft', () => {
    expect.soft(approve).toBeSignedApproval();
  });

  it.fails('expect.soft records a failure and lets the test go on', () => {
    expect.soft(wrongKey).toBeSignedApproval();
    expect(approve).toBeSignedApproval();
  });

  it('refuses a value that is not a CallbackResult', () => {
    expect(() => expect({ action: 'APPROVE' }).toBeSignedApproval()).toThrow(
      expect.objectContaining({ code: 'CSIM_MATCHER_BAD_RECEIVED', hint: 'pass the value returned by cosigner.sendTx()' }),
    );
  });
});
