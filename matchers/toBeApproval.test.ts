import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeApproval', () => {
  let jsonApprove: CallbackResult;
  let jwtApprove: CallbackResult;
  let capitalized: CallbackResult;
  let wrongKey: CallbackResult;
  beforeAll(async () => {
    [jsonApprove, jwtApprove, capitalized, wrongKey] = await Promise.all([
      recorded({ option: 2 }),
      recorded({ option: 4 }),
      recorded({ option: 2, answer: 'capitalized-claims' }),
      recorded({ option: 4, answer: 'wrong-signing-key' }),
    ]);
  });

  it('passes on an APPROVE in a JSON option and in a JWT option', () => {
    expect(jsonApprove).toBeApproval();
    expect(jwtApprove).toBeApproval();
  });

  it('fails response-shape when the handler spells the claims Action and RequestId', () => {
    expect(failureOf(() => expect(capitalized).toBeApproval())).toMatch(/Check failed: response-shape/);
  });

  it('checks the signature where the option has one', () => {
    expect(failureOf(() => expect(wrongKey).toBeApproval())).toMatch(/Check failed: jwt-signature/);
  });

  it('.not fails when a rule is broken: an APPROVE with a bad signature is still an APPROVE, and no action is no decision', () => {
    expect(failureOf(() => expect(wrongKey).not.toBeApproval())).toMatch(/but the handler answered "APPROVE": a failed check does not make it another decision/);
    expect(failureOf(() => expect(capitalized).not.toBeApproval())).toMatch(/but no decision was read: the body did not decode to claims with a string "action" \(response-shape failed/);
  });

  it('.not fails on an APPROVE, with its own wording', () => {
    expect(failureOf(() => expect(jsonApprove).not.toBeApproval())).toMatchSnapshot();
  });

  it('names the failed check and shows the JSON body', () => {
    expect(failureOf(() => expect(capitalized).toBeApproval())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect([jsonApprove, jwtApprove]).toEqual([expect.toBeApproval(), expect.toBeApproval()]);
    expect.soft(jsonApprove).toBeApproval();
  });
});
