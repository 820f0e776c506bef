import { describe, expect, it } from 'vitest';
import { recordExchange, reportKeys } from '../../test/fixtures/report/recorded.js';
import { signCompactJws } from '../codec/jws.js';
import { resolveProfile } from '../protocol/profiles.js';
import {
  explainCheck,
  explainExchange,
  explainToken,
  renderChecksRow,
  renderExchange,
  explainPayload,
  renderFailedCheckLines,
  renderPayloadLines,
  renderRequestLines,
  renderResponseLines,
  renderTokenLines,
  type ReportStyle,
} from './explain.js';

const JWS_WITH_SIGNATURE = /eyJ[\w-]*\.[\w-]*\.[\w-]+/;

describe('explainExchange', () => {
  const res = recordExchange();
  const signature = res.response!.body.split('.')[2]!;

  it('tells a failed JWT exchange: request line, response, decoded JWT with the signature redacted, the failed check, the row', () => {
    const story = explainExchange(res);
    expect(story.request).toMatchObject({ method: 'POST', option: 4, optionText: 'option 4 jwt+pinned', stage: 'signing', requestId: res.request.requestId });
    expect(story.failed).toEqual([
      {
        id: 'jwt-signature',
        message: 'response JWT does not verify with the handler public key (RS256)',
        hint: expect.stringContaining('sign with the private key'),
        consequence: { text: expect.stringMatching(/^not documented: .* the transaction fails at the signing stage/), mark: 'unknown', source: 'D-resp', section: '§0.5.8' },
        ...(story.failed[0]!.expected !== undefined ? { expected: story.failed[0]!.expected, received: story.failed[0]!.received } : {}),
      },
    ]);
    const lines = renderExchange(story);
    const rid = res.request.requestId;
    expect(lines).toEqual([
      '✗ jwt-signature: response JWT does not verify with the handler public key (RS256)',
      ...renderFailedCheckLines(story.failed).slice(1),
      'Request:  POST https://127.0.0.1:8443/v2/tx_sign_request  (option 4 jwt+pinned, signing stage)',
      ...renderPayloadLines(story),
      `Response: 200 text/plain; charset=utf-8, ${res.response!.bodyBytes} bytes in 38 ms`,
      '  JWT header:    {"alg":"RS256","typ":"JWT"}',
      `  JWT payload:   {"action":"APPROVE","requestId":"${rid}"}`,
      `  JWT signature: <${signature.length} chars, redacted>`,
      'Checks: ✓ connect ✓ tls ✓ deadline ✓ http-status ✓ body-format ✓ jwt-alg ✗ jwt-signature ✓ response-shape ✓ request-id ✓ action ✓ rejection-reason',
    ]);
    expect(lines.join('\n')).not.toContain(signature);
  });

  it('shows the signature with showSecrets, and only then', () => {
    expect(renderResponseLines(explainExchange(res, { showSecrets: true }))).toContain(`  JWT signature: ${signature}`);
    expect(explainExchange(res).redacted).toBe(true);
    expect(explainExchange(res, { showSecrets: true }).redacted).toBe(false);
  });

  it('adds the requestId line when asked (reporters), not by default (matchers)', () => {
    const story = explainExchange(res);
    expect(renderRequestLines(story)).toHaveLength(1);
    expect(renderRequestLines(story, { ids: true })[1]).toBe(`          requestId ${res.request.requestId}`);
  });

  it('takes the failed checks and the row from the caller (a scenario adds its expectation)', () => {
    const expectation = { id: 'expectation', status: 'fail' as const, message: 'action: expected REJECT, received APPROVE', expected: 'REJECT', received: 'APPROVE' };
    const story = explainExchange(res, { failed: [expectation], checks: [...res.checks, expectation] });
    expect(renderFailedCheckLines(story.failed)).toEqual([
      '✗ expectation: action: expected REJECT, received APPROVE',
      '  consequence: the Co-signer signs the transaction [documented; D-resp §0.5.2]',
      '  expected: "REJECT"',
      '  received: "APPROVE"',
    ]);
    expect(renderFailedCheckLines(story.failed, { consequences: false })).toHaveLength(3);
    expect(renderChecksRow(story.checks)).toMatch(/✗ jwt-signature .* ✗ expectation$/);
  });

  it('tells the consequence for the profile in force: RETRY before sgx@3.6.5 fails the request', () => {
    const retried = { ...res, decision: { ...res.decision, action: 'RETRY' } };
    const action = { id: 'action', status: 'fail' as const, message: 'RETRY arrived with sgx@3.6.5' };
    const old = explainExchange(retried, { failed: [action], profile: resolveProfile('sgx@3.5.0') });
    expect(old.failed[0]!.consequence).toMatchObject({ mark: 'inferred', source: 'D-arch', text: expect.stringContaining('this run simulates sgx@3.5.0') });
    // The same answer under latest is a legal RETRY: an action failure then is the generic broken-answer row.
    expect(explainExchange(retried, { failed: [action] }).failed[0]!.consequence?.mark).toBe('unknown');
    // The exchange's own profile (a scenario's profile:) wins over the run's option, and alone.
    const judgedOld = { ...retried, profile: 'sgx@3.3.0' };
    expect(explainExchange(judgedOld, { failed: [action], profile: resolveProfile('latest') }).failed[0]!.consequence?.text).toContain('this run simulates sgx@3.3.0');
    expect(explainExchange(judgedOld, { failed: [action] }).failed[0]!.consequence?.mark).toBe('inferred');
    // An id that does not resolve (a hand-made result) falls back to the option instead of throwing.
    expect(explainExchange({ ...retried, profile: 'nope@1' }, { failed: [action], profile: resolveProfile('sgx@3.5.0') }).failed[0]!.consequence?.text).toContain('this run simulates sgx@3.5.0');
    // A check the Co-signer never sees has no line.
    expect(explainExchange(res, { failed: [{ id: 'upstream', status: 'fail', message: 'no call' }] }).failed[0]).not.toHaveProperty('consequence');
  });

  it('shows a JSON body in a JSON option', () => {
    const story = explainExchange(recordExchange({ option: 2, body: (q) => JSON.stringify({ action: 'APPROVE', requestId: q.requestId, apiKey: 'hunter2' }) }));
    const [, body] = renderResponseLines(story);
    expect(body).toMatch(/^ {2}JSON body: \{"action":"APPROVE","requestId":"[\w-]+","apiKey":"\[redacted\]"\}$/);
  });

  it('shows the first 300 bytes of a raw body, redacted before it is cut', () => {
    const pemAt250 = `${'x'.repeat(250)}${reportKeys().handlerPem}`;
    const lines = renderResponseLines(explainExchange(recordExchange({ body: () => pemAt250 })));
    expect(lines[1]).toBe(`  Body: ${JSON.stringify(`${'x'.repeat(250)}[PRIVATE KEY redacted]\n`)}`);
    const long = renderResponseLines(explainExchange(recordExchange({ body: () => 'y'.repeat(1000) })));
    expect(long[1]).toBe(`  Body (first 300 bytes, redacted): "${'y'.repeat(300)}"`);
    const plain = renderResponseLines(explainExchange(recordExchange({ body: () => 'y'.repeat(1000) }), { showSecrets: true }));
    expect(plain[1]).toBe(`  Body (first 300 bytes): "${'y'.repeat(300)}"`);
    expect(renderResponseLines(explainExchange(recordExchange({ body: () => '' })))[1]).toBe('  Body: (empty)');
  });

  it('says why nothing came back, with the transport failure', () => {
    const refused = recordExchange({ refused: true });
    const story = explainExchange(refused);
    expect(renderResponseLines(story)).toEqual(['Response: none after 3 ms, connect failed (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:8443']);
    expect(story.transport?.hint).toBeUndefined(); // the failed connect check already carries it
    expect(renderFailedCheckLines(story.failed)).toContain('  hint: is the handler running and listening on that port?');
    // A caller whose failed checks do not carry the hint gets it under the response line.
    expect(renderResponseLines(explainExchange(refused, { failed: [] }))[1]).toBe('  hint: is the handler running and listening on that port?');
  });

  it('redacts what a check quotes from the handler', () => {
    const token = signCompactJws('{"a":1}', reportKeys().stranger);
    const c = explainCheck({ id: 'action', status: 'fail', message: `got ${token}`, received: { key: reportKeys().handlerPem, token } });
    expect(JSON.stringify(c)).not.toMatch(JWS_WITH_SIGNATURE);
    expect(JSON.stringify(c)).not.toContain('BEGIN');
    expect(c.received).toBe('{"key":"[PRIVATE KEY redacted]\\n","token":"[redacted]"}');
  });

  it('lets a surface colour the lines without changing the text', () => {
    const tag: ReportStyle = {
      label: (t) => `<b>${t}</b>`,
      id: (t) => `<i>${t}</i>`,
      hint: (t) => `<c>${t}</c>`,
      expected: (t) => `<g>${t}</g>`,
      received: (t) => `<r>${t}</r>`,
      mark: (s, t) => `<${s}>${t}</${s}>`,
    };
    const story = explainExchange(res);
    const styled = renderExchange(story, { style: tag }).map((l) => l.replace(/<\/?\w+>/g, ''));
    expect(styled).toEqual(renderExchange(story));
    expect(renderChecksRow(story.checks, tag)).toContain('<fail>✗ jwt-signature</fail>');
  });
});

