import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf, probe } from '../test/fixtures/matchers/harness.js';
import './vitest.js';

describe('toBeApproval', () => {
  let jsonApprove: CallbackResult;
  let jwtApprove: CallbackResult;
  let capitalized: CallbackResult;
  let wrongKey: CallbackResult;
  beforeAll(async () => {
    [jsonApprove, jwtApprove, capitalized, wrongKey] = await Promise.all([
      probe({ option: 2 }),
      probe({ option: 4 }),
      probe({ option: 2, zoo: 'capitalized-claims' }),
      probe({ option: 4, zoo: 'wrong-signing-key' }),
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

  it('.not passes when a rule is broken', () => {
    expect(capitalized).not.toBeApproval();
    expect(wrongKey).not.toBeApproval();
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
