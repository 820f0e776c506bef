import { beforeAll, describe, expect, it } from 'vitest';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { failureOf } from '../test/fixtures/matchers/messages.js';
import { recorded, recordingKeys, type RecordingKeys } from '../test/fixtures/matchers/recorded.js';
import './vitest.js';

describe('toBeSignedBy', () => {
  let kit: RecordingKeys;
  let approve: CallbackResult;
  let wrongKey: CallbackResult;
  let algNone: CallbackResult;
  let json: CallbackResult;
  beforeAll(async () => {
    kit = recordingKeys();
    [approve, wrongKey, algNone, json] = await Promise.all([
      recorded({ option: 4 }),
      recorded({ option: 4, answer: 'wrong-signing-key' }),
      recorded({ option: 4, answer: 'alg-none' }),
      recorded({ option: 3 }),
    ]);
  });

  it('passes with the handler public key as a KeyObject or as PEM', () => {
    expect(approve).toBeSignedBy(kit.handler.publicKey);
    expect(approve).toBeSignedBy(kit.handler.publicKeyPem);
  });

  it('fails when the handler signs with another key, and names which key did sign', () => {
    expect(failureOf(() => expect(wrongKey).toBeSignedBy(kit.handler.publicKey))).toMatch(/to verify with the key passed \(rsa 2048 key, SPKI sha256:<key>\), but it does not/);
    expect(wrongKey).toBeSignedBy(kit.cosigner.publicKey);
  });

  it('fails an unsigned (alg none) token and a plain-JSON option', () => {
    expect(failureOf(() => expect(algNone).toBeSignedBy(kit.handler.publicKey))).toMatch(/Expected alg "RS256", received "none"/);
    expect(failureOf(() => expect(json).toBeSignedBy(kit.handler.publicKey))).toMatch(/Not a JWT option/);
  });

  it('.not passes when the signature does not verify with the key', () => {
    expect(wrongKey).not.toBeSignedBy(kit.handler.publicKey);
    expect(approve).not.toBeSignedBy(kit.cosigner.publicKeyPem);
  });

  it('.not fails when the signature verifies, with its own wording and no PEM in it', () => {
    const message = failureOf(() => expect(approve).not.toBeSignedBy(kit.handler.publicKeyPem));
    expect(message).not.toContain('BEGIN');
    expect(message).toMatchSnapshot();
  });

  it('names the key without printing it', () => {
    const message = failureOf(() => expect(wrongKey).toBeSignedBy(kit.handler.publicKey));
    expect(message).not.toContain('BEGIN');
    expect(message).toMatchSnapshot();
  });

  it('shows the decoded header of an unsigned token', () => {
    expect(failureOf(() => expect(algNone).toBeSignedBy(kit.handler.publicKey))).toMatchSnapshot();
  });

  it('works as an asymmetric matcher and with expect.soft', () => {
    expect({ res: approve }).toEqual({ res: expect.toBeSignedBy(kit.handler.publicKey) });
    expect.soft(approve).toBeSignedBy(kit.handler.publicKey);
  });

  it('refuses something that is not a public key', () => {
    expect(() => expect(approve).toBeSignedBy('not a key')).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => expect(approve).toBeSignedBy(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});