describe('explainToken (for decode)', () => {
  it('decodes header and payload and redacts the signature', () => {
    const token = signCompactJws('{"action":"APPROVE","requestId":"r-1"}', reportKeys().stranger, '{"typ":"JWT","alg":"RS256"}');
    const story = explainToken(token);
    expect(renderTokenLines(story)).toEqual(['JWT header:    {"typ":"JWT","alg":"RS256"}', 'JWT payload:   {"action":"APPROVE","requestId":"r-1"}', 'JWT signature: <342 chars, redacted>']);
    expect(renderTokenLines(explainToken(token, { showSecrets: true }))[2]).toBe(`JWT signature: ${token.split('.')[2]}`);
  });

  it('says what is wrong with a malformed or unsigned token and keeps what decodes', () => {
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const payload = Buffer.from('{"action":"APPROVE"}').toString('base64url');
    expect(renderTokenLines(explainToken(`${header}.${payload}.`))).toEqual(['JWT header:    {"alg":"none"}', 'JWT payload:   {"action":"APPROVE"}', 'JWT signature: (empty: the token is unsigned)']);
    const broken = explainToken(`${header}.bm90IGpzb24.c2ln`);
    expect(broken.header).toBe('{"alg":"none"}');
    expect(broken.payload).toBeUndefined();
    expect(renderTokenLines(broken, '  ')).toEqual([
      '  JWT header:    {"alg":"none"}',
      '  JWT payload:   (not a JSON object)',
      '  JWT signature: <4 chars, redacted>',
      '  Not a compact JWS: the JWT payload is not a base64url-encoded JSON object',
      '    hint: the claims must be a JSON object: {"action":…,"requestId":…}',
    ]);
    expect(explainToken('not a token').signature).toEqual({ kind: 'none' });
    expect(explainToken('not a token').problem?.message).toMatch(/not one compact JWS/);
  });
});

