/**
 * The four-case test of issue 9, for all eight action matchers and their asymmetric forms: the
 * handler answers X with every check passing, X with a failing check, another action with every
 * check passing, and an answer with no decision to read (an undecodable body, a non-200 status, a
 * transport failure). `.not.toBeX()` must pass only in the third case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Action, CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { overLimit, recorded, retryOnce, unknownConfigChange, type DefectId, type RequestSpec } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

type ActionMatcherName =
  | 'toBeApproval'
  | 'toBeRejection'
  | 'toBeRetry'
  | 'toBeIgnore'
  | 'toBeSignedApproval'
  | 'toBeSignedRejection'
  | 'toBeSignedRetry'
  | 'toBeSignedIgnore';

interface Row {
  name: ActionMatcherName;
  action: Action;
  /** The request the reference policy answers with this action. */
  send: RequestSpec;
  /** A defect that keeps the action but fails a check, and the check it fails. */
  broken: { answer: DefectId; send?: RequestSpec; check: string };
}

const ROWS: Row[] = [
  { name: 'toBeApproval', action: 'APPROVE', send: { kind: 'tx' }, broken: { answer: 'wrong-signing-key', check: 'jwt-signature' } },
  { name: 'toBeRejection', action: 'REJECT', send: overLimit, broken: { answer: 'rejection-reason-number', check: 'rejection-reason' } },
  { name: 'toBeRetry', action: 'RETRY', send: retryOnce, broken: { answer: 'wrong-request-id', send: retryOnce, check: 'request-id' } },
  { name: 'toBeIgnore', action: 'IGNORE', send: unknownConfigChange, broken: { answer: 'ignore-at-signing', check: 'action' } },
  { name: 'toBeSignedApproval', action: 'APPROVE', send: { kind: 'tx' }, broken: { answer: 'wrong-signing-key', check: 'jwt-signature' } },
  { name: 'toBeSignedRejection', action: 'REJECT', send: overLimit, broken: { answer: 'alg-hs256', send: overLimit, check: 'jwt-alg' } },
  { name: 'toBeSignedRetry', action: 'RETRY', send: retryOnce, broken: { answer: 'wrong-request-id', send: retryOnce, check: 'request-id' } },
  { name: 'toBeSignedIgnore', action: 'IGNORE', send: unknownConfigChange, broken: { answer: 'ignore-at-signing', check: 'action' } },
];

