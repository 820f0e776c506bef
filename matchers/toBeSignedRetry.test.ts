import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, retryOnce } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeSignedRetry', () => {
  let retry: CallbackResult;
  let wrongId: CallbackResult;
  let approve: CallbackResult;
  beforeAll(async () => {
    [retry, wrongId, approve] = await Promise.all([
      recorded({ option: 1, send: retryOnce }),
      recorded({ option: 1, answer: 'wrong-request-id', send: retryOnce }),
      recorded({ option: 1 }),
    ]);
  });

  it('passes on a signed RETRY', () => {
    expect(retry).toBeSignedRetry();
  });

  it('fails request-id when the handler answers RETRY with a requestId of its own', () => {
    expect(failureOf(() => expect(wrongId).toBeSignedRetry())).toMatch(/Check failed: request-id/);
  });

  it('.not passes when the action is another', () => {
    expect(approve).not.toBeSignedRetry();
  });

  it('.not fails when a rule is broken but the handler did answer RETRY', () => {
    expect(failureOf(() => expect(wrongId).not.toBeSignedRetry())).toMatch(/but the handler answered "RETRY": a failed check does not make it another decision/);
  });

  it('.not fails on a signed RETRY, with its own wording', () => {
    expect(failureOf(() => expect(retry).not.toBeSignedRetry())).toMatchSnapshot();
  });

  it('shows expected and received requestId', () => {
    expect(failureOf(() => expect(wrongId).toBeSignedRetry())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ first: retry, then: approve }).toEqual({ first: expect.toBeSignedRetry(), then: expect.toBeSignedApproval() });
    expect.soft(retry).toBeSignedRetry();
  });
});
