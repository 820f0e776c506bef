import type { Warning } from '../protocol/types.js';
import { COSIGNER_DEADLINE_MS, effectiveDeadlineMs, type CheckInput } from './context.js';

/**
 * Every warning id an exchange can carry (the README's warnings table lists the same ones; a
 * test holds them equal). `plain-http` is raised by the client, `override-type-unknown` by the
 * request builder (protocol/field-types.ts), `upstream-unused` by the module target (targets/upstream.ts),
 * `profile-unconfirmed` by the client (an option the `--profile` may not offer [U]), the others below.
 * `--accept-warning <id>` takes these and the conformance probe ids.
 */
export const WARNING_IDS = ['plain-http', 'response-exp-past', 'reason-on-approve', 'slow-response', 'override-type-unknown', 'upstream-unused', 'timeout-above-cosigner', 'profile-unconfirmed'] as const;
export type WarningId = (typeof WARNING_IDS)[number];

/**
 * Things worth knowing that never change a verdict on their own (with `--strict` the CLI fails
 * on them). Each has a stable id.
 */
export function collectWarnings(input: CheckInput): Warning[] {
  const { result, claims, timeoutMs } = input;
  const deadline = effectiveDeadlineMs(input);
  const limit = input.cosignerLimitMs ?? COSIGNER_DEADLINE_MS;
  const warnings: Warning[] = [];
  if (timeoutMs > limit) {
    warnings.push({
      id: 'timeout-above-cosigner',
      message: `--timeout ${timeoutMs} ms is above the Co-signer's ${limit} ms: the real Co-signer would have given up sooner`,
      hint: 'the simulator waits that long only to show how late an answer is; an answer after 30 s still fails deadline. Use --timeout 30s or less',
    });
  }
  if (claims) {
    const exp = claims.exp;
    if (typeof exp === 'number' && exp * 1000 < Date.now()) {
      warnings.push({
        id: 'response-exp-past',
        message: `the response JWT's exp (${new Date(exp * 1000).toISOString()}) is in the past`,
        hint: 'the Co-signer is not known to check exp [protocol.md §3], but a later version might: drop exp or set it in the future',
      });
    }
    if (claims.action === 'APPROVE' && typeof claims.rejectionReason === 'string' && claims.rejectionReason !== '') {
      warnings.push({ id: 'reason-on-approve', message: 'an APPROVE carries a non-empty rejectionReason', hint: 'send rejectionReason only with REJECT, so audit logs read right' });
    }
  }
  const total = result.timings.totalMs;
  // Past the deadline the deadline check fails: a warning on top would say it twice.
  if (!result.transportFailure && total > deadline / 2 && total <= deadline) {
    warnings.push({
      id: 'slow-response',
      message: `the answer took ${Math.round(total)} ms, more than half of the ${deadline} ms deadline`,
      hint: 'a handler that needs long should answer RETRY and decide on a later call',
    });
  }
  return warnings;
}
