import { DEFAULT_PROFILE, illegalAction, resolveProfile } from '../protocol/profiles.js';
import { ACTIONS } from '../protocol/types.js';
import { blocked, fail, pass, type Check } from './context.js';

const REQUIRED = ['action', 'requestId'] as const;

function findMisspelled(claims: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(claims).find((k) => k !== name && k.toLowerCase().replace(/[_-]/g, '') === name.toLowerCase());
}

/**
 * `response-shape`: `action` and `requestId` present, spelled exactly so (claim names are
 * case-sensitive [protocol.md §3]), and strings. Extra claims (`iat`, `exp`, `txId`, …) are fine.
 */
export const responseShapeCheck: Check = {
  id: 'response-shape',
  run({ claims }, prior) {
    if (prior.get('body-format')?.status !== 'pass' || !claims) return blocked('response-shape', 'body-format');
    for (const name of REQUIRED) {
      const value = claims[name];
      if (value === undefined) {
        const wrong = findMisspelled(claims, name);
        return fail(
          'response-shape',
          'missing',
          wrong ? `"${name}" is missing (found "${wrong}")` : `"${name}" is missing`,
          wrong ? `claim names are case-sensitive: rename "${wrong}" to "${name}"` : `answer with {"action": …, "requestId": …}`,
          { expected: name, received: Object.keys(claims) },
        );
      }
      if (typeof value !== 'string') {
        return fail('response-shape', 'invalid', `"${name}" must be a string, got ${value === null ? 'null' : typeof value}`, `send "${name}" as a JSON string`, { received: value });
      }
    }
    return pass('response-shape');
  },
};

/** `request-id`: the response echoes the request's `requestId` (not `txId`: they differ for batches). */
export const requestIdCheck: Check = {
  id: 'request-id',
  run({ result, claims }, prior) {
    if (prior.get('body-format')?.status !== 'pass' || !claims) return blocked('request-id', 'body-format');
    const received = claims.requestId;
    if (typeof received !== 'string') return blocked('request-id', 'response-shape');
    const expected = result.request.requestId;
    if (received === expected) return pass('request-id');
    const echoedTxId = result.request.txId !== undefined && received === result.request.txId;
    return fail(
      'request-id',
      'mismatch',
      echoedTxId ? 'the response echoes txId instead of requestId' : 'the response requestId is not the request\'s requestId',
      echoedTxId
        ? 'echo payload.requestId: for batched transactions it carries a suffix that txId lacks [protocol.md §4.1]'
        : 'copy requestId from the request you are answering into the response',
      { expected, received },
    );
  },
};

/**
 * `action`: APPROVE, REJECT or RETRY; IGNORE only at the approval stage [protocol.md §0.5 rule 5];
 * and an answer the simulated Co-signer version honours (RETRY before sgx@3.6.5 fails the request,
 * reason `not-honoured` [protocol.md §14.1]).
 */
export const actionCheck: Check = {
  id: 'action',
  run({ result, claims, profile }, prior) {
    if (prior.get('body-format')?.status !== 'pass' || !claims) return blocked('action', 'body-format');
    const action = claims.action;
    if (typeof action !== 'string') return blocked('action', 'response-shape');
    if (!(ACTIONS as readonly string[]).includes(action)) {
      const upper = action.toUpperCase();
      return fail(
        'action',
        'invalid',
        `action ${JSON.stringify(action)} is not one of ${ACTIONS.join(', ')}`,
        (ACTIONS as readonly string[]).includes(upper) ? `actions are upper-case: send "${upper}"` : `send one of ${ACTIONS.join(', ')}`,
        { expected: ACTIONS, received: action },
      );
    }
    if (action === 'IGNORE' && result.request.stage === 'signing') {
      return fail('action', 'invalid', 'IGNORE at the signing stage', 'IGNORE is for approval requests only; at the signing stage answer APPROVE, REJECT or RETRY', { expected: ['APPROVE', 'REJECT', 'RETRY'], received: action });
    }
    const illegal = illegalAction(profile ?? resolveProfile(DEFAULT_PROFILE), action, result.request.payload);
    if (illegal !== undefined) {
      return fail('action', 'not-honoured', illegal.message, illegal.hint, { expected: ['APPROVE', 'REJECT'], received: action });
    }
    return pass('action', { received: action });
  },
};

/** `rejection-reason`: absent, null or a string (`""` too: real handlers send it [protocol.md §13.3]). */
export const rejectionReasonCheck: Check = {
  id: 'rejection-reason',
  run({ claims }, prior) {
    if (prior.get('body-format')?.status !== 'pass' || !claims) return blocked('rejection-reason', 'body-format');
    const reason = claims.rejectionReason;
    if (reason === undefined || reason === null || typeof reason === 'string') return pass('rejection-reason');
    return fail('rejection-reason', 'invalid', `rejectionReason must be a string when present, got ${Array.isArray(reason) ? 'an array' : typeof reason}`, 'send a short text (it goes to the audit log), or leave it out', { received: reason });
  },
};
