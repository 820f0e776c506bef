import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

/** Answers correctly, but only after this long (well above the thresholds used below). */
const SLOW_MS = 300;

describe('toRespondWithin', () => {
  let fast: CallbackResult;
  let slow: CallbackResult;
  let neverAnswers: CallbackResult;
  beforeAll(async () => {
    [fast, slow, neverAnswers] = await Promise.all([
      recorded({ option: 2 }),
      recorded({ option: 2, answer: { totalMs: SLOW_MS + 12 } }),
      recorded({ option: 2, answer: 'never-answers' }),
    ]);
  });

  it('passes when the answer arrives in time', () => {
    expect(fast).toRespondWithin(10_000);
  });

  it('fails when the handler is slower than asked', () => {
    expect(failureOf(() => expect(slow).toRespondWithin(50))).toMatch(/Expected an answer within 50 ms, but it took <n> ms/);
    expect(slow).toRespondWithin(30_000);
  });

  it('fails when the handler never answers (deadline)', () => {
    expect(failureOf(() => expect(neverAnswers).toRespondWithin(10_000))).toMatch(/the handler did not answer: deadline failed/);
  });

  it('.not passes when it was slow or never answered', () => {
    expect(slow).not.toRespondWithin(50);
    expect(neverAnswers).not.toRespondWithin(10_000);
  });

  it('.not fails when the answer arrived in time, with its own wording', () => {
    expect(failureOf(() => expect(fast).not.toRespondWithin(10_000))).toMatchSnapshot();
  });

  it('shows the timing and the deadline failure', () => {
    expect(failureOf(() => expect(slow).toRespondWithin(50))).toMatchSnapshot();
    expect(failureOf(() => expect(neverAnswers).toRespondWithin(10_000))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: fast }).toEqual({ res: expect.toRespondWithin(10_000) });
    expect.soft(fast).toRespondWithin(10_000);
  });

  it('refuses a threshold that is not a positive number', () => {
    expect(() => expect(fast).toRespondWithin(0)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => expect(fast).toRespondWithin('1s' as unknown as number)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});
