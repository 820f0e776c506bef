import type { KeyObject } from 'node:crypto';
import { InvalidArgumentError, MissingMaterialError } from '../errors.js';
import { judgeExchange } from '../checks/index.js';
import { resignCompactJws, signCompactJws, splitCompactJws } from '../codec/jws.js';
import { parseResponseBody, previewBody } from '../codec/response.js';
import { omittedOptionalFields } from '../protocol/optional-fields.js';
import { parsePrivateKey } from '../keys/parse.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import { DEFAULT_PROFILE, optionAvailability, resolveProfile, userAgentOf, type Profile } from '../protocol/profiles.js';
import { packageVersion } from '../lib/package-version.js';
import {
  buildEndpointUrl,
  createRequestFactory,
  serializePayload,
  validateBaseUrl,
  type BuildOptions,
  type BuiltRequest,
  type RequestFactory,
  type TxBuildInput,
  type ConfigBuildInput,
} from '../protocol/index.js';
import type { CallbackResult, Endpoint, JsonObject, ReceivedResponse, SentRequest, Stage, Warning } from '../protocol/types.js';
import { buildTlsOptions } from '../tls/trust.js';
import { isResolvedMaterial, resolveMaterial, type CosignerKey, type MaterialInput, type ResolvedMaterial } from './material.js';
import { kitCosigners } from '../keys/types.js';
import { markTxPayload } from './marker.js';
import { createConnectionPool, exchange } from './transport.js';

/** Request Content-Types the simulator can send; the real Co-signer's is undocumented [protocol.md §1]. */
export type RequestContentType = 'text/plain' | 'application/jwt' | 'application/json' | 'none';
export const REQUEST_CONTENT_TYPES: readonly RequestContentType[] = ['text/plain', 'application/jwt', 'application/json', 'none'];

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** How the simulated Co-signer sends: everything but the handler's URL and the key material. */
export interface ClientOptions extends BuildOptions {
  /**
   * How long to wait for the whole exchange, in ms (default 30 000, like the Co-signer). An answer
   * after the Co-signer's 30 s fails `deadline` even when this is longer: more only shows how late it was.
   */
  timeoutMs?: number;
  /**
   * @internal For tests only: the Co-signer's own limit (default 30 000 ms [protocol.md §0.5.1]),
   * lowered so the 30-second rule can be proved without waiting 30 s.
   */
  cosignerLimitMs?: number;
  /** Read at most this many response bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Request Content-Type (default `text/plain`; `none` sends no Content-Type header). */
  contentType?: RequestContentType;
  /** `faithful` (default) prints JSON as the real Co-signer does; `plain` uses JSON.stringify. */
  wireFormat?: 'faithful' | 'plain';
  /** Extra request headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * `--marker`: text put into every built tx request's `externalTxId` (appended after a `-`, so
   * `csim-retry-1` stays a RETRY marker) and `note`, so smoke traffic can be told apart in the
   * handler's logs. Applied before signing; config changes have no free-text field and carry none.
   * Body overrides and replays are sent byte for byte, unmarked.
   */
  marker?: string;
  /**
   * `--proxy`: an HTTP proxy (`http://host:port`) the requests tunnel through with CONNECT; the
   * TLS to the handler runs inside the tunnel, verified as without a proxy.
   */
  proxy?: string;
  /** Hosts the proxy is not used for (NO_PROXY syntax: `localhost,.internal,10.0.0.1`, `*` for all). */
  noProxy?: string;
  /**
   * `load --reuse-connections`: send over kept-alive connections (one pool per Co-signer) instead
   * of a fresh TCP connection and TLS handshake per request (the default: the real Co-signer's
   * connection behaviour is unknown [U], and a fresh handshake hides nothing). Each new connection
   * is verified as usual; a result on a reused one carries the certificate its handshake saw and
   * says so in `connection`. `close()` closes the connections.
   */
  reuseConnections?: boolean;
  /**
   * `--cosigner n`: send as Co-signer n (from 1, default 1): its key signs, its `signerId` goes
   * in the payload [protocol.md §14.2]. A request's own `cosigner` wins.
   */
  cosigner?: number;
}

