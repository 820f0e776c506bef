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
  problems.push(...failedChecks(result).map(checkFailure));
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
 * The body of the eight action matchers (`toBeSignedApproval` … `toBeIgnore`): every check
 * passed and the handler answered `action` (and, for the signed ones, a JWT option whose
 * signature was verified).
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
  const problems = problemsWith(ctx, received, { ...e, reason });
  const kind = e.signed ? `a signed ${e.action}` : withArticle(e.action);
  const what = reason === undefined ? kind : `${kind} with a rejectionReason ${typeof reason === 'string' ? 'of' : 'matching'} ${printArgument(reason)}`;
  return toResult(ctx, received, problems.length === 0, {
    matcherName: e.matcherName,
    argument: reason === undefined ? '' : printArgument(reason),
    problems,
    notProblems: [`Expected the response not to be ${what}, but every check passed:`],
    expectedAction: e.action,
    ...(reason !== undefined ? { expectedReason: reason } : {}),
  });
}
