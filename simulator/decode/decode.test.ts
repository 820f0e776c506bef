import { readFileSync } from 'node:fs';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import { signCompactJws } from '../codec/jws.js';
import { isCsimError } from '../errors.js';
import { createRequestFactory } from '../protocol/factory.js';
import { serializePayload } from '../protocol/serialize.js';
import { CHECK_IDS } from '../protocol/types.js';
import { classifyPayload, decodeMessage, hasErrors, parsePasted } from './index.js';

const CAPTURED = new URL('../../test/fixtures/captured-requests/', import.meta.url);
const captured = (name: string) => readFileSync(new URL(name, CAPTURED), 'utf8');
const GOAT = captured('goat-2024.jwt').trim();
const GOAT_KEY = createPublicKey(captured('goat-2024.cosigner-public.pem'));

function thrown(f: () => unknown): { code: string; message: string; hint?: string | undefined } {
  try {
    f();
  } catch (e) {
    if (isCsimError(e)) return { code: e.code, message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('expected a throw');
}

/** A token with one character of its payload changed: the signature no longer covers it. */
function tamper(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = Buffer.from(p, 'base64url').toString('utf8').replace('"amountStr":"0.001"', '"amountStr":"9.001"');
  expect(payload).toContain('9.001');
  return `${h}.${Buffer.from(payload).toString('base64url')}.${s}`;
}

describe('classifyPayload', () => {
  it('names a response by action, a config change by type, a tx by its fields and the stage by fee or rawTx', () => {
    expect(classifyPayload({ action: 'REJECT', requestId: 'r' })).toMatchObject({ kind: 'response', action: 'REJECT' });
    expect(classifyPayload({ requestId: 'r', type: 'ADD_USER', extraInfo: {} })).toMatchObject({ kind: 'config_change_sign_request', type: 'ADD_USER', stage: 'approval' });
    expect(classifyPayload({ txId: 't', operation: 'TRANSFER', requestId: 't' })).toMatchObject({ kind: 'tx_sign_request', stage: 'approval' });
    expect(classifyPayload({ txId: 't', fee: '0.1', requestId: 't' })).toMatchObject({ kind: 'tx_sign_request', stage: 'signing', because: 'it has `fee`' });
    expect(classifyPayload({ txId: 't', rawTx: [], requestId: 't' })).toMatchObject({ kind: 'tx_sign_request', stage: 'signing', because: 'it has `rawTx`' });
    // displayDstAddress is no stage marker [protocol.md §4.7]: the 2024 approval capture has it.
    expect(classifyPayload({ txId: 't', destinations: [{ displayDstAddress: '0x1' }] })).toMatchObject({ stage: 'approval' });
    expect(classifyPayload({ hello: 'world' }).kind).toBe('unknown');
  });

  it('reads the stage of what the request factory builds', () => {
    const f = createRequestFactory({ seed: 7 });
    expect(classifyPayload(f.tx({ stage: 'signing' }).payload)).toMatchObject({ kind: 'tx_sign_request', stage: 'signing' });
    expect(classifyPayload(f.tx({ stage: 'approval' }).payload)).toMatchObject({ kind: 'tx_sign_request', stage: 'approval' });
    expect(classifyPayload(f.configChange({ type: 'EXCHANGE' }).payload)).toMatchObject({ kind: 'config_change_sign_request', type: 'EXCHANGE' });
  });
});

describe('parsePasted', () => {
  const body = GOAT;
  it.each([
    ['double quotes', `"${body}"`, ['a JSON string literal around it']],
    ['single quotes', `'${body}'`, ['surrounding single quotes']],
    ['backticks', `\`${body}\``, ['surrounding backticks']],
    ['a Bearer prefix', `Bearer ${body}`, ['a Bearer prefix']],
    ['an Authorization header line', `Authorization: Bearer ${body}\n`, ['an Authorization: header name', 'a Bearer prefix']],
    ['line breaks inside', `  ${body.slice(0, 70)}\n${body.slice(70, 300)}\r\n   ${body.slice(300)}\n`, ['whitespace and line breaks inside the token']],
    ['a JSON string with escaped line breaks', JSON.stringify(`${body.slice(0, 100)}\n${body.slice(100)}`), ['a JSON string literal around it', 'whitespace and line breaks inside the token']],
    ['literal \\n escapes from a log', `${body.slice(0, 100)}\\n${body.slice(100)}`, ['escaped line breaks inside the token']],
    ['a code fence', `\`\`\`\n${body}\n\`\`\``, ['a code fence']],
    ['quotes around a Bearer token', `"Bearer ${body.slice(0, 50)}\\n${body.slice(50)}"`, ['a JSON string literal around it', 'a Bearer prefix', 'whitespace and line breaks inside the token']],
  ])('tolerates %s', (_name, pasted, tidied) => {
    const m = parsePasted(pasted);
    expect(m.format).toBe('jwt');
    expect(m.text).toBe(body);
    expect(m.tidied).toEqual(tidied);
  });

  it('takes a JSON object as a plain JSON body', () => {
    const m = parsePasted('  {"action":"APPROVE","requestId":"r1"}\n');
    expect(m).toMatchObject({ format: 'json', payload: { action: 'APPROVE', requestId: 'r1' }, tidied: [] });
  });

  it('refuses what is neither a JWT nor JSON with CSIM_INVALID_ARGUMENT, redacting what it quotes', () => {
    const e = thrown(() => parsePasted('hello world, this is not a token'));
    expect(e.code).toBe('CSIM_INVALID_ARGUMENT');
    expect(e.message).toBe('the input is neither a JWT (header.payload.signature) nor a JSON object (got "hello world, this is not a token")');
    expect(e.hint).toContain('quotes, a Bearer prefix and line breaks are fine');
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(thrown(() => parsePasted(pem)).message).not.toMatch(/BEGIN PRIVATE KEY-----\n/);
    expect(thrown(() => parsePasted('{"action": ')).message).toContain('starts like JSON but is not a JSON object');
    expect(thrown(() => parsePasted('["a"]')).code).toBe('CSIM_INVALID_ARGUMENT');
    expect(thrown(() => parsePasted('""')).message).toContain('is empty');
    const cut = GOAT.split('.').slice(0, 2).join('.') + '.';
    expect(parsePasted(cut).format).toBe('jwt'); // an empty signature still decodes (and never verifies)
    expect(thrown(() => parsePasted('eyJub3QganNvbg.eyJhIjoxfQ.c2ln')).message).toBe('the input is not a well-formed JWT: the JWT header is not a base64url-encoded JSON object');
  });
});

describe('decodeMessage on the captured requests', () => {
  it('goat-2024.jwt: an approval-stage tx_sign_request that verifies with goat-2024.cosigner-public.pem', () => {
    const d = decodeMessage(GOAT, { key: GOAT_KEY, keyLabel: 'goat-2024.cosigner-public.pem' });
    expect(d).toMatchObject({ kind: 'tx_sign_request', endpoint: 'tx_sign_request', stage: 'approval', format: 'jwt', verified: true, findings: [] });
    expect(d.header).toEqual({ typ: 'JWT', alg: 'RS256' });
    expect(d.checks).toEqual([...CHECK_IDS]);
    expect(d.notes).toEqual(['the answer may be APPROVE, REJECT, RETRY or IGNORE (an approval)']);
    expect(d.signature).toEqual({ kind: 'redacted', chars: 342 });
    // The whole payload on one line, not cut at the report's usual 600 characters.
    expect(d.token!.payload!.length).toBeGreaterThan(600);
    expect(JSON.parse(d.token!.payload!)).toEqual(JSON.parse(captured('goat-2024.payload.json')));
    expect(d.message.text).toBe(GOAT); // the exact bytes to replay
    expect(hasErrors(d)).toBe(false);
  });

  it('a tampered goat-2024.jwt does not verify: an error finding', () => {
    const d = decodeMessage(tamper(GOAT), { key: GOAT_KEY, keyLabel: 'goat.pem' });
    expect(d.verified).toBe(false);
    expect(d.findings).toEqual([expect.objectContaining({ id: 'request-signature', severity: 'error', message: 'the request does not verify with goat.pem (RS256, the Co-signer public key)' })]);
    expect(hasErrors(d)).toBe(true);
  });

  it('verifies with the public half of a private key, and not with another key', async () => {
    const kit = await sharedKit();
    const built = createRequestFactory({ seed: 1 }).tx({ stage: 'signing' });
    const token = signCompactJws(serializePayload(built.payload), kit.cosigner.privateKey);
    expect(decodeMessage(token, { key: kit.cosigner.privateKey }).verified).toBe(true);
    expect(decodeMessage(token, { key: kit.cosigner.publicKey }).verified).toBe(true);
    expect(decodeMessage(token, { key: kit.handler.publicKey }).verified).toBe(false);
    expect(decodeMessage(token)).toMatchObject({ kind: 'tx_sign_request', stage: 'signing', notes: ['the answer may be APPROVE, REJECT or RETRY: IGNORE fails `action` at the signing stage'] });
    expect(decodeMessage(token).verified).toBeUndefined();
  });

  it('mjw-2022.jwt is at the signing stage (fee); docs-eth-2023.jwt too (fee, rawTx), with its zeroed signature told', () => {
    expect(decodeMessage(captured('mjw-2022.jwt'))).toMatchObject({ kind: 'tx_sign_request', stage: 'signing', because: 'it has `fee`', findings: [] });
    const docs = decodeMessage(captured('docs-eth-2023.jwt'), { key: GOAT_KEY });
    expect(docs).toMatchObject({ kind: 'tx_sign_request', stage: 'signing', because: 'it has `fee` and `rawTx`', verified: false });
    expect(docs.findings.map((f) => [f.id, f.severity])).toEqual([
      ['request-signature-zeroed', 'info'],
      ['request-signature', 'error'],
    ]);
  });

  it('a config change says its type', () => {
    const built = createRequestFactory({ seed: 3 }).configChange({ type: 'ADD_USER' });
    const d = decodeMessage(serializePayload(built.payload));
    expect(d).toMatchObject({ kind: 'config_change_sign_request', type: 'ADD_USER', stage: 'approval', format: 'json' });
    expect(d.checks).toEqual(CHECK_IDS.filter((id) => id !== 'jwt-alg' && id !== 'jwt-signature'));
  });

  it('refuses --key with a plain JSON body and --request with a request (usage errors)', () => {
    expect(thrown(() => decodeMessage('{"action":"APPROVE","requestId":"r"}', { key: GOAT_KEY })).code).toBe('CSIM_USAGE');
    expect(thrown(() => decodeMessage(GOAT, { request: GOAT })).message).toContain('--request goes with a response, and this is a tx_sign_request');
  });
});

describe('decodeMessage on responses: the pure checks run on the claims', () => {
  const status = (d: ReturnType<typeof decodeMessage>) => Object.fromEntries((d.outcomes ?? []).map((c) => [c.id, c.reason ? `${c.status}:${c.reason}` : c.status]));

  it('a signed APPROVE with the handler key and the request: every check that the text allows passes', async () => {
    const kit = await sharedKit();
    const built = createRequestFactory({ seed: 5 }).tx({ stage: 'signing' });
    const request = signCompactJws(serializePayload(built.payload), kit.cosigner.privateKey);
    const response = signCompactJws(JSON.stringify({ action: 'APPROVE', requestId: built.requestId }), kit.handler.privateKey);
    const d = decodeMessage(response, { key: kit.handler.publicKey, request });
    expect(d).toMatchObject({ kind: 'response', action: 'APPROVE', verified: true, findings: [] });
    expect(status(d)).toEqual({
      connect: 'skip:not-judged',
      tls: 'skip:not-judged',
      deadline: 'skip:not-judged',
      'http-status': 'skip:not-judged',
      'body-format': 'pass',
      'jwt-alg': 'pass',
      'jwt-signature': 'pass',
      'response-shape': 'pass',
      'request-id': 'pass',
      action: 'pass',
      'rejection-reason': 'pass',
    });
  });

  it('without key or request: jwt-signature and request-id say what would judge them', async () => {
    const kit = await sharedKit();
    const d = decodeMessage(signCompactJws('{"action":"IGNORE","requestId":"r1"}', kit.handler.privateKey));
    expect(status(d)).toMatchObject({ 'jwt-signature': 'skip:no-key', 'request-id': 'skip:no-request', action: 'pass' });
    expect(d.verified).toBeUndefined();
    expect(d.notes).toEqual(['IGNORE is valid at the approval stage only; give --request to know the stage it answers']);
  });

  it('finds what is wrong: the wrong key, the txId echoed, a lower-case action, IGNORE at signing, a number as rejectionReason', async () => {
    const kit = await sharedKit();
    const built = createRequestFactory({ seed: 9 }).tx({ stage: 'signing', batched: true });
    expect(built.txId).not.toBe(built.requestId);
    const request = serializePayload(built.payload);
    const sign = (claims: object) => signCompactJws(JSON.stringify(claims), kit.handler.privateKey);

    const wrongKey = decodeMessage(sign({ action: 'APPROVE', requestId: built.requestId }), { key: kit.cosigner.publicKey });
    expect(wrongKey.verified).toBe(false);
    expect(wrongKey.findings.map((f) => f.id)).toEqual(['jwt-signature']);

    const txId = decodeMessage(sign({ action: 'APPROVE', requestId: built.txId }), { request });
    expect(txId.findings).toEqual([expect.objectContaining({ id: 'request-id', severity: 'error', message: 'the response echoes txId instead of requestId' })]);
    expect(txId.outcomes?.find((c) => c.id === 'request-id')).toMatchObject({ expected: built.requestId, received: built.txId });

    expect(decodeMessage(sign({ action: 'approve', requestId: built.requestId }), { request }).findings[0]).toMatchObject({ id: 'action', fix: 'actions are upper-case: send "APPROVE"' });
    expect(decodeMessage(sign({ action: 'IGNORE', requestId: built.requestId }), { request }).findings[0]).toMatchObject({ id: 'action', message: 'IGNORE at the signing stage' });
    expect(decodeMessage('{"action":"REJECT","requestId":"r","rejectionReason":7}').findings[0]).toMatchObject({ id: 'rejection-reason' });
    expect(decodeMessage('{"action":"APPROVE","requestid":"r"}').findings[0]).toMatchObject({ id: 'response-shape', message: '"requestId" is missing (found "requestid")' });

    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"action":"APPROVE","requestId":"r"}').toString('base64url')}.`;
    const none = decodeMessage(unsigned, { key: kit.handler.publicKey });
    expect(none.verified).toBe(false);
    expect(none.findings.map((f) => f.id)).toEqual(['jwt-alg', 'jwt-signature']);
  });

  it('a plain JSON response: the JWT checks do not apply', () => {
    const d = decodeMessage('{"action":"RETRY","requestId":"r1","rejectionReason":null}');
    expect(d).toMatchObject({ kind: 'response', action: 'RETRY', format: 'json', findings: [] });
    expect(d.checks).not.toContain('jwt-alg');
    expect(status(d)['jwt-alg']).toBe('skip:not-applicable');
  });

  it('redacts secret-looking fields unless showSecrets', () => {
    const text = '{"action":"APPROVE","requestId":"r1","apiKey":"sk_live_123"}';
    expect(decodeMessage(text).payload['apiKey']).toBe('[redacted]');
    expect(decodeMessage(text, { showSecrets: true }).payload['apiKey']).toBe('sk_live_123');
  });
});
