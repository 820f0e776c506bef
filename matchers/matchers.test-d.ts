/**
 * Type tests, checked by `tsc --noEmit` (the root tsconfig includes matchers/); vitest never runs
 * this file. They prove the `declare module 'vitest'` augmentation in vitest.ts types every
 * matcher on `expect(x)`, `expect.soft(x)`, `.not`, and the asymmetric `expect.x()`, and that a
 * wrong argument is a compile error.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CallbackResult, CheckId } from '../simulator/protocol/types.js';
import type { CosignerMatchers, ReasonExpectation } from './index.js';
import * as matchers from './index.js';
import './vitest.js';

declare const res: CallbackResult;
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('matcher types', () => {
  it('types every matcher on expect(result), .not and expect.soft', () => {
    expect(res).toBeSignedApproval();
    expect(res).toBeSignedRejection();
    expect(res).toBeSignedRejection(/limit/);
    expect(res).toBeSignedRejection('amount too high');
    expect(res).toBeSignedRetry();
    expect(res).toBeSignedIgnore();
    expect(res).toBeApproval();
    expect(res).toBeRejection(/limit/);
    expect(res).toBeRetry();
    expect(res).toBeIgnore();
    expect(res).toPassAllChecks();
    expect(res).toFailCheck('jwt-signature');
    expect(res).toEchoRequestId();
    expect(res).toBeSignedBy(publicKey);
    expect(res).toBeSignedBy('-----BEGIN PUBLIC KEY-----');
    expect(res).toRespondWithin(1_000);
    expect(res).toHaveRejectionReason(/allow-list/);
    expect(res).toHaveStatus(401);
    expect(res).toBeRefused();
    expect(res).not.toBeSignedApproval();
    expect(res).not.toBeIgnore();
    expect(res).not.toHaveStatus(200);
    expect(res).not.toBeRefused();
    expect.soft(res).toBeSignedRejection(/limit/);
    expect.soft(res).not.toFailCheck('tls');
  });

  it('types the asymmetric forms', () => {
    expect({ res }).toEqual({ res: expect.toBeSignedApproval() });
    expect({ res }).toEqual({ res: expect.not.toPassAllChecks() });
    expect([res]).toEqual([expect.toBeRejection(/limit/)]);
    expect({ res }).toEqual({ res: expect.not.toBeIgnore() });
    expect({ res }).toEqual({ res: expect.toBeRefused() });
    expect({ res }).toEqual({ res: expect.not.toHaveStatus(401) });
  });

  it('gives the parameters the documented types', () => {
    expectTypeOf(expect(res).toFailCheck).parameter(0).toEqualTypeOf<CheckId>();
    expectTypeOf(expect(res).toBeSignedRejection).parameter(0).toEqualTypeOf<ReasonExpectation | undefined>();
    expectTypeOf(expect(res).toHaveRejectionReason).parameter(0).toEqualTypeOf<string | RegExp>();
    expectTypeOf(expect(res).toBeSignedBy).parameter(0).toEqualTypeOf<KeyObject | string>();
    expectTypeOf(expect(res).toRespondWithin).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(expect(res).toHaveStatus).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(expect(res).toBeRefused).parameters.toEqualTypeOf<[]>();
    expectTypeOf<keyof CosignerMatchers>().toEqualTypeOf<keyof typeof matchers>();
  });

  it('rejects wrong arguments at compile time', () => {
    // @ts-expect-error a reason is a string or a RegExp, not a number
    expect(res).toBeSignedRejection(42);
    // @ts-expect-error not a check id
    expect(res).toFailCheck('no-such-check');
    // @ts-expect-error toFailCheck needs the id
    expect(res).toFailCheck();
    // @ts-expect-error toHaveRejectionReason needs a reason
    expect(res).toHaveRejectionReason();
    // @ts-expect-error a threshold is a number of milliseconds
    expect(res).toRespondWithin('1s');
    // @ts-expect-error a key is a KeyObject or PEM text
    expect(res).toBeSignedBy({ kty: 'RSA' });
    // @ts-expect-error a status is a number
    expect(res).toHaveStatus('401');
    // @ts-expect-error toHaveStatus needs the status
    expect(res).toHaveStatus();
    // @ts-expect-error toBeRefused takes no argument (it means 401 or 403)
    expect(res).toBeRefused(401);
    // @ts-expect-error toBeSignedApproval takes no argument
    expect(res).toBeSignedApproval('APPROVE');
    // @ts-expect-error the asymmetric form checks arguments too
    expect({ res }).toEqual({ res: expect.toFailCheck('signature') });
  });

  it('fits expect.extend', () => {
    expect.extend(matchers);
  });
});
