import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CompactSign, compactVerify } from 'jose';
import { InvalidArgumentError } from '../errors.js';
import { kitCosigners, type CertMaterial, type Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, usesJwt, type SecurityOptionNumber } from '../protocol/options.js';
import type { Endpoint, Stage } from '../protocol/types.js';
import { createPolicyState, decide, inferStage, type PolicyConfig, type PolicyDecision, type PolicyState } from './policy.js';
import { normalizeBasePath, readBody, sendError, serveOption, type ServedOption } from './server.js';

export { MAX_REQUEST_BYTES } from './server.js';

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
  /** The HTTP request; absent when {@link answer} is called without a transport (in-process, in tests). */
  req?: IncomingMessage;
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
  parse?(body: string, setup: SetupContext & { endpoint: Endpoint; req?: IncomingMessage }): Promise<Record<string, unknown>> | Record<string, unknown>;
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

/** A running reference handler: the base URL to configure in the Co-signer, and how to stop it. */
export type StartedReferenceHandler = ServedOption;

/** An HTTP error answer: `{"error": message}` with this status. Hooks may throw it too. */
export class HandlerHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HandlerHttpError';
    this.status = status;
  }
}

/** What {@link answer} needs besides the endpoint and the body. */
export interface AnswerOptions {
  option: SecurityOptionNumber;
  kit: Kit;
  hooks?: HandlerHooks;
  policy?: Partial<PolicyConfig>;
  /**
   * The policy's memory of requests seen (RETRY answers count re-sends): pass one state for
   * every request of one handler. Default: a fresh state, so each call stands alone.
   */
  state?: PolicyState;
  /** The HTTP request, when there is one; hooks see it as `ctx.req`. */
  req?: IncomingMessage;
}

/** An HTTP answer without the HTTP: what a handler would write for one request. */
export interface HandlerAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Present when a decision was reached (status 200): what the `respond` hook is given. */
  context?: HookContext;
}

/**
 * The reference handler's answering pipeline without a socket: authenticate and parse the body
 * (RS256 JWS for options 1, 4, 5; JSON for 2, 3), decide with the reference policy, encode the
 * claims, with each step replaceable by a hook. Errors become their answer (a
 * {@link HandlerHttpError}'s status, else 500), never a throw. The `respond` hook is not run
 * here: it writes to a response, which only a transport has.
 *
 * @example
 * const a = await answer('tx_sign_request', JSON.stringify(payload), { option: 2, kit });
 * a.status; // 200
 * JSON.parse(a.body).action; // 'APPROVE'
 */
export async function answer(endpoint: Endpoint, body: string, o: AnswerOptions): Promise<HandlerAnswer> {
  try {
    return await decideAnswer(endpoint, body, o, o.state ?? createPolicyState());
  } catch (error) {
    return errorAnswer(error);
  }
}

