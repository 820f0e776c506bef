/**
 * The faithful wire mode against the ground truth: real Co-signer request JWTs. Replayed in
 * exact mode through the whole client (builder, serializer, signer), the header and payload
 * segments that go on the wire must equal the captured ones byte for byte (the signatures
 * differ: the Co-signer's private key was never published).
 */
import { createPublicKey, createVerify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { sharedKit } from './support/shared-kit.js';
import type { Kit } from '../simulator/keys/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';

// In-repo copies, with their public sources in the folder's README: tests read nothing outside the repo.
const FIXTURES = new URL('./fixtures/captured-requests/', import.meta.url);
const tokens = readdirSync(FIXTURES).filter((f) => f.endsWith('.jwt'));

let kit: Kit;
let handler: StartedReferenceHandler;
beforeAll(async () => {
  kit = await sharedKit();
  handler = await startReferenceHandler({ option: 4, kit });
});
afterAll(() => handler?.close());

describe('faithful wire mode reproduces captured Co-signer requests', () => {
  it('has fixtures to compare with', () => {
    expect(tokens.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of tokens) {
    it(`${file}: header and payload segments byte for byte`, async () => {
      const captured = readFileSync(new URL(file, FIXTURES), 'utf8').trim();
      const [header, payload] = captured.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
      const cosigner = createCosigner({ url: handler.url, option: 4, kit });
      const res = await cosigner.sendTx({ exact: true, payload: claims });
      const [sentHeader, sentPayload, sentSignature] = res.request.body.split('.');
      expect(sentHeader).toBe(header);
      expect(sentPayload).toBe(payload);
      // RS256 with a 2048-bit key: 256-byte signatures, as in the 2022 capture [protocol.md §3]
      // (the docs token's signature was replaced by zeros, so it cannot be compared).
      expect(Buffer.from(sentSignature!, 'base64url').length).toBe(256);
      expect(res.request.requestId).toBe(claims.requestId);
      // The reference handler verifies it with the kit's Co-signer key and answers correctly.
      expect(res.ok).toBe(true);
    });
  }

  it('goat-2024.jwt is a genuine Co-signer token: its signature verifies with the published key, and fails on a changed byte', () => {
    // The one capture whose Co-signer key was published beside it [protocol.md §14.4]; verifying it
    // proves the fixture is what a real Co-signer signed, not a reconstruction.
    const [header, payload, signature] = readFileSync(new URL('goat-2024.jwt', FIXTURES), 'utf8').trim().split('.');
    const key = createPublicKey(readFileSync(new URL('goat-2024.cosigner-public.pem', FIXTURES)));
    const verifies = (signingInput: string) =>
      createVerify('RSA-SHA256').update(signingInput).verify(key, Buffer.from(signature!, 'base64url'));
    expect(verifies(`${header}.${payload}`)).toBe(true);
    const tampered = `${payload!.slice(0, 40)}${payload![40] === 'A' ? 'B' : 'A'}${payload!.slice(41)}`;
    expect(verifies(`${header}.${tampered}`)).toBe(false);
  });

  it('a request built under latest goes on the wire in the 2024 capture\'s shape: every object\'s keys in its order [protocol.md §14.4]', async () => {
    // The capture's kind of request (approval, TRANSFER to a one-time address, a 2-TIER rule),
    // without the optional fields it lacks. Key paths in wire order, values aside.
    const keyPaths = (v: unknown, at = ''): string[] =>
      v !== null && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [`${at}${Array.isArray(v) ? '[]' : `.${k}`}`, ...keyPaths(x, `${at}${Array.isArray(v) ? '[]' : `.${k}`}`)])
        : [];
    const captured = JSON.parse(readFileSync(new URL('goat-2024.payload.json', FIXTURES), 'utf8')) as unknown;
    const cosigner = createCosigner({ url: handler.url, option: 4, kit });
    const res = await cosigner.sendTx({ stage: 'approval', destType: 'ONE_TIME_ADDRESS', policyAction: '2-TIER', unset: ['externalTxId', 'destinations.0.dstWalletId'] });
    const sent = JSON.parse(Buffer.from(res.request.body.split('.')[1]!, 'base64url').toString('utf8')) as unknown;
    expect(keyPaths(sent)).toEqual(keyPaths(captured));
    // Decimals with eight digits and amountStr unpadded, as captured.
    expect(Buffer.from(res.request.body.split('.')[1]!, 'base64url').toString('utf8')).toMatch(/"amount":0\.01000000,"amountStr":"0\.01","requestedAmount":0\.01000000,/);
    expect(res.ok).toBe(true);
  });

  it('plain mode prints ordinary JSON.stringify output', async () => {
    const cosigner = createCosigner({ url: handler.url, option: 2, kit, wireFormat: 'plain', seed: 3 });
    const res = await cosigner.sendTx({ payload: { amountStr: '0.01' } });
    expect(res.request.body).toBe(JSON.stringify(res.request.payload));
  });
});
