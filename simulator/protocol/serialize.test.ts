import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRequestFactory } from './factory.js';
import { resolveProfile } from './profiles.js';
import { COSIGNER_JWT_HEADER, COSIGNER_JWT_HEADER_B64, DECIMAL_KEYS, serializePayload } from './serialize.js';

const FIXTURES = new URL('../../test/fixtures/captured-requests/', import.meta.url);
const payloadFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.payload.json')).sort();

describe('serializePayload: captured Co-signer payloads', () => {
  it('finds the captured payloads (skips none)', () => {
    expect(payloadFiles).toEqual(expect.arrayContaining(['docs-eth-2023.payload.json', 'mjw-2022.payload.json']));
  });

  for (const file of payloadFiles) {
    it(`reproduces ${file} byte for byte (exact mode, faithful)`, () => {
      const bytes = readFileSync(new URL(file, FIXTURES));
      const built = createRequestFactory({ seed: 1 }).tx({ exact: true, payload: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> });
      const wire = serializePayload(built.payload, 'faithful');
      expect(wire).toBe(bytes.toString('utf8'));
      expect(Buffer.from(wire, 'utf8').equals(bytes)).toBe(true);
      expect(built.requestId).toBe(built.txId); // requestId == txId in every capture [protocol.md §4.1]
    });

    it(`${file} is the payload segment of its JWT, whose header is COSIGNER_JWT_HEADER`, () => {
      const jwt = readFileSync(new URL(file.replace('.payload.json', '.jwt'), FIXTURES), 'utf8').trim();
      const [header, payload] = jwt.split('.');
      expect(header).toBe(COSIGNER_JWT_HEADER_B64);
      expect(Buffer.from(header ?? '', 'base64url').toString('utf8')).toBe(COSIGNER_JWT_HEADER);
      expect(Buffer.from(payload ?? '', 'base64url').equals(readFileSync(new URL(file, FIXTURES)))).toBe(true);
    });
  }
});

describe('COSIGNER_JWT_HEADER', () => {
  it('is exactly {"typ":"JWT","alg":"RS256"} (typ first, no spaces)', () => {
    expect(COSIGNER_JWT_HEADER).toBe('{"typ":"JWT","alg":"RS256"}');
    expect(Buffer.from(COSIGNER_JWT_HEADER).toString('base64url')).toBe(COSIGNER_JWT_HEADER_B64);
  });
});

describe('serializePayload', () => {
  it('prints decimal fields with exactly 8 decimals, whole values too', () => {
    expect(serializePayload({ amount: 0.01, requestedAmount: 88.22639765, amountNative: 1, amountUSD: 13.35859416 })).toBe(
      '{"amount":0.01000000,"requestedAmount":88.22639765,"amountNative":1.00000000,"amountUSD":13.35859416}',
    );
  });

  it('keeps integers plain outside the decimal fields, and prints other fractions with 8 decimals', () => {
    expect(serializePayload({ actionInfo: { capturedRuleNum: 5, rulesSnapshotId: 8164 }, ratio: 0.5 })).toBe(
      '{"actionInfo":{"capturedRuleNum":5,"rulesSnapshotId":8164},"ratio":0.50000000}',
    );
  });

  it('rounds to 8 decimals without float garbage and handles zero, negatives and -0', () => {
    expect(serializePayload({ amountUSD: 0.1 + 0.2 })).toBe('{"amountUSD":0.30000000}');
    expect(serializePayload({ amount: 0, amountUSD: -1.5, amountNative: -0 })).toBe('{"amount":0.00000000,"amountUSD":-1.50000000,"amountNative":0.00000000}');
    expect([...DECIMAL_KEYS].sort()).toEqual(['amount', 'amountNative', 'amountUSD', 'requestedAmount']);
  });

  it('is compact, keeps key order, escapes strings like JSON and drops undefined', () => {
    const rule = JSON.stringify({ a: '"x"' });
    expect(serializePayload({ z: 1, a: [true, null, 'é'], s: rule, u: undefined })).toBe(`{"z":1,"a":[true,null,"é"],"s":${JSON.stringify(rule)}}`);
  });

  it('escapes every string and key as JSON.stringify does (quotes, backslashes, controls, lone surrogates)', () => {
    const texts = ['plain', '', 'a"b', 'back\\slash', 'tab\tnew\nline', '\u0000\u001f\u007f', '\u2028', '😀', '\ud800', 'x\udfffy', 'é'];
    for (const t of texts) {
      expect(serializePayload({ [t]: t })).toBe(JSON.stringify({ [t]: t }));
      expect(serializePayload([t])).toBe(JSON.stringify([t]));
    }
  });

  it('writes arrays as before: undefined and functions as null, the hole of a sparse array skipped', () => {
    expect(serializePayload([1, undefined, () => 0, 'x'])).toBe('[1,null,null,"x"]');
    const sparse = [1, 2, 3];
    delete sparse[1];
    expect(serializePayload(sparse)).toBe('[1,3]');
    expect(serializePayload({ a: [], o: {}, n: [[], [{}]] })).toBe('{"a":[],"o":{},"n":[[],[{}]]}');
  });

  it('plain mode is JSON.stringify', () => {
    const p = { amount: 0.01, amountStr: '0.010000000000000000', n: 5 };
    expect(serializePayload(p, 'plain')).toBe(JSON.stringify(p));
  });

  it('refuses values JSON cannot carry, and unknown modes', () => {
    expect(() => serializePayload({ n: 1n })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('bigint') }));
    expect(() => serializePayload({}, 'pretty' as 'plain')).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });

  it('prints a built payload in the captured shape (2022 wire)', () => {
    const wire = serializePayload(createRequestFactory({ seed: 7, optionalFields: 'none', profile: resolveProfile('sgx@3.5.0') }).tx().payload);
    expect(wire).toMatch(/^\{"txId":"[0-9a-f-]{36}","operation":"TRANSFER",.*"amount":0\.01000000,"amountStr":"0\.010000000000000000","requestedAmount":0\.01000000,"requestedAmountStr":"0\.01","fee":/);
    expect(wire).toMatch(/"signerId":"[0-9a-f-]{36}","requestId":"[0-9a-f-]{36}"\}$/);
  });

  it('prints a built payload in the captured shape (2024 wire, latest) [protocol.md §14.4]', () => {
    const wire = serializePayload(createRequestFactory({ seed: 7, optionalFields: 'none' }).tx({ stage: 'approval' }).payload);
    expect(wire).toMatch(/^\{"txId":"[0-9a-f-]{36}","operation":"TRANSFER",.*"amount":0\.01000000,"amountStr":"0\.01","requestedAmount":0\.01000000,"requestedAmountStr":"0\.01","destAddressType":"WHITELISTED","destAddress":"0x[0-9a-fA-F]{40}","extraParameters":\{"securityEnrichment":\{\}\},"destinations":\[/);
    expect(wire).toMatch(/"note":"[^"]*","requestId":"[0-9a-f-]{36}","signerId":"[0-9a-f-]{36}"\}$/);
  });
});
