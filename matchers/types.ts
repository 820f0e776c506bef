import type { KeyObject } from 'node:crypto';
import type { CheckId } from '../simulator/protocol/types.js';

/** A `rejectionReason` expectation: the exact text, or a pattern the text must match. */
export type ReasonExpectation = string | RegExp;

/**
 * The cosigner-sim matchers, as `expect(result)` sees them. Every one takes the
 * `CallbackResult` that `cosigner.sendTx()` (or `sendConfigChange()`, `sendRaw()`, `resend()`)
 * resolved to, is synchronous, and works with `.not`, `expect.soft` and as an asymmetric matcher
 * (`expect.toBeSignedApproval()`).
 *
 * `.not` of an action matcher (`toBeApproval` … `toBeSignedIgnore`) means what it reads: the
 * handler's decision was read and it is not that action. A failed check never makes it pass, and
 * an answer with no decision to read (a transport failure, a non-200 status, an undecodable body)
 * fails both `.toBeX()` and `.not.toBeX()`. `.not.toHaveStatus()` and `.not.toBeRefused()` likewise
 * need an answer with a status. The README's matcher table lists every case.
 *
 * `R` is what a matcher returns: vitest 4 declares `interface Matchers<T = any>` and passes it on,
 * so `declare module 'vitest' { interface Matchers<T = any> extends CosignerMatchers<T> {} }`.
 */
export interface CosignerMatchers<R = unknown> {
  /**
   * A JWT option (1, 4, 5) answered APPROVE, and every check passed: TLS, status, body format,
   * alg RS256, a signature that verifies with the handler public key, shape and requestId.
   *
   * @example
   * expect(await cosigner.sendTx()).toBeSignedApproval();
   */
  toBeSignedApproval(): R;
  /**
   * Like {@link CosignerMatchers.toBeSignedApproval} for REJECT; `reason` is the exact
   * `rejectionReason` (a string) or a pattern it must match (a RegExp).
   *
   * @example
   * expect(await cosigner.sendTx({ payload: { amountStr: '250000' } })).toBeSignedRejection(/limit/);
   */
  toBeSignedRejection(reason?: ReasonExpectation): R;
  /**
   * Like {@link CosignerMatchers.toBeSignedApproval} for RETRY.
   *
   * @example
   * expect(await cosigner.sendTx({ payload: { externalTxId: 'csim-retry-1' } })).toBeSignedRetry();
   */
  toBeSignedRetry(): R;
  /**
   * Like {@link CosignerMatchers.toBeSignedApproval} for IGNORE (approval stage only).
   *
   * @example
   * expect(await cosigner.sendConfigChange({ type: 'SOMETHING_NEW' })).toBeSignedIgnore();
   */
  toBeSignedIgnore(): R;
  /**
   * Any option answered APPROVE and every check passed (the signature too, in the JWT options).
   *
   * @example
   * expect(await cosigner.sendTx()).toBeApproval();
   */
  toBeApproval(): R;
  /**
   * Any option answered REJECT and every check passed; `reason` as in `toBeSignedRejection`.
   *
   * @example
   * expect(res).toBeRejection('amount 250000.00 USD exceeds the limit of 100000 USD');
   */
  toBeRejection(reason?: ReasonExpectation): R;
  /**
   * Any option answered RETRY and every check passed.
   *
   * @example
   * expect(res).toBeRetry();
   */
  toBeRetry(): R;
  /**
   * Any option answered IGNORE and every check passed.
   *
   * @example
   * expect(res).toBeIgnore();
   */
  toBeIgnore(): R;
  /**
   * No check failed, whatever the action.
   *
   * @example
   * expect(res).toPassAllChecks();
   */
  toPassAllChecks(): R;
  /**
   * The check with this id failed: for tests of a deliberately broken handler.
   *
   * @example
   * expect(res).toFailCheck('jwt-signature');
   */
  toFailCheck(id: CheckId): R;
  /**
   * The response echoes the request's `requestId` (the `request-id` check passed).
   *
   * @example
   * expect(res).toEchoRequestId();
   */
  toEchoRequestId(): R;
  /**
   * The response is a compact JWS with alg RS256 whose signature verifies with this public key
   * (a KeyObject, or PEM text: SPKI, PKCS#1 or a certificate).
   *
   * @example
   * expect(res).toBeSignedBy(kit.handler.publicKey);
   */
  toBeSignedBy(publicKey: KeyObject | string): R;
  /**
   * The whole answer arrived within `ms` milliseconds (and without a transport failure).
   *
   * @example
   * expect(res).toRespondWithin(1_000);
   */
  toRespondWithin(ms: number): R;
  /**
   * The response carries a string `rejectionReason` equal to `reason` (a string) or matching it
   * (a RegExp), whatever the action.
   *
   * @example
   * expect(res).toHaveRejectionReason(/allow-list/);
   */
  toHaveRejectionReason(reason: ReasonExpectation): R;
  /**
   * The handler answered with this HTTP status (100 to 599), whatever the body; `.not` needs an
   * answer with another status (an exchange that broke off fails both forms).
   *
   * @example
   * expect(res).toHaveStatus(404);
   */
  toHaveStatus(status: number): R;
  /**
   * The handler refused the request: it answered 401 or 403, the two answers real handlers give
   * a forged request. `.not` needs an answer with another status.
   *
   * @example
   * expect(await cosigner.sendTx({ signWith: otherKeyPem })).toBeRefused();
   */
  toBeRefused(): R;
}
