import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CompactSign, compactVerify } from 'jose';
import { InvalidArgumentError } from '../errors.js';
import type { CertMaterial, Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, usesJwt, type SecurityOptionNumber } from '../protocol/options.js';
import type { Endpoint, Stage } from '../protocol/types.js';
import { createPolicyState, decide, inferStage, type PolicyConfig, type PolicyDecision } from './policy.js';

/** Request bodies larger than this get 413 and are not buffered further. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * After a 413 the rest of the body is read and thrown away, up to this many bytes in all, so
 * the client sees the 413 instead of a connection reset; past it the socket is destroyed.
 */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

const ENDPOINTS: readonly Endpoint[] = ['tx_sign_request', 'config_change_sign_request'];

/** Everything a hook knows about the request being answered. */
export interface HookContext {
  option: SecurityOptionNumber;
  endpoint: Endpoint;
  /** `signing` when the payload has `fee`, else `approval` (config changes: always `approval`). */
  stage: Stage;
  /** The verified JWT claims (options 1, 4, 5) or the parsed JSON body (options 2, 3). */
  payload: Record<string, unknown>;
  requestId: string;
  kit: Kit;
  req: IncomingMessage;
  /** The raw request body as received, before trimming. */
  body: string;
}

/** What the `decide` hook may answer instead of the policy; any string action, any reason value. */
export interface DecisionOverride {
  action: string;
  /** Included in the claims whenever the property is present, even as `null` or `''`. */
  rejectionReason?: unknown;
}

/** Where the `tls` and `path` hooks are asked, before any request arrives. */
export interface SetupContext {
  option: SecurityOptionNumber;
  kit: Kit;
}

/**
 * Hooks for deliberately broken handlers (the selftest zoo). Each one replaces one step of the
 * correct behaviour; with no hooks the handler is correct. A hook that throws gets a 500.
 *
 * @example
 * // answers plain JSON in a JWT option
 * const jsonInJwtMode: HandlerHooks = { encode: (claims) => JSON.stringify(claims) };
 * // forgets the /v2 prefix
 * const noV2: HandlerHooks = { path: (_endpoint, path) => path.replace('/v2/', '/') };
 */
export interface HandlerHooks {
  /** Serve this certificate instead of the option's own (an expired one, an unpinned one, ...). */
  tls?(setup: SetupContext): CertMaterial;
  /** The path an endpoint is served on, given the correct one; `undefined` leaves it unserved (404). */
  path?(endpoint: Endpoint, correctPath: string, setup: SetupContext): string | undefined;
  /**
   * Runs first, for every request, before routing and body reading. Return true when it wrote
   * (or deliberately never writes) the response itself: answer every path, hang, reset.
   */
  intercept?(req: IncomingMessage, res: ServerResponse, setup: SetupContext): boolean | Promise<boolean>;
  /**
   * Replaces request authentication and parsing: gets the trimmed body and returns the payload
   * (e.g. decode without verifying, accept `alg: none`). Throw {@link HandlerHttpError} for a
   * status of your choice.
   */
  parse?(body: string, setup: SetupContext & { endpoint: Endpoint; req: IncomingMessage }): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Override the policy's decision; `undefined` keeps it. */
  decide?(ctx: HookContext, decision: PolicyDecision): DecisionOverride | undefined;
  /** Rewrite the response claims (drop requestId, rename `Action`, add iat/exp, echo txId, ...). */
  claims?(claims: Record<string, unknown>, ctx: HookContext): Record<string, unknown>;
  /** Produce the response body from the claims (another key, alg none, HS256, JSON in JWT mode, ...). */
  encode?(claims: Record<string, unknown>, ctx: HookContext): Promise<string> | string;
  /** Write the response (status, headers, delays, trickled bytes, never answering, socket reset, ...). */
  respond?(res: ServerResponse, body: string, ctx: HookContext): Promise<void> | void;
}

