import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult, CheckId } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toFailCheck', () => {
  let wrongKey: CallbackResult;
  let unsignedJson: CallbackResult;
  let approve: CallbackResult;
  beforeAll(async () => {
    [wrongKey, unsignedJson, approve] = await Promise.all([
      recorded({ option: 4, answer: 'wrong-signing-key' }),
      recorded({ option: 4, answer: 'unsigned-json-response' }),
      recorded({ option: 4 }),
    ]);
  });

  it('passes when the handler breaks the rule the check enforces', () => {
    expect(wrongKey).toFailCheck('jwt-signature');
    expect(unsignedJson).toFailCheck('body-format');
  });

  it('fails when a correct handler passes the check', () => {
    expect(failureOf(() => expect(approve).toFailCheck('jwt-signature'))).toMatch(/Expected check jwt-signature to fail, but it passed/);
  });

  it('.not passes when the check did not fail', () => {
    expect(approve).not.toFailCheck('jwt-signature');
    expect(unsignedJson).not.toFailCheck('jwt-signature');
  });

  it('.not fails when the check failed, and shows the failure', () => {
    expect(failureOf(() => expect(wrongKey).not.toFailCheck('jwt-signature'))).toMatchSnapshot();
  });

  it('says when the check was blocked and which check failed instead', () => {
    expect(failureOf(() => expect(unsignedJson).toFailCheck('jwt-signature'))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: wrongKey }).toEqual({ res: expect.toFailCheck('jwt-signature') });
    expect.soft(wrongKey).toFailCheck('jwt-signature');
  });

  it('refuses an id that is not a check id', () => {
    expect(() => expect(wrongKey).toFailCheck('signature' as CheckId)).toThrow(
      expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('Expected one of: connect, tls,') }),
    );
  });
});
