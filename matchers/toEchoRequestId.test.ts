import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { batched as sendBatched, recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toEchoRequestId', () => {
  let batched: CallbackResult;
  let echoesTxId: CallbackResult;
  let missingId: CallbackResult;
  beforeAll(async () => {
    [batched, echoesTxId, missingId] = await Promise.all([
      recorded({ option: 5, send: sendBatched }),
      recorded({ option: 5, answer: 'echoes-tx-id', send: sendBatched }),
      recorded({ option: 5, answer: 'missing-request-id' }),
    ]);
  });

  it('passes when a batched request’s requestId is echoed', () => {
    expect(batched).toEchoRequestId();
  });

  it('fails request-id when the handler echoes txId instead', () => {
    expect(failureOf(() => expect(echoesTxId).toEchoRequestId())).toMatch(/Check failed: request-id: the response echoes txId instead of requestId/);
  });

  it('fails when there is no requestId to compare', () => {
    expect(failureOf(() => expect(missingId).toEchoRequestId())).toMatch(/the request-id check was blocked: response-shape failed/);
  });

  it('.not passes when the rule is broken', () => {
    expect(echoesTxId).not.toEchoRequestId();
  });

  it('.not fails when the requestId is echoed, with its own wording', () => {
    expect(failureOf(() => expect(batched).not.toEchoRequestId())).toMatchSnapshot();
  });

  it('names the failed check and shows expected and received requestId', () => {
    expect(failureOf(() => expect(echoesTxId).toEchoRequestId())).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: batched }).toEqual({ res: expect.toEchoRequestId() });
    expect.soft(batched).toEchoRequestId();
  });
});