export interface ReferenceHandlerOptions {
  /** Fixed at start: the handler serves only this option's paths and message layer. */
  option: SecurityOptionNumber;
  kit: Kit;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default `''`; e.g. `/fireblocks/cb` serves `/fireblocks/cb/v2/tx_sign_request`. */
  basePath?: string;
  /** Option 1 only: serve plain http, which the setup docs allow for development [protocol.md §2]. */
  plainHttp?: boolean;
  policy?: Partial<PolicyConfig>;
  /** For deliberately broken handlers; `undefined` means correct behaviour. */
  hooks?: HandlerHooks;
}

export interface StartedReferenceHandler {
  /** The base URL to configure in the Co-signer: scheme, host, port and basePath, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly option: SecurityOptionNumber;
  /** How many requests arrived so far (any path, any method). */
  readonly requests: number;
  /** Stop listening and close every connection, idle keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

/** An HTTP error answer: `{"error": message}` with this status. Hooks may throw it too. */
export class HandlerHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HandlerHttpError';
    this.status = status;
  }
}

/**
 * Start the reference Callback Handler: a correct handler for one security option, on
 * node:https, with the reference policy (see `decide` in policy.ts).
 *
 * TLS: option 1 serves `kit.leaf` (it stands in for a public-CA certificate: trust `kit.rootCa`),
 * options 2 and 4 serve `kit.pinned`, options 3 and 5 serve `kit.leaf` under `kit.rootCa`
 * [protocol.md §2].
 *
 * @example
 * const kit = await generateKit();
 * const handler = await startReferenceHandler({ option: 4, kit, basePath: '/fireblocks/cb' });
 * handler.url; // 'https://127.0.0.1:40123/fireblocks/cb'
 * await handler.close();
 */
export async function startReferenceHandler(o: ReferenceHandlerOptions): Promise<StartedReferenceHandler> {
  const { option, kit, hooks = {} } = o;
  if (!(option in SECURITY_OPTIONS)) {
    throw new InvalidArgumentError(`startReferenceHandler: option must be 1..5 (got ${JSON.stringify(option)})`);
  }
  if (o.plainHttp && option !== 1) {
    throw new InvalidArgumentError(`startReferenceHandler: plainHttp is allowed for option 1 only (got option ${option})`, {
      hint: `options 2-5 authenticate the handler at the TLS layer, so they need https [protocol.md §2]`,
    });
  }
  const setup: SetupContext = { option, kit };
  const basePath = normalizeBasePath(o.basePath ?? '');
  const routes = new Map<string, Endpoint>();
  for (const endpoint of ENDPOINTS) {
    // /v2 for the JWT options, none for the JSON ones; the Co-signer appends it to the base URL [protocol.md §1, §2]
    const correct = `${basePath}${SECURITY_OPTIONS[option].pathPrefix}/${endpoint}`;
    const path = hooks.path ? hooks.path(endpoint, correct, setup) : correct;
    if (path !== undefined) routes.set(path, endpoint);
  }

  const state = createPolicyState();
  let requests = 0;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HandlerHttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, status, message);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (hooks.intercept && (await hooks.intercept(req, res, setup))) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const endpoint = routes.get(path);
    if (endpoint === undefined) {
      req.resume();
      throw new HandlerHttpError(404, `no route for ${path}`);
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      throw new HandlerHttpError(405, `${req.method ?? '?'} is not allowed on ${path}; use POST`);
    }

    const body = await readBody(req, res);
    if (body === undefined) return; // 413 already sent
    const trimmed = body.trim();
    const payload = hooks.parse
      ? await hooks.parse(trimmed, { ...setup, endpoint, req })
      : usesJwt(option)
        ? await verifyRequestJws(trimmed, kit)
        : parseJsonObject(trimmed);

    const requestId = payload['requestId'];
    if (typeof requestId !== 'string') {
      throw new HandlerHttpError(400, 'requestId is missing or not a string');
    }
    const ctx: HookContext = { option, endpoint, stage: inferStage(endpoint, payload), payload, requestId, kit, req, body };

    const policyDecision = decide(endpoint, payload, state, o.policy);
    const decision: DecisionOverride = hooks.decide?.(ctx, policyDecision) ?? policyDecision;
    // Echo the request's requestId, never txId: a batched request keeps a suffix txId lacks [protocol.md §4.1, §7]
    const baseClaims: Record<string, unknown> = { action: decision.action, requestId };
    if ('rejectionReason' in decision) baseClaims['rejectionReason'] = decision.rejectionReason;
    const claims = hooks.claims ? hooks.claims(baseClaims, ctx) : baseClaims;
    const out = hooks.encode ? await hooks.encode(claims, ctx) : await encodeResponse(claims, option, kit);
    if (hooks.respond) {
      await hooks.respond(res, out, ctx);
      return;
    }
    // The Co-signer evidently ignores the response Content-Type; text/plain is what the official
    // handler sends for the bare JWS [protocol.md §1]
    res.writeHead(200, {
      'Content-Type': usesJwt(option) ? 'text/plain; charset=utf-8' : 'application/json',
      'Content-Length': Buffer.byteLength(out),
    });
    res.end(out);
  }

  const useHttp = o.plainHttp === true;
  let server: Server;
  if (useHttp) {
    server = createHttpServer(listener);
  } else {
    const cert = hooks.tls ? hooks.tls(setup) : certFor(option, kit);
    server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, listener);
  }

  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${useHttp ? 'http' : 'https'}://${urlHost(host)}:${port}${basePath}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    option,
    get requests() {
      return requests;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for kept-alive sockets to time out
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The certificate the handler presents for an option [protocol.md §2]. */
function certFor(option: SecurityOptionNumber, kit: Kit): CertMaterial {
  return SECURITY_OPTIONS[option].tls === 'pinned' ? kit.pinned : kit.leaf;
}

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Read the whole body as UTF-8 text whatever its Content-Type: the real Co-signer's is not
 * documented, and handlers should not depend on it [protocol.md §1, §13.1]. Over
 * MAX_REQUEST_BYTES: answer 413 and return undefined.
 */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BYTES) {
    tooLarge(req, res, 0);
    return Promise.resolve(undefined);
  }
  // Events, not `for await`: leaving an async iterator early destroys the request, and with it
  // the socket, before the 413 is written.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        cleanup();
        tooLarge(req, res, size);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse, alreadyRead: number): void {
  let drained = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
  res.setHeader('Connection', 'close');
  sendError(res, 413, `request body exceeds ${MAX_REQUEST_BYTES} bytes`);
}

