/**
 * answer(): the reference handler's pipeline with no socket at all (no server is started in
 * this file), as the zoo, an in-process module target and matcher tests use it.
 */
import { compactVerify, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../keys/generate.js';
import { sharedKit } from '../../test/support/shared-kit.js';
import { kitCosigners, type Kit } from '../keys/types.js';
import { answer, HandlerHttpError } from './handler.js';
import { createPolicyState } from './policy.js';
import { ALLOWED, REQUEST_ID, signRequest, txPayload } from '../../test/fixtures/reference/requests.js';

let kit: Kit;
beforeAll(async () => {
  kit = await sharedKit();
});

describe('answer() without a transport', () => {
  it('verifies a JWT request and answers a signed APPROVE (option 4)', async () => {
    const a = await answer('tx_sign_request', signRequest(txPayload(), kit.cosigner.privateKey), { option: 4, kit });
    expect(a.status).toBe(200);
    expect(a.headers).toEqual({ 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(a.body)) });
    expect(decodeProtectedHeader(a.body)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const { payload } = await compactVerify(a.body, kit.handler.publicKey);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ action: 'APPROVE', requestId: REQUEST_ID });
    expect(a.context).toMatchObject({ option: 4, endpoint: 'tx_sign_request', stage: 'signing', requestId: REQUEST_ID });
    expect(a.context?.req).toBeUndefined();
  });

  it('trusts every kit Co-signer key: Co-signer 2 verifies, and Co-signer 1 alone refuses it', async () => {
    const second = kitCosigners(kit)[1]!;
    const a = await answer('tx_sign_request', signRequest(txPayload(), second.privateKey), { option: 4, kit });
    expect(a.status).toBe(200);
    const onlyFirst = await answer('tx_sign_request', signRequest(txPayload(), second.privateKey), { option: 4, kit: { ...kit, cosigners: [kit.cosigner] } });
    expect(onlyFirst.status).toBe(401);
  });

  it('answers plain JSON in a JSON option, with rejectionReason on REJECT (option 2)', async () => {
    const body = JSON.stringify(txPayload({ destinations: [{ amountUSD: 250_000, dstType: 'UNMANAGED', dstAddress: ALLOWED }] }));
    const a = await answer('tx_sign_request', `  ${body}\n`, { option: 2, kit });
    expect(a).toMatchObject({ status: 200, headers: { 'Content-Type': 'application/json' } });
    expect(JSON.parse(a.body)).toMatchObject({ action: 'REJECT', requestId: REQUEST_ID, rejectionReason: expect.stringMatching(/exceeds the limit/) });
  });

  it('turns refusals into their status and an {"error"} body, never a throw', async () => {
    const other = await generateRsaKeyPair();
    const forged = await answer('tx_sign_request', signRequest(txPayload(), other.privateKey), { option: 5, kit });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).error).toMatch(/does not verify with the Co-signer public key/);
    expect(forged.context).toBeUndefined();
    expect((await answer('tx_sign_request', 'not json', { option: 3, kit })).status).toBe(400);
    expect((await answer('tx_sign_request', '{"action":"x"}', { option: 3, kit })).body).toBe('{"error":"requestId is missing or not a string"}');
  });

  it('runs the hooks: parse, decide, claims, encode; a thrown HandlerHttpError keeps its status, anything else is 500', async () => {
    const a = await answer('config_change_sign_request', 'anything', {
      option: 1,
      kit,
      hooks: {
        parse: (body, setup) => ({ requestId: 'r-1', seen: body, endpoint: setup.endpoint, hasReq: setup.req !== undefined }),
        decide: (ctx) => ({ action: 'IGNORE', rejectionReason: ctx.payload['endpoint'] }),
        claims: (claims, ctx) => ({ ...claims, hasReq: ctx.payload['hasReq'] }),
        encode: (claims) => JSON.stringify(claims),
      },
    });
    expect(JSON.parse(a.body)).toEqual({ action: 'IGNORE', requestId: 'r-1', rejectionReason: 'config_change_sign_request', hasReq: false });
    const teapot = await answer('tx_sign_request', '', { option: 2, kit, hooks: { parse: () => { throw new HandlerHttpError(418, 'short and stout'); } } });
    expect(teapot).toMatchObject({ status: 418, body: '{"error":"short and stout"}' });
    const crash = await answer('tx_sign_request', '', { option: 2, kit, hooks: { parse: () => { throw new TypeError('boom'); } } });
    expect(crash).toMatchObject({ status: 500, body: '{"error":"boom"}' });
  });

  it('remembers re-sends in a shared policy state (RETRY, then a decision), and forgets without one', async () => {
    const body = JSON.stringify(txPayload({ externalTxId: 'csim-retry-1' }));
    const state = createPolicyState();
    const first = await answer('tx_sign_request', body, { option: 3, kit, state });
    const second = await answer('tx_sign_request', body, { option: 3, kit, state });
    expect([JSON.parse(first.body).action, JSON.parse(second.body).action]).toEqual(['RETRY', 'APPROVE']);
    const fresh = await answer('tx_sign_request', body, { option: 3, kit });
    expect(JSON.parse(fresh.body).action).toBe('RETRY');
  });
});
