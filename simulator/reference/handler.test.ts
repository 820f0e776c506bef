import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import type { Kit } from '../keys/types.js';
import { HandlerHttpError, startReferenceHandler, type StartedReferenceHandler } from './handler.js';
import { b64u, REQUEST_ID, signRequest, txPayload } from '../../test/fixtures/reference/requests.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface SendOptions {
  method?: string;
  body?: string | Buffer;
  /** Trust anchors for the handler certificate; verification always stays on. */
  ca?: string[];
  headers?: Record<string, string>;
  /** Write the body in 64 KiB chunks without a Content-Length (chunked encoding). */
  chunked?: boolean;
}

function send(url: string, o: SendOptions = {}): Promise<Reply> {
  const u = new URL(url);
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const headers: Record<string, string | number> = { 'Content-Type': 'text/plain', ...o.headers };
  if (body && !o.chunked) headers['Content-Length'] = body.length;
  const options = { method: o.method ?? 'POST', headers, agent: false as const };
  return new Promise((resolve, reject) => {
    const req =
      u.protocol === 'https:' ? httpsRequest(u, { ...options, ca: o.ca }) : httpRequest(u, options);
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    if (body && o.chunked) {
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

let kit: Kit;
const started: StartedReferenceHandler[] = [];

async function start(...args: Parameters<typeof startReferenceHandler>): Promise<StartedReferenceHandler> {
  const h = await startReferenceHandler(...args);
  started.push(h);
  return h;
}

beforeAll(async () => {
  kit = await sharedKit();
});

afterAll(async () => {
  await Promise.all(started.map((h) => h.close()));
});

describe('option 4 (jwt+pinned)', () => {
  let handler: StartedReferenceHandler;
  let ca: string[];
  beforeAll(async () => {
    handler = await start({ option: 4, kit });
    ca = [kit.pinned.certPem];
  });

  it('serves the pinned certificate and answers a signed APPROVE on /v2/tx_sign_request', async () => {
    expect(handler.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { body: signRequest(txPayload(), kit.cosigner.privateKey), ca });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(decodeProtectedHeader(reply.body)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const { payload } = await compactVerify(reply.body, kit.handler.publicKey, { algorithms: ['RS256'] });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ action: 'APPROVE', requestId: REQUEST_ID });
  });

  it('echoes requestId (not txId) and adds rejectionReason only on REJECT', async () => {
    const payload = txPayload({ requestId: `${REQUEST_ID}_1`, destinations: [{ amountUSD: 250_000, dstType: 'VAULT' }] });
    const body = `\n  ${signRequest(payload, kit.cosigner.privateKey)}\r\n`; // surrounding whitespace is tolerated
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { body, ca, headers: { 'Content-Type': 'application/json' } });
    expect(reply.status).toBe(200);
    const verified = await compactVerify(reply.body, kit.handler.publicKey, { algorithms: ['RS256'] });
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({
      action: 'REJECT',
      requestId: `${REQUEST_ID}_1`,
      rejectionReason: 'amount 250000.00 USD exceeds the limit of 100000 USD',
    });
  });

  it('answers config_change_sign_request', async () => {
    const payload = { requestId: '5d7f3e0a-5c5b-4a47-9c2f-0a3f2f2d7e11', type: 'SOMETHING_NEW', extraInfo: {} };
    const reply = await send(`${handler.url}/v2/config_change_sign_request`, { body: signRequest(payload, kit.cosigner.privateKey), ca });
    const verified = await compactVerify(reply.body, kit.handler.publicKey, { algorithms: ['RS256'] });
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({ action: 'IGNORE', requestId: payload.requestId });
  });

  it('answers 404 on the JSON-option path and unknown paths', async () => {
    const body = signRequest(txPayload(), kit.cosigner.privateKey);
    expect((await send(`${handler.url}/tx_sign_request`, { body, ca })).status).toBe(404);
    expect((await send(`${handler.url}/v2/tx_approval_request`, { body, ca })).status).toBe(404);
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { method: 'GET', ca });
    expect(reply.status).toBe(405);
    expect(reply.headers['allow']).toBe('POST');
  });

  it('answers 401 to a request signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { body: signRequest(txPayload(), other), ca });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ error: expect.stringContaining('does not verify') });
  });

  it('answers 401 to alg none and to HS256 keyed with the Co-signer public key', async () => {
    const unsigned = `${b64u('{"typ":"JWT","alg":"none"}')}.${b64u(JSON.stringify(txPayload()))}.`;
    expect((await send(`${handler.url}/v2/tx_sign_request`, { body: unsigned, ca })).status).toBe(401);
    const input = `${b64u('{"typ":"JWT","alg":"HS256"}')}.${b64u(JSON.stringify(txPayload()))}`;
    const hs256 = `${input}.${createHmac('sha256', kit.cosigner.publicKeyPem).update(input).digest('base64url')}`;
    expect((await send(`${handler.url}/v2/tx_sign_request`, { body: hs256, ca })).status).toBe(401);
  });

  it('answers 400 to malformed bodies, non-JSON claims and a missing requestId', async () => {
    const url = `${handler.url}/v2/tx_sign_request`;
    expect((await send(url, { body: JSON.stringify(txPayload()), ca })).status).toBe(400);
    expect((await send(url, { body: 'not.a.jws!', ca })).status).toBe(400);
    expect((await send(url, { body: '', ca })).status).toBe(400);
    const notJson = `${b64u('{"typ":"JWT","alg":"RS256"}')}.${b64u('hello')}`;
    const signed = `${notJson}.${createSign('RSA-SHA256').update(notJson).sign(kit.cosigner.privateKey).toString('base64url')}`;
    expect((await send(url, { body: signed, ca })).status).toBe(400);
    const noId = signRequest(txPayload({ requestId: 42 }), kit.cosigner.privateKey);
    expect(JSON.parse((await send(url, { body: noId, ca })).body)).toEqual({ error: 'requestId is missing or not a string' });
  });

  it('answers 413 to a body over 1 MiB, with or without Content-Length', async () => {
    const huge = 'a'.repeat(2 * 1024 * 1024);
    const url = `${handler.url}/v2/tx_sign_request`;
    expect((await send(url, { body: huge, ca })).status).toBe(413);
    expect((await send(url, { body: huge, ca, chunked: true })).status).toBe(413);
  });

  it('refuses a client that does not trust the pinned certificate', async () => {
    await expect(send(`${handler.url}/v2/tx_sign_request`, { body: 'x', ca: [kit.rootCa.certPem] })).rejects.toThrow();
  });

  it('counts requests', () => {
    expect(handler.requests).toBeGreaterThan(10);
  });
});