/** A Co-signer from raw key material (PEM text, KeyObjects, a kit): it is resolved here. */
export interface CosignerOptions extends MaterialInput, ClientOptions {
  /** The handler's base URL, without `/v2` or an endpoint name (e.g. `https://127.0.0.1:8443/fireblocks/cb`). */
  url: string;
}

/** A Co-signer from material already resolved (resolveMaterial, or a started target's): not parsed again. */
export interface ResolvedCosignerOptions extends ClientOptions {
  /** The handler's base URL, without `/v2` or an endpoint name. */
  url: string;
  /** Its option is the Co-signer's option. */
  material: ResolvedMaterial;
}

/** What createCosigner takes from a started target (targets/ StartedTarget fits as it is). */
export interface CosignerTarget {
  readonly url: string;
  readonly material: ResolvedMaterial;
  /** A started process's end (targets/ StartedTarget.exited): a refused connection then names it. */
  exited?(withinMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; logs: string[] } | undefined>;
}

/** Per-request knobs shared by sendTx and sendConfigChange, for users' own negative tests. */
export interface SendOverrides {
  /** Send this request as Co-signer n (from 1): its key signs it and its `signerId` is in the payload. */
  cosigner?: number;
  contentType?: RequestContentType;
  headers?: Record<string, string>;
  /** Sign with this private key instead of the Co-signer's (a forged request). */
  signWith?: string | KeyObject;
  /** Send to this path (relative to the base URL) instead of the option's endpoint path. */
  path?: string;
  /**
   * Send this body instead of the encoded payload. When it is a request (a compact JWS, or JSON
   * under options 2 and 3), the answer is judged by what it carries: its `requestId`, `txId`,
   * payload and stage (signing when it has a `fee`, unless `stage` is given); otherwise by the
   * built request, which is recorded.
   */
  body?: string;
  /**
   * With `body` a compact JWS: keep its header and payload segments byte for byte and make the
   * signature again with the Co-signer key (or `signWith`): a captured request replayed to a
   * handler that trusts the test key. Under options 2 and 3 the payload segment's JSON is sent.
   */
  resign?: boolean;
  /**
   * Build and judge this request as a Co-signer of this version would (a scenario's `profile:`);
   * default: the client's profile.
   */
  profile?: Profile;
}

export type SendTxOptions = TxBuildInput & SendOverrides;
export type SendConfigChangeOptions = ConfigBuildInput & SendOverrides;

export interface SendRawOptions {
  /** Path relative to the base URL, e.g. `/v2/tx_sign_request`. */
  path: string;
  /** The exact body to send. */
  body: string;
  headers?: Record<string, string>;
  /** The requestId the response should echo (read from the body when it is a JWS or JSON). */
  requestId?: string;
  stage?: Stage;
}

/** A simulated Co-signer pointed at one Callback Handler. */
export interface Cosigner {
  readonly option: SecurityOptionNumber;
  readonly url: string;
  /** The seed of the request factory; print it to reproduce a run. */
  readonly seed: number;
  /** The Co-signer version simulated: its payloads, its User-Agent, the answers it honours. */
  readonly profile: Profile;
  /** How many Co-signers the key material gives (a kit's, or the `cosignerKey` list): `cosigner` may be 1 to this (any number in the unsigned options 2 and 3). */
  readonly cosigners: number;
  /** The `signerId` Co-signer n's requests carry. */
  signerIdOf(n: number): string;
  /** Send a `tx_sign_request` (default stage `signing`). */
  sendTx(options?: SendTxOptions): Promise<CallbackResult>;
  /** Send a `config_change_sign_request` (always an approval). */
  sendConfigChange(options?: SendConfigChangeOptions): Promise<CallbackResult>;
  /** Send an arbitrary body to an arbitrary path, and judge the answer like any other. */
  sendRaw(options: SendRawOptions): Promise<CallbackResult>;
  /**
   * Re-send a request exactly as it was sent before (the Co-signer's RETRY re-sends identical
   * requests), judged under `profile` when the first send had one of its own.
   */
  resend(previous: CallbackResult, overrides?: Pick<SendOverrides, 'profile'>): Promise<CallbackResult>;
  /** Release resources: with `reuseConnections`, close the kept-alive connections; otherwise each request used its own, and this is cheap. */
  close(): Promise<void>;
}

