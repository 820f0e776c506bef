/**
 * Tests for a Callback Handler, written the way a handler author writes them. They run against
 * the reference handler out of the box; set HANDLER_URL (and OPTION, KIT_DIR or key paths, see
 * target.ts) to run the same tests against your own handler. The decisions asserted here are the
 * reference policy's (100 000 USD limit, allow-list): change them to your handler's policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, SIGNED, type Target } from './target.js';

describe('my Callback Handler', () => {
  let t: Target;
  beforeAll(async () => {
    t = await openTarget();
  });
  afterAll(() => t?.close());

  it('approves a small transfer', async () => {
    const res = await t.cosigner.sendTx();
    // JWT options (1, 4, 5) also prove the signature; toBeApproval() works in every option.
    if (SIGNED) expect(res).toBeSignedApproval();
    else expect(res).toBeApproval();
  });

  it('rejects a transfer over the limit, and says why', async () => {
    const res = await t.cosigner.sendTx({ payload: { amountStr: '250000' } });
    if (SIGNED) expect(res).toBeSignedRejection(/limit/);
    else expect(res).toBeRejection(/limit/);
    expect(res).toHaveRejectionReason(/exceeds the limit of 100000 USD/);
  });

  it('echoes requestId, not txId, for a batched transaction', async () => {
    expect(await t.cosigner.sendTx({ batched: true })).toEchoRequestId();
  });

  it('answers well within the 30 s the Co-signer waits', async () => {
    const res = await t.cosigner.sendTx({ stage: 'approval' });
    expect(res).toPassAllChecks();
    expect(res).toRespondWithin(5_000);
  });

  it('decides a configuration change', async () => {
    const res = await t.cosigner.sendConfigChange({ type: 'UNMANAGED_WALLET' });
    expect(res).toPassAllChecks();
    // Asymmetric forms fit into bigger structures:
    expect({ res }).toEqual({ res: expect.toBeApproval() });
  });

  it.runIf(SIGNED)('signs its answers with the handler key', async () => {
    // A JWT option cannot start without the handler public key (HANDLER_PUBLIC_KEY or KIT_DIR).
    expect(t.handlerPublicKey).toBeDefined();
    expect(await t.cosigner.sendTx()).toBeSignedBy(t.handlerPublicKey!);
  });

  it('checks several things at once with expect.soft', async () => {
    const res = await t.cosigner.sendTx();
    expect.soft(res).toPassAllChecks();
    expect.soft(res).toEchoRequestId();
    expect.soft(res).toRespondWithin(5_000);
  });
});

describe.skipIf(process.env.HANDLER_URL !== undefined)('a deliberately broken handler is caught', () => {
  let t: Target;
  beforeAll(async () => {
    // The reference handler with one defect: it leaves requestId out of its answers.
    t = await openTarget({ claims: (claims) => ({ action: claims.action }) });
  });
  afterAll(() => t?.close());

  it('fails response-shape when requestId is missing', async () => {
    const res = await t.cosigner.sendTx();
    expect(res).toFailCheck('response-shape');
    expect(res).not.toPassAllChecks();
    expect(res).not.toEchoRequestId();
  });
});