async function decideAnswer(endpoint: Endpoint, body: string, o: AnswerOptions, state: PolicyState): Promise<HandlerAnswer> {
  const { option, kit, hooks = {}, req } = o;
  const setup: SetupContext = { option, kit };
  const trimmed = body.trim();
  const payload = hooks.parse
    ? await hooks.parse(trimmed, { ...setup, endpoint, ...(req ? { req } : {}) })
    : usesJwt(option)
      ? await verifyRequestJws(trimmed, kit)
      : parseJsonObject(trimmed);

  const requestId = payload['requestId'];
  if (typeof requestId !== 'string') {
    throw new HandlerHttpError(400, 'requestId is missing or not a string');
  }
  const ctx: HookContext = { option, endpoint, stage: inferStage(endpoint, payload), payload, requestId, kit, ...(req ? { req } : {}), body };

  const policyDecision = decide(endpoint, payload, state, o.policy);
  const decision: DecisionOverride = hooks.decide?.(ctx, policyDecision) ?? policyDecision;
  // Echo the request's requestId, never txId: a batched request keeps a suffix txId lacks [protocol.md §4.1, §7]
  const baseClaims: Record<string, unknown> = { action: decision.action, requestId };
  if ('rejectionReason' in decision) baseClaims['rejectionReason'] = decision.rejectionReason;
  const claims = hooks.claims ? hooks.claims(baseClaims, ctx) : baseClaims;
  const out = hooks.encode ? await hooks.encode(claims, ctx) : await encodeResponse(claims, option, kit);
  return {
    status: 200,
    // The Co-signer evidently ignores the response Content-Type; text/plain is what the official
    // handler sends for the bare JWS [protocol.md §1]
    headers: { 'Content-Type': usesJwt(option) ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': String(Buffer.byteLength(out)) },
    body: out,
    context: ctx,
  };
}

function errorAnswer(error: unknown): HandlerAnswer {
  const status = error instanceof HandlerHttpError ? error.status : 500;
  const body = JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
  return { status, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, body };
}

/** What {@link createReferenceListener} serves. */
export type ReferenceListenerOptions = Pick<ReferenceHandlerOptions, 'option' | 'kit' | 'basePath' | 'policy' | 'hooks'>;

/**
 * The reference handler as a Node request listener: the `intercept` hook, routing (404 for an
 * unknown path, 405 for a method other than POST), the body under the size limit, then
 * {@link answer} and the `respond` hook. One policy state per listener. Serve it with
 * reference/server.ts, or mount it in your own server.
 *
 * @example
 * createServer(createReferenceListener({ option: 1, kit })).listen(8080);
 */
export function createReferenceListener(o: ReferenceListenerOptions): RequestListener {
  const { option, kit, hooks = {} } = o;
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
    const a = await answer(endpoint, body, { option, kit, hooks, state, req, ...(o.policy ? { policy: o.policy } : {}) });
    if (a.context && hooks.respond) {
      await hooks.respond(res, a.body, a.context);
      return;
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HandlerHttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, status, message);
    });
  };
}

/**
 * Start the reference Callback Handler: a correct handler for one security option, on
 * node:https, with the reference policy (see `decide` in policy.ts): reference/server.ts
 * serving {@link createReferenceListener}.
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
  const listener = createReferenceListener(o);
  const cert = !o.plainHttp && hooks.tls ? hooks.tls({ option, kit }) : undefined;
  return serveOption({
    option,
    kit,
    listener,
    ...(cert ? { cert } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.basePath !== undefined ? { basePath: o.basePath } : {}),
    ...(o.plainHttp ? { plainHttp: true } : {}),
  });
}

/**
 * Verify the request JWS with the Co-signer public keys, RS256 only (alg none, HS256 and the
 * rest are refused) [protocol.md §3]. Every kit Co-signer's key is trusted: in high availability
 * each Co-signer signs with its own [protocol.md §14.2]. compactVerify, not jwtVerify: requests
 * carry no exp/iat claims [protocol.md §3]. A bad signature or a refused alg is 401, as the docs'
 * examples answer [protocol.md §0.5.9]; a body that is not a compact JWS of a JSON object is 400.
 */
async function verifyRequestJws(body: string, kit: Kit): Promise<Record<string, unknown>> {
  const keys = kitCosigners(kit);
  for (const [i, pair] of keys.entries()) {
    try {
      const { payload } = await compactVerify(body, pair.publicKey, { algorithms: ['RS256'] });
      return parseJsonObject(new TextDecoder().decode(payload), 'request JWT claims');
    } catch (error) {
      if (error instanceof HandlerHttpError) throw error;
      const code = (error as { code?: unknown }).code;
      // Another key may verify it; anything but a wrong signature is the same for every key.
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' && i < keys.length - 1) continue;
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED' || code === 'ERR_JOSE_NOT_SUPPORTED') {
        const which = keys.length === 1 ? 'the Co-signer public key' : `the Co-signer public key (any of the kit's ${keys.length})`;
        throw new HandlerHttpError(401, `request JWT does not verify with ${which} (RS256): ${(error as Error).message}`);
      }
      throw new HandlerHttpError(400, `request body is not a compact JWS: ${(error as Error).message}`);
    }
  }
  throw new HandlerHttpError(401, 'no Co-signer public key to verify the request JWT with');
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