/** Answers that carry no decision to read, and what the message must say about each. */
const UNREADABLE: { label: string; answer: DefectId; why: RegExp }[] = [
  { label: 'an undecodable body', answer: 'empty-body', why: /no decision was read: the body did not decode to claims with a string "action" \(body-format failed/ },
  { label: 'a non-200 status', answer: 'status-500', why: /no decision was read: the handler answered HTTP 500/ },
  { label: 'a transport failure', answer: 'reset-before-answer', why: /no decision was read: the exchange broke off: connect failed \(ECONNRESET\)/ },
];

type Assertions = Record<ActionMatcherName, () => void>;
type AsymmetricFactory = Record<ActionMatcherName, () => { asymmetricMatch(other: unknown): boolean }>;

/** `expect(res).toBeX()` and `expect(res).not.toBeX()` by name. */
const plain = (res: CallbackResult, name: ActionMatcherName) => () => (expect(res) as unknown as Assertions)[name]();
const negated = (res: CallbackResult, name: ActionMatcherName) => () => (expect(res).not as unknown as Assertions)[name]();
/** `expect.toBeX()` and `expect.not.toBeX()` by name, as toEqual uses them. */
const asymmetric = (res: CallbackResult, name: ActionMatcherName) => (expect as unknown as AsymmetricFactory)[name]().asymmetricMatch(res);
const asymmetricNot = (res: CallbackResult, name: ActionMatcherName) => (expect.not as unknown as AsymmetricFactory)[name]().asymmetricMatch(res);

describe.each(ROWS)('$name and its negation', (row) => {
  let x: CallbackResult;
  let xBroken: CallbackResult;
  let other: CallbackResult;
  let unreadable: { label: string; why: RegExp; res: CallbackResult }[];
  beforeAll(async () => {
    // The other action: APPROVE, or REJECT where X is APPROVE.
    const otherSend = row.action === 'APPROVE' ? overLimit : { kind: 'tx' as const };
    [x, xBroken, other, ...unreadable] = await Promise.all([
      recorded({ option: 4, send: row.send }),
      recorded({ option: 4, answer: row.broken.answer, send: row.broken.send ?? { kind: 'tx' } }),
      recorded({ option: 4, send: otherSend }),
      ...UNREADABLE.map(async (u) => ({ label: u.label, why: u.why, res: await recorded({ option: 4, answer: u.answer, send: row.send }) })),
    ]) as [CallbackResult, CallbackResult, CallbackResult, ...{ label: string; why: RegExp; res: CallbackResult }[]];
  });

  it(`X with every check passing: plain passes, .not fails`, () => {
    expect(x.ok).toBe(true);
    expect(x.decision.action).toBe(row.action);
    plain(x, row.name)();
    expect(failureOf(negated(x, row.name))).toMatch(/but every check passed:/);
    expect(asymmetric(x, row.name)).toBe(true);
    expect(asymmetricNot(x, row.name)).toBe(false);
  });

  it(`X with a failing check: both fail, and .not says the handler answered X`, () => {
    expect(xBroken.decision.action).toBe(row.action);
    expect(xBroken.checks.find((c) => c.id === row.broken.check)?.status).toBe('fail');
    expect(failureOf(plain(xBroken, row.name))).toContain(`Check failed: ${row.broken.check}`);
    const message = failureOf(negated(xBroken, row.name));
    expect(message).toContain(`but the handler answered "${row.action}": a failed check does not make it another decision`);
    expect(message).toContain(`Check failed: ${row.broken.check}`);
    expect(asymmetric(xBroken, row.name)).toBe(false);
    expect(asymmetricNot(xBroken, row.name)).toBe(false);
    expect({ res: xBroken }).not.toEqual({ res: (expect.not as unknown as AsymmetricFactory)[row.name]() });
  });

  it(`another action with every check passing: plain fails, .not passes`, () => {
    expect(other.ok).toBe(true);
    expect(other.decision.action).not.toBe(row.action);
    expect(failureOf(plain(other, row.name))).toMatch(/Wrong action/);
    negated(other, row.name)();
    expect(asymmetric(other, row.name)).toBe(false);
    expect(asymmetricNot(other, row.name)).toBe(true);
    expect({ res: other }).toEqual({ res: (expect.not as unknown as AsymmetricFactory)[row.name]() });
  });

  it(`an unreadable answer (undecodable body, non-200, transport failure): both fail, saying why`, () => {
    expect(unreadable).toHaveLength(UNREADABLE.length);
    for (const u of unreadable) {
      expect(failureOf(plain(u.res, row.name)), u.label).toMatch(/Check failed: (body-format|http-status|connect)/);
      expect(failureOf(negated(u.res, row.name)), u.label).toMatch(u.why);
      expect(asymmetric(u.res, row.name), u.label).toBe(false);
      expect(asymmetricNot(u.res, row.name), u.label).toBe(false);
    }
  });
});

describe('negated action matchers: message snapshots', () => {
  it('say why no decision was read after a transport failure', async () => {
    const reset = await recorded({ option: 4, answer: 'reset-before-answer' });
    expect(failureOf(() => expect(reset).not.toBeSignedApproval())).toMatchSnapshot();
  });

  it('say why no decision was read from an undecodable body', async () => {
    const empty = await recorded({ option: 2, answer: 'empty-body' });
    expect(failureOf(() => expect(empty).not.toBeRejection(/limit/))).toMatchSnapshot();
  });
});
