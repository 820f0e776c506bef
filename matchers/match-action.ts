import { failedChecks } from '../simulator/checks/index.js';
import type { Action, CallbackResult } from '../simulator/protocol/types.js';
import {
  assertCallbackResult,
  assertReasonArgument,
  checkFailure,
  isJwtOption,
  optionLabel,
  printArgument,
  reasonMatches,
  toResult,
  withArticle,
  type MatcherContext,
  type SyncExpectationResult,
} from './format.js';
import { readDecision } from './read.js';
import type { ReasonExpectation } from './types.js';

/** The unsigned matcher that goes with each action, for the "no JWT in this option" pointer. */
const UNSIGNED_MATCHER: Record<Action, string> = {
  APPROVE: 'toBeApproval',
  REJECT: 'toBeRejection',
  RETRY: 'toBeRetry',
  IGNORE: 'toBeIgnore',
};

export interface ActionExpectation {
  matcherName: string;
  action: Action;
  /** True for the `toBeSigned*` family: a JWT option, and the signature really verified. */
  signed: boolean;
  /** REJECT only: the exact rejectionReason or a pattern it must match. */
  reason?: unknown;
}

/**
 * Why `result` is not the expected decision: failed checks, a signature that was not verified
 * (signed matchers), a plain-JSON option (signed matchers), the wrong action, the wrong reason.
 * Empty when it is.
 */
function problemsWith(ctx: MatcherContext, result: CallbackResult, e: ActionExpectation & { reason?: string | RegExp }): string[] {
  const u = ctx.utils;
  const problems: string[] = [];
  if (e.signed && !isJwtOption(result)) {
    problems.push(
      `Not a JWT option: ${optionLabel(result)} exchanges plain JSON, so the response carries no signature to check\n` +
        `  hint: use ${UNSIGNED_MATCHER[e.action]}() instead: toBeApproval(), toBeRejection(), toBeRetry() and toBeIgnore() work in every option`,
    );
  }
  problems.push(...failedChecks(result).map((c) => checkFailure(c, result)));
  if (e.signed && isJwtOption(result)) {
    // A skipped signature check that was not blocked by an earlier failure means nothing was verified.
    for (const c of result.checks) {
      if ((c.id === 'jwt-alg' || c.id === 'jwt-signature') && c.status === 'skip' && c.reason !== 'blocked') {
        problems.push(
          `Not checked: ${c.id}: ${c.message ?? c.reason ?? 'skipped'}\n` +
            '  hint: give createCosigner the handler public key (handlerPublicKey, or a kit) so the signature is verified',
        );
      }
    }
  }
  const action = result.decision.action;
  if (action !== e.action && (typeof action === 'string' || problems.length === 0)) {
    problems.push(`Wrong action: expected ${u.printExpected(e.action)}, the handler answered ${action === undefined ? 'no action' : u.printReceived(action)}`);
  }
  if (e.reason !== undefined && !reasonMatches(result.decision.rejectionReason, e.reason)) {
    const got = result.decision.hasRejectionReason ? u.printReceived(result.decision.rejectionReason) : 'none';
    const how = typeof e.reason === 'string' ? 'to be' : 'to match';
    problems.push(`Wrong rejectionReason: expected it ${how} ${u.printExpected(e.reason)}, received ${got}`);
  }
  return problems;
}

/**
 * The body of the eight action matchers (`toBeSignedApproval` … `toBeIgnore`).
 *
 * Plain form: every check passed and the handler answered `action` (and, for the signed ones, a
 * JWT option whose signature was verified; for REJECT with a `reason`, a rejectionReason that
 * matches it).
 *
 * Negated form (`.not.toBeX()`, `expect.not.toBeX()`): the handler's decision was READ (a
 * complete 200 answer whose body decoded to claims with a string `action`, verified or not)
 * and it is not X. A failed check never makes `.not` pass: a handler that answers IGNORE at the
 * signing stage fails `.not.toBeIgnore()`, since it did answer IGNORE. An answer that could not
 * be read (transport failure, non-200, undecodable body) fails both forms, saying why.
 *
 * This reads `ctx.isNot`, a stated exception to the style guide's "never flip `pass` for
 * `.not`": `.not` cannot be the complement of the plain form, because both must fail on an
 * unreadable answer. vitest still decides (it fails when `pass === isNot`), so under `.not`
 * this returns `pass: true` exactly when the negation must fail. The asymmetric matchers get
 * the same `isNot` (vitest 4 builds their context with `isNot: this.inverse` and then inverts
 * `pass`), so `expect.not.toBeX()` inside `toEqual` means the same as `.not.toBeX()`.
 *
 * @example
 * export function toBeRetry(this: MatcherState, received: unknown) {
 *   return matchAction(this, received, { matcherName: 'toBeRetry', action: 'RETRY', signed: false });
 * }
 */