/**
 * A Co-signer number the material can send as: a whole number from 1 to `count`. Asking for one
 * the material lacks is a usage error (exit 2) that says how many there are and how to add one.
 */
function checkCosignerNumber(n: number | undefined, count: number, field: string): number {
  if (n === undefined) return 1;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`${field} must be a Co-signer number from 1, got ${JSON.stringify(n)}`, { field, hint: `give 1 to ${count}: Co-signer 1 is the kit's cosigner-private.pem (or the first --cosigner-key)` });
  }
  if (n > count) {
    throw new MissingMaterialError(`Co-signer ${n} was asked for (${field}: ${n}), and the key material has ${count === 1 ? 'only 1 Co-signer' : `only ${count} Co-signers`}`, {
      field,
      hint: `add cosigner-${n}-private.pem and cosigner-${n}-public.pem to the kit folder (--kit), or give --cosigner-key ${count + 1 === n ? 'once more' : `${n} times`} (Co-signer 1, 2, ... in the order given)`,
    });
  }
  return n;
}

function contentTypeHeader(type: RequestContentType): Record<string, string> {
  return type === 'none' ? {} : { 'content-type': type };
}

function readRequestId(option: SecurityOptionNumber, body: string): { requestId?: string; payload?: JsonObject } {
  const parsed = parseResponseBody(SECURITY_OPTIONS[option].messageLayer, body);
  const claims = parsed.format === 'jws' ? parsed.payload : parsed.format === 'json' ? parsed.value : undefined;
  if (!claims) return {};
  return { payload: claims as JsonObject, ...(typeof claims.requestId === 'string' ? { requestId: claims.requestId } : {}) };
}

/** A request payload's stage as the Co-signer sends it: a `fee` only at signing [protocol.md §4.7, §6]. */
function stageOf(endpoint: Endpoint, payload: JsonObject): Stage {
  return endpoint === 'config_change_sign_request' || payload.fee === undefined ? 'approval' : 'signing';
}

/**
 * Create a simulated Co-signer for one handler and one security option: from raw key material
 * (resolved here), from material resolved before, or from a started target (its URL and
 * material, plus your client options). Resolved material is used as it is, never parsed again.
 *
 * @example
 * const cosigner = createCosigner({ url: handler.url, option: 4, kit });
 * const res = await cosigner.sendTx({ payload: { amountStr: '250000' } });
 * res.decision.action; // 'REJECT'
 * res.ok;              // true: every check passed
 * // or, from a started target:
 * await using target = await startTarget({ kind: 'reference', option: 4 });
 * const c = createCosigner(target, { seed: 1 });
 */
