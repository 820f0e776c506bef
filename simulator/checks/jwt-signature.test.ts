/**
 * `jwt-signature` tells the key size from the signature's length: a handler that signs with an
 * RSA-4096 key (a 512-byte signature) hears that, not only "does not verify". Real keys, real
 * TLS: the reference handler signs its answer with a 4096-bit key made once here (~1 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../client/cosigner.js';
import { base64url, signCompactJws } from '../codec/jws.js';
import { cachedKit, generateRsaKeyPair } from '../keys/generate.js';
import type { KeyPairMaterial, Kit } from '../keys/types.js';
import type { CallbackResult } from '../protocol/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../reference/handler.js';
import { explainExchange, renderFailedCheckLines } from '../report/explain.js';

let kit: Kit;
let rsa4096: KeyPairMaterial;
const started: StartedReferenceHandler[] = [];
beforeAll(async () => {
  [kit, rsa4096] = await Promise.all([cachedKit('jwt-signature'), generateRsaKeyPair(4096)]);
}, 60_000);
afterAll(() => Promise.all(started.map((h) => h.close())));

async function sendSignedWith(encode: (claims: Record<string, unknown>) => string): Promise<CallbackResult> {
  const h = await startReferenceHandler({ option: 4, kit, hooks: { encode } });
  started.push(h);
  return createCosigner({ url: h.url, option: 4, kit }).sendTx();
}

const signatureCheck = (res: CallbackResult) => res.checks.find((c) => c.id === 'jwt-signature')!;
const RS256 = '{"alg":"RS256","typ":"JWT"}';

describe('jwt-signature reads the key size from the signature length', () => {
  it('a response signed with a real RSA-4096 key: "signed with a 4096-bit key; the Co-signer supports only RSA-2048"', async () => {
    const res = await sendSignedWith((claims) => signCompactJws(JSON.stringify(claims), rsa4096.privateKey, RS256));
    expect(Buffer.from(res.response!.body.split('.')[2]!, 'base64url')).toHaveLength(512);
    const check = signatureCheck(res);
    expect(check).toMatchObject({
      status: 'fail',
      message: 'response JWT does not verify: it is signed with a 4096-bit key (a 512-byte signature); the Co-signer supports only RSA-2048',
      expected: '256-byte signature (RSA-2048)',
      received: '512-byte signature',
    });
    expect(check.hint).toContain('RSA-2048');
    // Before: only "response JWT does not verify with the handler public key (RS256)".
    expect(check.message).not.toContain('with the handler public key');
    expect(renderFailedCheckLines(explainExchange(res).failed)[0]).toBe(`✗ jwt-signature: ${check.message}`);
  });

  it('a 256-byte signature by another RSA-2048 key keeps the plain "does not verify"', async () => {
    const res = await sendSignedWith((claims) => signCompactJws(JSON.stringify(claims), kit.cosigner.privateKey, RS256));
    expect(signatureCheck(res)).toMatchObject({ status: 'fail', message: 'response JWT does not verify with the handler public key (RS256)' });
  });

  it('a length that is no RSA key size says the signature was cut or padded', async () => {
    const res = await sendSignedWith((claims) => {
      const [h, p, s] = signCompactJws(JSON.stringify(claims), kit.handler.privateKey, RS256).split('.');
      return `${h}.${p}.${base64url(Buffer.from(s!, 'base64url').subarray(0, 200))}`;
    });
    expect(signatureCheck(res)).toMatchObject({ status: 'fail', message: 'response JWT does not verify: its signature is 200 bytes, where RS256 with an RSA-2048 key gives 256', received: '200-byte signature' });
  });

  it('the handler key itself still passes', async () => {
    const res = await sendSignedWith((claims) => signCompactJws(JSON.stringify(claims), kit.handler.privateKey, RS256));
    expect(signatureCheck(res).status).toBe('pass');
  });
});
