import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { overLimit, recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toPassAllChecks', () => {
  let approve: CallbackResult;
  let reject: CallbackResult;
  let noV2: CallbackResult;
  beforeAll(async () => {
    [approve, reject, noV2] = await Promise.all([
      recorded({ option: 1 }),
      recorded({ option: 1, send: overLimit }),
      recorded({ option: 1, answer: 'missing-v2-prefix' }),
    ]);
  });

  it('passes whatever the action', () => {
    expect(approve).toPassAllChecks();
    expect(reject).toPassAllChecks();
  });

  it('fails http-status when the handler serves the JWT endpoints without /v2', () => {
    expect(failureOf(() => expect(noV2).toPassAllChecks())).toMatch(/Check failed: http-status: handler answered 404/);
  });

  it('.not passes when a rule is broken', () => {
    expect(noV2).not.toPassAllChecks();
  });

  it('.not fails when every check passed, with its own wording', () => {
    expect(failureOf(() => expect(approve).not.toPassAllChecks())).toMatchSnapshot();
  });

  it('names the failed check with the /v2 hint and shows the raw body', () => {
    expect(failureOf(() => expect(noV2).toPassAllChecks())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect([approve, reject]).toEqual([expect.toPassAllChecks(), expect.toPassAllChecks()]);
    expect([noV2]).toEqual([expect.not.toPassAllChecks()]);
    expect.soft(approve).toPassAllChecks();
  });
});