describe('option 3 (json+root-ca)', () => {
  let handler: StartedReferenceHandler;
  let ca: string[];
  beforeAll(async () => {
    handler = await start({ option: 3, kit });
    ca = [kit.rootCa.certPem];
  });

  it('answers JSON on /tx_sign_request over the Root-CA leaf', async () => {
    const reply = await send(`${handler.url}/tx_sign_request`, { body: JSON.stringify(txPayload()), ca });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ action: 'APPROVE', requestId: REQUEST_ID });
  });

  it('rejects an unknown destination with a reason naming it', async () => {
    const dead = '0x000000000000000000000000000000000000dEaD';
    const payload = txPayload({ destinations: [{ amountUSD: 5, dstType: 'UNMANAGED', dstAddress: dead }] });
    const reply = await send(`${handler.url}/tx_sign_request`, { body: JSON.stringify(payload), ca });
    expect(JSON.parse(reply.body)).toEqual({ action: 'REJECT', requestId: REQUEST_ID, rejectionReason: `destination ${dead} is not in the allow-list` });
  });

  it('answers RETRY to identical re-sends of a csim-retry-2 request, then decides', async () => {
    const body = JSON.stringify(txPayload({ externalTxId: 'csim-retry-2', requestId: 'retry-1' }));
    const actions: unknown[] = [];
    for (let i = 0; i < 3; i++) actions.push(JSON.parse((await send(`${handler.url}/tx_sign_request`, { body, ca })).body).action);
    expect(actions).toEqual(['RETRY', 'RETRY', 'APPROVE']);
  });

  it('answers 404 on /v2 paths, 405 on other methods, 400 on malformed JSON and 413 on huge bodies', async () => {
    expect((await send(`${handler.url}/v2/tx_sign_request`, { body: '{}', ca })).status).toBe(404);
    expect((await send(`${handler.url}/config_change_sign_request`, { method: 'PUT', body: '{}', ca })).status).toBe(405);
    expect((await send(`${handler.url}/tx_sign_request`, { body: '{"requestId":', ca })).status).toBe(400);
    expect((await send(`${handler.url}/tx_sign_request`, { body: '[1]', ca })).status).toBe(400);
    expect((await send(`${handler.url}/tx_sign_request`, { body: ' '.repeat(1024 * 1024 + 1), ca })).status).toBe(413);
  });
});