describe('explainPayload', () => {
  const res = recordExchange();
  const payload = res.request.payload as Record<string, any>;

  it('tells the amount fields, destinations, operation, stage and externalTxId first, then the rest without them', () => {
    const story = explainPayload(res.request);
    expect(story.first.map((f) => f.name)).toEqual(['amount', 'amountStr', 'requestedAmount', 'requestedAmountStr', 'fee', 'asset', 'destinations', 'operation', 'stage', 'externalTxId']);
    expect(story.first.find((f) => f.name === 'amountStr')!.value).toBe(JSON.stringify(payload.amountStr));
    expect(story.first.find((f) => f.name === 'stage')!.value).toBe('signing');
    const d = payload.destinations[0];
    expect(story.first.find((f) => f.name === 'destinations')!.value).toBe(JSON.stringify([{ dstType: d.dstType, dstAddress: d.dstAddress }]));
    const rest = JSON.parse(explainPayload(res.request, { full: true }).rest!);
    for (const name of ['amount', 'asset', 'operation', 'externalTxId']) expect(rest, name).not.toHaveProperty(name);
    expect(rest.txId).toBe(payload.txId);
    // Each destination keeps what was not shown first: nothing is told twice, nothing is lost.
    expect(rest.destinations[0]).not.toHaveProperty('dstType');
    expect(rest.destinations[0].dstId).toBe(d.dstId);
    const lines = renderPayloadLines({ payload: story });
    expect(lines[0]).toMatch(/^Payload: {2}amount /);
    expect(lines[1]).toMatch(/^ {10}rest of payload: \{"txId":/);
  });

  it('cuts the rest at MAX_JSON_CHARS unless full (--verbose)', () => {
    expect(explainPayload(res.request).rest).toMatch(/… \(\d+ chars\)$/);
    expect(() => JSON.parse(explainPayload(res.request, { full: true }).rest!)).not.toThrow();
  });

  it('tells a config change by its type, and redacts secrets in any field', () => {
    const story = explainPayload({
      endpoint: 'config_change_sign_request',
      stage: 'approval',
      payload: { requestId: 'r', type: 'ADD_USER', extraInfo: { apiKey: 'k', note: `a ${reportKeys().handlerPem}` } },
    });
    expect(story.first).toEqual([
      { name: 'type', value: '"ADD_USER"' },
      { name: 'stage', value: 'approval' },
    ]);
    expect(story.rest).toBe('{"requestId":"r","extraInfo":{"apiKey":"[redacted]","note":"a [PRIVATE KEY redacted]\\n"}}');
    expect(explainPayload({ endpoint: 'config_change_sign_request', stage: 'approval', payload: { apiKey: 'k' } }, { showSecrets: true }).rest).toBe('{"apiKey":"k"}');
  });
});
