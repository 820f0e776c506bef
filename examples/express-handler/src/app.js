/**
 * A Fireblocks API Co-signer Callback Handler as an Express 5 app, for the security options whose
 * messages are JWTs both ways (1, 4 and 5; this example is tested under 1 and 4):
 *
 * 1. read the raw body whatever its Content-Type: the Co-signer sends a bare compact JWS and its
 *    Content-Type is not documented, so a JSON body parser would drop it;
 * 2. verify it with the Co-signer public key, RS256 only (401 when it does not verify);
 * 3. ask the risk API about the request (score at or above the threshold: REJECT with a reason;
 *    the API down, slow or answering nonsense: RETRY, and the Co-signer asks again later);
 * 4. answer `{ action, requestId, rejectionReason? }` as a JWT signed RS256 with the handler key,
 *    echoing the request's `requestId` (never `txId`: a batched request's ids differ).
 *
 * TLS is not here: server.js serves the app over HTTPS with the certificate the option needs.
 */
import express from 'express';
import { compactVerify, SignJWT } from 'jose';

/**
 * @typedef {import('node:crypto').KeyObject} KeyObject
 *
 * @typedef {object} AppConfig
 * @property {{ tx: string, config: string }} paths  the two endpoint paths, base path and `/v2` included
 *   (`/fireblocks/cb/v2/tx_sign_request`): the Co-signer appends `/v2/<endpoint>` to its configured URL
 * @property {KeyObject[]} cosignerPublicKeys  every Co-signer that may call this handler (one key each)
 * @property {KeyObject} handlerPrivateKey  signs the answers; the Co-signer holds its public half
 * @property {{ url: string, timeoutMs?: number, threshold?: number }} risk  the risk API (see askRisk)
 * @property {(line: string) => void} [log]  one line per decision; default console.log
 * @property {typeof fetch} [fetch]  default the global fetch (which upstream mocks such as msw intercept)
 *
 * @typedef {{ action: 'APPROVE' | 'REJECT' | 'RETRY', rejectionReason?: string }} Decision
 */

/** The Co-signer waits 30 s for an answer; the risk API gets far less, so a slow one becomes RETRY in time. */
export const DEFAULT_RISK_TIMEOUT_MS = 5_000;
/** A score at or above this is rejected. */
export const DEFAULT_RISK_THRESHOLD = 50;
/** Requests are a few kB; 1 MiB leaves room and keeps a 5 MB body from being buffered (413). */
const BODY_LIMIT = '1mb';

/** An answer that is not a decision: the status and a JSON error body. */
class HttpError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * The handler as an Express app.
 *
 * @param {AppConfig} config
 * @returns {import('express').Express}
 */
export function createApp(config) {
  const { paths, cosignerPublicKeys, handlerPrivateKey, risk } = config;
  if (!Array.isArray(cosignerPublicKeys) || cosignerPublicKeys.length === 0) throw new Error('createApp: cosignerPublicKeys needs at least one Co-signer public key');
  if (!risk || typeof risk.url !== 'string') throw new Error('createApp: risk.url is required (the risk API this handler asks before it approves)');
  const log = config.log ?? ((line) => console.log(line));
  const doFetch = config.fetch ?? ((input, init) => fetch(input, init));

  const app = express();
  app.disable('x-powered-by');
  // type: () => true also takes a request without any Content-Type; '*/*' would leave req.body unset.
  const rawBody = express.text({ type: () => true, limit: BODY_LIMIT, defaultCharset: 'utf-8' });

  /** @param {'tx' | 'config'} kind @returns {import('express').RequestHandler} */
  const endpoint = (kind) => async (req, res, next) => {
    try {
      const body = typeof req.body === 'string' ? req.body.trim() : '';
      if (body === '') throw new HttpError(400, 'empty body: expected a compact JWS signed by the Co-signer');
      const payload = await verifyRequest(body, cosignerPublicKeys);
      const requestId = payload.requestId;
      if (typeof requestId !== 'string' || requestId === '') throw new HttpError(400, 'requestId is missing or not a string');

      const decision = await askRisk(kind, payload, risk, doFetch, log);
      /** @type {Record<string, unknown>} */
      const claims = { action: decision.action, requestId };
      if (decision.rejectionReason !== undefined) claims.rejectionReason = decision.rejectionReason;
      const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(handlerPrivateKey);
      log(`${kind} ${requestId} ${decision.action}${decision.rejectionReason ? `: ${decision.rejectionReason}` : ''}`);
      // The Co-signer reads the body as the bare JWS; text/plain is what Fireblocks' own handler sends.
      res.type('text/plain').send(jwt);
    } catch (error) {
      next(error);
    }
  };

  app.post(paths.tx, rawBody, endpoint('tx'));
  app.post(paths.config, rawBody, endpoint('config'));
  // The Co-signer only POSTs; anything else on an endpoint is 405, not Express's 404.
  app.all([paths.tx, paths.config], (req, res) => {
    res.set('Allow', 'POST').status(405).json({ error: `${req.method} is not allowed; use POST` });
  });
  app.use((req, res) => {
    res.status(404).json({ error: `no route for ${req.path}` });
  });
  // Errors (ours, and body-parser's 413 and 400) as JSON, never Express's HTML page or a stack.
  app.use(/** @type {import('express').ErrorRequestHandler} */ (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) console.error(error);
    else log(`${req.method} ${req.path} ${status}: ${error.message}`);
    res.status(status).json({ error: status >= 500 ? 'internal error' : error.message });
  });
  return app;
}