describe('basePath, plain http and hooks', () => {
  it('serves under basePath (option 5) and 404s the bare paths', async () => {
    const handler = await start({ option: 5, kit, basePath: '/fireblocks/cb/' });
    expect(handler.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/fireblocks\/cb$/);
    const body = signRequest(txPayload(), kit.cosigner.privateKey);
    const ca = [kit.rootCa.certPem];
    expect((await send(`${handler.url}/v2/tx_sign_request`, { body, ca })).status).toBe(200);
    expect((await send(handler.url.replace('/fireblocks/cb', '/v2/tx_sign_request'), { body, ca })).status).toBe(404);
  });

  it('serves plain http for option 1 only', async () => {
    const handler = await start({ option: 1, kit, plainHttp: true });
    expect(handler.url).toMatch(/^http:\/\//);
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { body: signRequest(txPayload(), kit.cosigner.privateKey) });
    expect(reply.status).toBe(200);
    await expect(startReferenceHandler({ option: 2, kit, plainHttp: true })).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT' });
  });

  it('lets hooks change the path, the decision, the claims, the encoding and the response', async () => {
    const handler = await start({
      option: 2,
      kit,
      hooks: {
        path: (endpoint, path) => (endpoint === 'tx_sign_request' ? path.replace('/tx_', '/v2/tx_') : undefined),
        decide: (ctx) => ({ action: 'approve', rejectionReason: ctx.stage }),
        claims: (claims, ctx) => ({ ...claims, txId: ctx.payload['txId'] }),
        encode: (claims) => JSON.stringify(JSON.stringify(claims)),
        respond: (res, body) => {
          res.writeHead(202, { 'X-Zoo': '1' });
          res.end(body);
        },
      },
    });
    const ca = [kit.pinned.certPem];
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { body: JSON.stringify(txPayload()), ca });
    expect(reply.status).toBe(202);
    expect(reply.headers['x-zoo']).toBe('1');
    expect(JSON.parse(JSON.parse(reply.body))).toEqual({ action: 'approve', requestId: REQUEST_ID, rejectionReason: 'signing', txId: REQUEST_ID });
    expect((await send(`${handler.url}/config_change_sign_request`, { body: '{}', ca })).status).toBe(404);
  });

  it('lets hooks intercept requests, replace parsing and serve another certificate', async () => {
    const handler = await start({
      option: 5,
      kit,
      hooks: {
        tls: ({ kit: k }) => k.pinned,
        intercept: (req, res) => {
          if (req.url !== '/teapot') return false;
          res.writeHead(418).end();
          return true;
        },
        parse: (body) => {
          if (body === 'forbidden') throw new HandlerHttpError(403, 'no');
          return JSON.parse(Buffer.from(body.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
        },
      },
    });
    const ca = [kit.pinned.certPem];
    expect((await send(`${handler.url}/teapot`, { ca })).status).toBe(418);
    expect((await send(`${handler.url}/v2/tx_sign_request`, { body: 'forbidden', ca })).status).toBe(403);
    const unsigned = `${b64u('{"alg":"none"}')}.${b64u(JSON.stringify(txPayload()))}.`;
    const reply = await send(`${handler.url}/v2/tx_sign_request`, { body: unsigned, ca });
    expect(reply.status).toBe(200);
    await expect(compactVerify(reply.body, kit.handler.publicKey)).resolves.toBeDefined();
  });

  it('close() ends kept-alive connections and can be called twice', async () => {
    const handler = await startReferenceHandler({ option: 3, kit });
    await send(`${handler.url}/tx_sign_request`, { body: JSON.stringify(txPayload()), ca: [kit.rootCa.certPem] });
    await Promise.all([handler.close(), handler.close()]);
    await expect(send(`${handler.url}/tx_sign_request`, { body: '{}', ca: [kit.rootCa.certPem] })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
