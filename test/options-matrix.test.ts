/**
 * The five-option matrix, end to end over real TLS on 127.0.0.1 against the reference handler:
 * both endpoints, both stages, every action the reference policy gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner, type Cosigner } from '../simulator/client/cosigner.js';
import { sharedKit } from './support/shared-kit.js';
import { SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS } from '../simulator/protocol/options.js';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';

function expectAllChecksPass(res: CallbackResult): void {
  const failed = res.checks.filter((c) => c.status === 'fail');
  expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
  expect(res.ok).toBe(true);
}

for (const option of SECURITY_OPTION_NUMBERS) {
  describe(`option ${option} (${SECURITY_OPTIONS[option].label})`, () => {
    let handler: StartedTarget;
    let cosigner: Cosigner;
    beforeAll(async () => {
      const kit = await sharedKit();
      handler = await startTarget({ kind: 'reference', option, kit, basePath: '/fireblocks/cb' });
      cosigner = createCosigner(handler, { seed: 42 });
    });
    afterAll(() => handler?.close());

    it('sends to the right path for the option, with the right body form', async () => {
      const res = await cosigner.sendTx();
      const jwt = SECURITY_OPTIONS[option].messageLayer === 'jwt';
      expect(new URL(res.request.url).pathname).toBe(jwt ? '/fireblocks/cb/v2/tx_sign_request' : '/fireblocks/cb/tx_sign_request');
      if (jwt) expect(res.request.body.startsWith('eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.')).toBe(true);
      else expect(JSON.parse(res.request.body).requestId).toBe(res.request.requestId);
      expect(res.checks.find((c) => c.id === 'tls')?.status).toBe('pass');
      expect(res.peerCertificate?.fingerprint256).toMatch(/^[0-9A-F:]+$/);
      expectAllChecksPass(res);
    });

    it('approves a small transfer at the signing stage', async () => {
      const res = await cosigner.sendTx({ stage: 'signing' });
      expectAllChecksPass(res);
      expect(res.decision).toMatchObject({ action: 'APPROVE', requestId: res.request.requestId });
    });

    it('approves a small transfer at the approval stage', async () => {
      const res = await cosigner.sendTx({ stage: 'approval' });
      expectAllChecksPass(res);
      expect(res.request.payload.fee).toBeUndefined();
      expect(res.decision.action).toBe('APPROVE');
    });

    it('rejects a transfer above the limit, with a reason', async () => {
      const res = await cosigner.sendTx({ payload: { asset: 'ETH', amountStr: '250000' } });
      expectAllChecksPass(res);
      expect(res.decision.action).toBe('REJECT');
      expect(String(res.decision.rejectionReason)).toMatch(/exceeds the limit/);
    });

    it('rejects a transfer to an address outside the allow-list', async () => {
      const res = await cosigner.sendTx({ destType: 'ONE_TIME_ADDRESS', payload: { destAddress: '0x000000000000000000000000000000000000dEaD', 'destinations.0.displayDstAddress': '0x000000000000000000000000000000000000dEaD', 'destinations.0.dstAddress': '0x000000000000000000000000000000000000dEaD' } });
      expectAllChecksPass(res);
      expect(res.decision.action).toBe('REJECT');
      expect(String(res.decision.rejectionReason)).toMatch(/allow-list/);
    });

    it('answers RETRY while asked to, then decides on the identical re-send', async () => {
      const first = await cosigner.sendTx({ payload: { externalTxId: 'csim-retry-2' } });
      expectAllChecksPass(first);
      expect(first.decision.action).toBe('RETRY');
      const second = await cosigner.resend(first);
      expect(second.request.body).toBe(first.request.body);
      expect(second.decision.action).toBe('RETRY');
      const third = await cosigner.resend(first);
      expectAllChecksPass(third);
      expect(third.decision.action).toBe('APPROVE');
    });

    it('echoes requestId, not txId, for a batched request', async () => {
      const res = await cosigner.sendTx({ batched: true });
      expect(res.request.requestId).not.toBe(res.request.payload.txId);
      expect(res.request.requestId.startsWith(String(res.request.payload.txId))).toBe(true);
      expectAllChecksPass(res);
      expect(res.decision.requestId).toBe(res.request.requestId);
    });

    it('approves a documented config change', async () => {
      const res = await cosigner.sendConfigChange({ type: 'UNMANAGED_WALLET' });
      expect(new URL(res.request.url).pathname).toMatch(/config_change_sign_request$/);
      expect(res.request.stage).toBe('approval');
      expectAllChecksPass(res);
      expect(res.decision.action).toBe('APPROVE');
    });

    it('ignores a config change of an unknown type (approval stage)', async () => {
      const res = await cosigner.sendConfigChange({ type: 'SOMETHING_NEW' });
      expectAllChecksPass(res);
      expect(res.decision.action).toBe('IGNORE');
    });
  });
}