/**
 * Verify the request JWS with the Co-signer's public key, RS256 only (alg none, HS256 and the
 * rest are refused) [protocol.md §3]. compactVerify, not jwtVerify: requests carry no
 * exp/iat claims [protocol.md §3]. A bad signature or a refused alg is 401, as the docs' examples
 * answer [protocol.md §0.5.9]; a body that is not a compact JWS of a JSON object is 400.
 */
async function verifyRequestJws(body: string, kit: Kit): Promise<Record<string, unknown>> {
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(body, kit.cosigner.publicKey, { algorithms: ['RS256'] }));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED' || code === 'ERR_JOSE_NOT_SUPPORTED') {
      throw new HandlerHttpError(401, `request JWT does not verify with the Co-signer public key (RS256): ${(error as Error).message}`);
    }
    throw new HandlerHttpError(400, `request body is not a compact JWS: ${(error as Error).message}`);
  }
  return parseJsonObject(new TextDecoder().decode(payload), 'request JWT claims');
}

function parseJsonObject(text: string, what = 'request body'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HandlerHttpError(400, `${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HandlerHttpError(400, `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * The correct response body: in JWT options a bare compact JWS signed RS256 with the handler's
 * key, header `{"alg":"RS256","typ":"JWT"}` [protocol.md §0.1, §3]; in JSON options the claims
 * object as JSON [protocol.md §2].
 */
async function encodeResponse(claims: Record<string, unknown>, option: SecurityOptionNumber, kit: Kit): Promise<string> {
  const json = JSON.stringify(claims);
  if (!usesJwt(option)) return json;
  return new CompactSign(new TextEncoder().encode(json)).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(kit.handler.privateKey);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
