/**
 * The handler in-process, sent single requests with the cosigner-sim library and judged with its
 * vitest matchers: `createHandler(kit)` (what `cosigner-sim --handler src/handler.js` loads) served
 * over HTTPS with the certificate each option needs, the risk API a local mock (test/risk-mock.js).
 */
import { createServer } from 'node:https';
import { createCosigner, generateKit } from 'cosigner-sim';
import { startTarget } from 'cosigner-sim/targets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../src/handler.js';
import { startRiskMock } from './risk-mock.js';

/** What cosigner-sim gives createHandler, built from a generated kit. */
function handlerKit(kit, option) {
  return {
    option,
    paths: { tx: '/v2/tx_sign_request', config: '/v2/config_change_sign_request' },
    cosignerPublicKeys: [kit.cosigner.publicKey],
    handlerPrivateKey: kit.handler.privateKey,
  };
}

/** Option 4 serves the certificate the Co-signer pins; option 1 one a CA signed (here the kit's Root CA). */
function serve(listener, kit, option) {
  const cert = option === 4 ? kit.pinned : kit.leaf;
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, listener);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.each([4, 1])('the Express handler under option %i', (option) => {
  let kit, risk, server, target, cosigner;
  beforeAll(async () => {
    kit = await generateKit();
    risk = await startRiskMock();
    // 1 s, not the default 5 s, so the slow-API test is quick; the mock answers "risk-slow" after 8 s.
    server = await serve(createHandler(handlerKit(kit, option), { RISK_URL: risk.url, RISK_TIMEOUT_MS: '1000' }), kit, option);
    // A handler you started yourself is a URL target: option 1 trusts the public roots only, so the
    // kit's test Root CA is named as an extra CA (what --ca does), never trusted silently.
    target = await startTarget({ kind: 'url', url: `https://127.0.0.1:${server.address().port}`, option }, { kit, ...(option === 1 ? { ca: kit.rootCa.certPem } : {}) });
    cosigner = createCosigner(target, { seed: 1 });
  });
  afterAll(async () => {
    await cosigner?.close();
    await target?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done()));
    await risk?.close();
  });

  it('approves a small transfer, signed with the handler key', async () => {
    const res = await cosigner.sendTx({ payload: { asset: 'ETH', amountStr: '0.5' } });
    expect(res).toBeSignedApproval();
    expect(res).toBeSignedBy(kit.handler.publicKeyPem);
    expect(res).toRespondWithin(2_000);
    // The risk API was asked about this very request.
    expect(risk.calls.at(-1)).toMatchObject({ kind: 'tx', requestId: res.request.requestId, asset: 'ETH' });
  });

  it('rejects what the risk API scores 50 or more, and says why', async () => {
    const res = await cosigner.sendTx({ payload: { asset: 'ETH', amountStr: '250000' } });
    expect(res).toBeSignedRejection(/risk score 80 is at or above 50/);
  });

  it('answers RETRY when the risk API is down', async () => {
    expect(await cosigner.sendTx({ payload: { externalTxId: 'risk-down' } })).toBeSignedRetry();
  });

  it('answers RETRY when the risk API is slower than RISK_TIMEOUT_MS, long before the deadline', async () => {
    const res = await cosigner.sendTx({ payload: { externalTxId: 'risk-slow' } });
    expect(res).toBeSignedRetry();
    expect(res).toRespondWithin(2_500);
  });

  it('echoes requestId, not txId, for a batched transaction', async () => {
    expect(await cosigner.sendTx({ batched: true })).toEchoRequestId();
  });

  it('decides a configuration change', async () => {
    expect(await cosigner.sendConfigChange({ type: 'UNMANAGED_WALLET' })).toBeSignedApproval();
  });

  it('reads the body whatever the Content-Type, or without one', async () => {
    for (const contentType of ['application/jwt', 'application/json', 'none']) {
      expect(await cosigner.sendTx({ contentType })).toBeSignedApproval();
    }
  });

  it('refuses a request signed with another key, without asking the risk API', async () => {
    const before = risk.calls.length;
    expect(await cosigner.sendTx({ signWith: kit.handler.privateKeyPem })).toBeRefused();
    expect(risk.calls.length).toBe(before);
  });

  it('answers 404 on a path the Co-signer never calls, and 405 to a GET', async () => {
    expect(await cosigner.sendTx({ path: '/tx_sign_request' })).toHaveStatus(404);
    const res = await fetchGet(`${target.url}/v2/tx_sign_request`, kit, option);
    expect(res).toBe(405);
  });
});

/** A GET over the same TLS trust (node:https, the kit's certificate as the only CA). */
async function fetchGet(url, kit, option) {
  const { request } = await import('node:https');
  const ca = option === 4 ? kit.pinned.certPem : kit.rootCa.certPem;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}
