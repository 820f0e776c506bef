import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf, probe, retryOnce } from '../test/fixtures/matchers/harness.js';
import './vitest.js';

describe('toBeSignedRetry', () => {
  let retry: CallbackResult;
  let wrongId: CallbackResult;
  let approve: CallbackResult;
  beforeAll(async () => {
    [retry, wrongId, approve] = await Promise.all([
      probe({ option: 1, send: retryOnce }),
      probe({ option: 1, zoo: 'wrong-request-id', send: retryOnce }),
      probe({ option: 1 }),
    ]);
  });

  it('passes on a signed RETRY', () => {
    expect(retry).toBeSignedRetry();
  });

  it('fails request-id when the handler answers RETRY with a requestId of its own', () => {
    expect(failureOf(() => expect(wrongId).toBeSignedRetry())).toMatch(/Check failed: request-id/);
  });

  it('.not passes when a rule is broken or the action is another', () => {
    expect(wrongId).not.toBeSignedRetry();
    expect(approve).not.toBeSignedRetry();
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