export function createCosigner(options: CosignerOptions | ResolvedCosignerOptions): Cosigner;
export function createCosigner(target: CosignerTarget, options?: ClientOptions): Cosigner;
export function createCosigner(first: CosignerOptions | ResolvedCosignerOptions | CosignerTarget, extra?: ClientOptions): Cosigner {
  const options: (CosignerOptions | ResolvedCosignerOptions) & ClientOptions = extra === undefined ? (first as CosignerOptions | ResolvedCosignerOptions) : { ...extra, url: first.url, material: (first as CosignerTarget).material };
  const exited = typeof (first as CosignerTarget).exited === 'function' ? (first as CosignerTarget).exited!.bind(first) : undefined;
  let material: ResolvedMaterial;
  if ('material' in options) {
    if (!isResolvedMaterial(options.material)) {
      throw new InvalidArgumentError('createCosigner: material must be resolved key material (from resolveMaterial, or a started target)', {
        hint: 'pass raw inputs as { url, option, kit, cosignerKey, ... } instead, and createCosigner resolves them',
      });
    }
    material = options.material;
  } else {
    material = resolveMaterial(options);
  }
  const option = material.option;
  const spec = SECURITY_OPTIONS[option];
  const base = validateBaseUrl(options.url, option);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidArgumentError(`timeoutMs must be a positive number of milliseconds, got ${String(options.timeoutMs)}`);
  const cosignerLimitMs = options.cosignerLimitMs;
  if (cosignerLimitMs !== undefined && (!Number.isFinite(cosignerLimitMs) || cosignerLimitMs <= 0)) throw new InvalidArgumentError(`cosignerLimitMs must be a positive number of milliseconds, got ${String(cosignerLimitMs)}`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const defaultContentType = options.contentType ?? 'text/plain';
  if (!REQUEST_CONTENT_TYPES.includes(defaultContentType)) {
    throw new InvalidArgumentError(`contentType must be one of ${REQUEST_CONTENT_TYPES.join(', ')}, got ${JSON.stringify(defaultContentType)}`);
  }
  const wireFormat = options.wireFormat ?? 'faithful';
  const tls = buildTlsOptions(option, material.trust);
  const clientProfile = options.profile ?? resolveProfile(DEFAULT_PROFILE);
  const factory: RequestFactory = createRequestFactory({ ...options, profile: clientProfile });
  const pool = options.reuseConnections === true ? createConnectionPool() : undefined;
  // JWT options sign with each Co-signer's key, so Co-signer n needs the nth key. The JSON options
  // sign nothing: a Co-signer there is only its signerId, and any number is one.
  const cosignerCount = material.cosigners?.length ?? (material.kit ? kitCosigners(material.kit).length : 1);
  const cosignerLimit = spec.messageLayer === 'jwt' ? cosignerCount : Number.POSITIVE_INFINITY;
  const defaultCosigner = checkCosignerNumber(options.cosigner, cosignerLimit, 'cosigner');
  const baseWarnings: Warning[] = base.plainHttp
    ? [{ id: 'plain-http', message: 'plain http: the request and the decision travel unencrypted', hint: 'the docs allow http for option 1 in development only; use https with a CA-signed certificate in production' }]
    : [];
  /** The warnings every exchange under a profile carries: plain http, and an option the profile may lack [U]. */
  function profileWarnings(profile: Profile): Warning[] {
    if (optionAvailability(profile, option) !== 'unconfirmed') return baseWarnings;
    return [
      ...baseWarnings,
      {
        id: 'profile-unconfirmed',
        message: `option ${option} (${spec.label}) is not confirmed for ${profile.id}: no source says this Co-signer offers it [U]`,
        hint: `check your Co-signer's release notes, or run the option on an SGX profile (cosigner-sim profiles); --accept-warning profile-unconfirmed keeps --strict green`,
      },
    ];
  }
  const userAgent = (profile: Profile) => userAgentOf(profile, packageVersion());

  /** Co-signer n's key (JWT options), when the material has keys. */
  function keyOf(n: number): CosignerKey | undefined {
    return material.cosigners?.[n - 1];
  }

  async function send(request: SentRequest, buildWarnings: readonly Warning[] = [], profile: Profile = clientProfile): Promise<CallbackResult> {
    const out = await exchange({
      url: request.url,
      option,
      headers: request.headers,
      body: request.body,
      tls,
      timeoutMs,
      maxBodyBytes,
      ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
      ...(options.noProxy !== undefined ? { noProxy: options.noProxy } : {}),
      ...(pool ? { pool, label: request.requestId } : {}),
    });
    if (out.failure?.check === 'connect' && exited) {
      // A handler process cosigner-sim started and that has gone: say so, not a bare ECONNREFUSED.
      const end = await exited(500);
      if (end !== undefined) {
        const how = end.code !== null ? `exited with code ${end.code}` : `was killed by ${end.signal ?? 'a signal'}`;
        const tail = end.logs.length > 0 ? `; its last ${end.logs.length} line${end.logs.length === 1 ? '' : 's'} of output:\n${end.logs.join('\n')}` : '; it printed nothing';
        out.failure = { ...out.failure, message: `the handler process ${how} during the run (${out.failure.message})${tail}`, hint: 'the process cosigner-sim started is gone: look at its output for the crash; every later request fails the same way' };
      }
    }
    const response: ReceivedResponse | undefined =
      out.status === undefined
        ? undefined
        : { status: out.status, headers: out.headers ?? {}, body: out.body, bodyBytes: out.bodyBytes, truncated: out.truncated, complete: out.complete && !out.failure };
    return judgeExchange(
      {
        request,
        ...(response ? { response } : {}),
        timings: out.timings,
        ...(out.peerCertificate ? { peerCertificate: out.peerCertificate } : {}),
        ...(out.failure ? { transportFailure: out.failure } : {}),
        ...(out.connection ? { connection: out.connection } : {}),
        // Recorded with the verdict: a report told later (the consequence line) must use this
        // exchange's Co-signer version, not the run's (a scenario's own profile:, a resend's).
        profile: profile.id,
      },
      { timeoutMs, profile, ...(cosignerLimitMs !== undefined ? { cosignerLimitMs } : {}), warnings: [...profileWarnings(profile), ...buildWarnings], ...(material.handlerPublicKey ? { handlerPublicKey: material.handlerPublicKey } : {}) },
    );
  }

  /** The factory of a send's own profile: the same generator (IDs keep coming from the one seed), that profile's payloads. */
  function factoryFor(profile: Profile | undefined): RequestFactory {
    return profile === undefined || profile.id === clientProfile.id ? factory : factory.withProfile(profile);
  }

  function signingKey(signWith: string | KeyObject | undefined, n: number): KeyObject {
    return signWith !== undefined ? parsePrivateKey(signWith, { label: 'signWith' }) : (keyOf(n)?.privateKey ?? material.cosignerKey!);
  }

  function encode(payload: JsonObject, signWith: string | KeyObject | undefined, n: number): string {
    const text = serializePayload(payload, wireFormat);
    if (spec.messageLayer === 'json') return text;
    return signCompactJws(text, signingKey(signWith, n));
  }

  /** `resign`: the body's header and payload segments as they are, signed again [protocol.md §3]. */
  function resignBody(body: string, signWith: string | KeyObject | undefined, n: number): string {
    const segments = splitCompactJws(body);
    if (!segments) {
      throw new InvalidArgumentError(`resign needs a body that is one compact JWS (header.payload.signature), got ${JSON.stringify(previewBody(body, 40))}`, {
        field: 'resign',
        hint: 'paste the request JWT exactly as captured, or leave resign out to send the body as it is',
      });
    }
    // JSON options carry the payload itself: the captured payload bytes, unsigned [protocol.md §0.1].
    if (spec.messageLayer === 'json') return Buffer.from(segments.payload, 'base64url').toString('utf8');
    return resignCompactJws(segments, signingKey(signWith, n));
  }

  /**
   * Who signed: set when the run has several Co-signers and the Co-signer's own key signed (not
   * `signWith`), so a refusal can name the key the handler does not trust.
   */
  function signedBy(n: number, o: SendOverrides): Pick<SentRequest, 'signedBy'> {
    const key = keyOf(n);
    if (cosignerCount < 2 || key === undefined || o.signWith !== undefined || (o.body !== undefined && o.resign !== true)) return {};
    return { signedBy: { cosigner: n, of: cosignerCount, source: key.source, fingerprint: key.fingerprint } };
  }

  function toSent(built: BuiltRequest<JsonObject>, o: SendOverrides & { stage?: Stage }, n: number): SentRequest {
    const url = o.path !== undefined ? `${base.url}${o.path.startsWith('/') ? '' : '/'}${o.path}` : buildEndpointUrl(base.url, option, built.endpoint);
    if (o.resign === true && o.body === undefined) {
      throw new InvalidArgumentError('resign re-signs a body override, and no body was given', { field: 'resign', hint: 'give body: the request JWT to replay, or leave resign out' });
    }
    const body = o.body === undefined ? encode(built.payload, o.signWith, n) : o.resign === true ? resignBody(o.body, o.signWith, n) : o.body;
    // A body override is judged by the request it carries, never by a built one that was not sent
    // (as sendRaw does); a body that is no request (a negative test's garbage) keeps the built facts.
    const carried = o.body === undefined ? undefined : readRequestId(option, body).payload;
    if (carried) {
      const stage = o.stage ?? stageOf(built.endpoint, carried);
      return {
        method: 'POST',
        endpoint: built.endpoint,
        url,
        option,
        stage,
        requestId: typeof carried.requestId === 'string' ? carried.requestId : '',
        ...(typeof carried.txId === 'string' ? { txId: carried.txId } : {}),
        payload: carried,
        body,
        headers: { 'user-agent': userAgent(o.profile ?? clientProfile), ...contentTypeHeader(o.contentType ?? defaultContentType), ...options.headers, ...o.headers },
        omittedFields: omittedOptionalFields(built.endpoint, stage, carried),
        ...signedBy(n, o),
      };
    }
    return {
      method: 'POST',
      endpoint: built.endpoint,
      url,
      option,
      stage: built.stage,
      requestId: built.requestId,
      ...(built.txId !== undefined ? { txId: built.txId } : {}),
      payload: built.payload,
      body,
      headers: { 'user-agent': userAgent(o.profile ?? clientProfile), ...contentTypeHeader(o.contentType ?? defaultContentType), ...options.headers, ...o.headers },
      omittedFields: built.omittedFields,
      ...(built.optionalFields !== undefined ? { optionalFields: built.optionalFields } : {}),
      ...signedBy(n, o),
    };
  }

  /** The Co-signer a request is sent as: its own `cosigner`, else the client's. */
  const cosignerOf = (o: SendOverrides): number => (o.cosigner === undefined ? defaultCosigner : checkCosignerNumber(o.cosigner, cosignerLimit, 'cosigner'));

  return {
    option,
    url: base.url,
    seed: factory.seed,
    profile: clientProfile,
    cosigners: cosignerCount,
    signerIdOf: (n: number) => factory.signerIdFor(checkCosignerNumber(n, cosignerLimit, 'cosigner')),
    async sendTx(o: SendTxOptions = {}) {
      const n = cosignerOf(o);
      let built = factoryFor(o.profile).tx(o, { cosigner: n }) as unknown as BuiltRequest<JsonObject>;
      // Not for an exact payload or a body override: those are sent as the user wrote them.
      if (options.marker !== undefined && o.exact !== true && o.body === undefined) {
        const payload = markTxPayload(built.payload, options.marker);
        built = { ...built, payload, omittedFields: omittedOptionalFields(built.endpoint, built.stage, payload) };
      }
      return send(toSent(built, o, n), built.warnings, o.profile);
    },
    async sendConfigChange(o: SendConfigChangeOptions = {}) {
      const n = cosignerOf(o);
      const built = factoryFor(o.profile).configChange(o, { cosigner: n }) as unknown as BuiltRequest<JsonObject>;
      return send(toSent(built, o, n), built.warnings, o.profile);
    },
    async sendRaw(o: SendRawOptions) {
      if (typeof o.body !== 'string' || typeof o.path !== 'string') throw new InvalidArgumentError('sendRaw needs { path, body } as strings');
      const found = readRequestId(option, o.body);
      const endpoint: Endpoint = o.path.includes('config_change') ? 'config_change_sign_request' : 'tx_sign_request';
      const stage: Stage = o.stage ?? (endpoint === 'config_change_sign_request' || (found.payload && found.payload.fee === undefined) ? 'approval' : 'signing');
      return send({
        method: 'POST',
        endpoint,
        url: `${base.url}${o.path.startsWith('/') ? '' : '/'}${o.path}`,
        option,
        stage,
        requestId: o.requestId ?? found.requestId ?? '',
        payload: found.payload ?? {},
        body: o.body,
        headers: { 'user-agent': userAgent(clientProfile), ...contentTypeHeader(defaultContentType), ...options.headers, ...o.headers },
      });
    },
    async resend(previous: CallbackResult, overrides: Pick<SendOverrides, 'profile'> = {}) {
      // The same request, so the same build warnings (an untyped override) as the first send.
      return send(previous.request, previous.warnings.filter((w) => w.id === 'override-type-unknown'), overrides.profile);
    },
    async close() {
      // Without a pool nothing is kept: each exchange owns and destroys its Agent.
      await pool?.close();
    },
  };
}