export function matchAction(ctx: MatcherContext, received: unknown, e: ActionExpectation): SyncExpectationResult {
  assertCallbackResult(received, e.matcherName);
  assertReasonArgument(e.reason, e.matcherName, true);
  const reason = e.reason;
  const kind = e.signed ? `a signed ${e.action}` : withArticle(e.action);
  const what = reason === undefined ? kind : `${kind} with a rejectionReason ${typeof reason === 'string' ? 'of' : 'matching'} ${printArgument(reason)}`;
  const text = {
    matcherName: e.matcherName,
    argument: reason === undefined ? '' : printArgument(reason),
    expectedAction: e.action,
    ...(reason !== undefined ? { expectedReason: reason } : {}),
  };
  if (ctx.isNot) {
    const { negationHolds, notProblems } = negation(ctx, received, e, reason, what);
    // `pass: true` makes vitest fail the negated assertion (see the comment above).
    return toResult(ctx, received, !negationHolds, { ...text, problems: [], notProblems });
  }
  const problems = problemsWith(ctx, received, { ...e, reason });
  return toResult(ctx, received, problems.length === 0, { ...text, problems, notProblems: [] });
}

/** Whether `.not.toBeX()` holds (a decision was read and is not X), and why not when it does not. */
function negation(
  ctx: MatcherContext,
  result: CallbackResult,
  e: ActionExpectation,
  reason: ReasonExpectation | undefined,
  what: string,
): { negationHolds: boolean; notProblems: string[] } {
  const u = ctx.utils;
  const decision = readDecision(result);
  const failed = failedChecks(result);
  const name = `.not.${e.matcherName}()`;
  if (!decision.read) {
    const first = failed[0];
    const tryInstead = first ? `toFailCheck('${first.id}')` : 'toPassAllChecks()';
    return {
      negationHolds: false,
      notProblems: [
        `Expected the response not to be ${what}, but no decision was read: ${decision.why}`,
        `  hint: ${name} passes only on a decision that was read and is not ${withArticle(e.action).replace(/^an? /, '')}; an unreadable answer fails both forms. To test a broken answer, assert it: ${tryInstead}${result.response && result.response.status !== 200 ? ` or toHaveStatus(${result.response.status})` : ''}`,
        ...(failed.length > 0 ? ['', ...failed.map((c) => checkFailure(c, result))] : []),
      ],
    };
  }
  const isX = decision.action === e.action && (reason === undefined || reasonMatches(result.decision.rejectionReason, reason));
  if (!isX) return { negationHolds: true, notProblems: [] };
  if (failed.length === 0 && (!e.signed || isJwtOption(result))) {
    return { negationHolds: false, notProblems: [`Expected the response not to be ${what}, but every check passed:`] };
  }
  const withReason = reason === undefined ? '' : ` with rejectionReason ${u.printReceived(result.decision.rejectionReason)}`;
  const why = failed.length > 0 ? 'a failed check does not make it another decision' : `${optionLabel(result)} has no signature, but the decision is ${e.action} all the same`;
  return {
    negationHolds: false,
    notProblems: [
      `Expected the response not to be ${what}, but the handler answered ${u.printReceived(decision.action)}${withReason}: ${why}`,
      failed[0]
        ? `  hint: ${name} asks about the decision only; to prove a broken ${e.action} is caught, assert the check: toFailCheck('${failed[0].id}')`
        : `  hint: ${name} asks about the decision only, so in a plain-JSON option it means the same as .not.${UNSIGNED_MATCHER[e.action]}()`,
      ...(failed.length > 0 ? ['', ...failed.map((c) => checkFailure(c, result))] : []),
    ],
  };
}