/**
 * The request's claims, when one of the Co-signer keys verifies it. RS256 only: a token whose
 * header says `none` or `HS256` is refused whatever it carries. Requests have no `exp` or `iat`,
 * so the signature is all there is to check.
 *
 * @param {string} jws
 * @param {KeyObject[]} keys
 * @returns {Promise<Record<string, unknown>>}
 */
async function verifyRequest(jws, keys) {
  if (jws.split('.').length !== 3) throw new HttpError(400, 'body is not a compact JWS');
  /** @type {Uint8Array | undefined} */
  let verified;
  for (const key of keys) {
    try {
      verified = (await compactVerify(jws, key, { algorithms: ['RS256'] })).payload;
      break;
    } catch {
      // Not this Co-signer's signature (or not RS256): try the next key, refuse after the last.
    }
  }
  if (verified === undefined) throw new HttpError(401, 'the request does not verify with the Co-signer public key (RS256)');
  let claims;
  try {
    claims = JSON.parse(new TextDecoder().decode(verified));
  } catch {
    throw new HttpError(400, 'the request claims are not JSON');
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new HttpError(400, 'the request claims are not a JSON object');
  return claims;
}

/**
 * What the risk API is told: the fields a risk decision needs, not the whole request.
 *
 * @param {'tx' | 'config'} kind
 * @param {Record<string, any>} p
 */
export function riskQuery(kind, p) {
  if (kind === 'config') return { kind, requestId: p.requestId, type: p.type };
  const destinations = Array.isArray(p.destinations) ? p.destinations : [];
  const amountUSD = destinations.reduce((sum, d) => sum + (typeof d?.amountUSD === 'number' ? d.amountUSD : 0), 0);
  return {
    kind,
    requestId: p.requestId,
    txId: p.txId,
    operation: p.operation,
    asset: p.asset,
    amountUSD,
    destinations: destinations.map((d) => d?.displayDstAddress ?? d?.dstAddress ?? d?.dstId ?? null),
    externalTxId: p.externalTxId ?? null,
  };
}

/**
 * POST the query to the risk API and turn its `{ score }` into a decision. Anything but a
 * timely 2xx with a numeric score is RETRY: without a score nothing is approved, and the
 * Co-signer re-sends the request later, when the API may be back.
 *
 * @param {'tx' | 'config'} kind
 * @param {Record<string, unknown>} payload
 * @param {AppConfig['risk']} risk
 * @param {typeof fetch} doFetch
 * @param {(line: string) => void} log
 * @returns {Promise<Decision>}
 */
async function askRisk(kind, payload, risk, doFetch, log) {
  const threshold = risk.threshold ?? DEFAULT_RISK_THRESHOLD;
  let score;
  try {
    const res = await doFetch(risk.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(riskQuery(kind, payload)),
      signal: AbortSignal.timeout(risk.timeoutMs ?? DEFAULT_RISK_TIMEOUT_MS),
    });
    if (!res.ok) {
      log(`risk API answered ${res.status}: RETRY`);
      return { action: 'RETRY' };
    }
    score = (await res.json())?.score;
  } catch (error) {
    log(`risk API unreachable (${error instanceof Error ? error.name : 'error'}: ${error instanceof Error ? error.message : String(error)}): RETRY`);
    return { action: 'RETRY' };
  }
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    log(`risk API answered without a numeric score: RETRY`);
    return { action: 'RETRY' };
  }
  if (score >= threshold) return { action: 'REJECT', rejectionReason: `risk score ${score} is at or above ${threshold}` };
  return { action: 'APPROVE' };
}
