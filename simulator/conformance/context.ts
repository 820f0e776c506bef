import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type { Cosigner, RequestContentType } from '../client/cosigner.js';
import { InternalError } from '../errors.js';
import { signCompactJws } from '../codec/jws.js';
import { createRequestFactory, endpointPath, serializePayload, type RequestFactory, type TxBuildInput } from '../protocol/index.js';
import { usesJwt, type SecurityOptionNumber } from '../protocol/options.js';
import type { CallbackResult, CheckId, CheckOutcome, Endpoint, JsonObject, Stage, Timings, Warning } from '../protocol/types.js';
import type { ContentTypeVerdict, ScenarioCheckOutcome, StepResult } from '../runner/types.js';
import type { TrustMaterial } from '../tls/trust.js';
import { baseFields, overlaps, type BaseRequests } from '../suite/base.js';
import type { EndpointScope } from './table.js';

/** Everything a probe needs: the cosigner, its keys, and a record of every exchange for the deadline group. */
export interface ProbeContext {
  cosigner: Cosigner;
  option: SecurityOptionNumber;
  jwt: boolean;
  /** The handler base URL (validated), without `/v2` or an endpoint. */
  baseUrl: string;
  plainHttp: boolean;
  /** Builds every payload of the battery: all optional fields, so that removing them is a probe of its own. */
  factory: RequestFactory;
  /** JWT options: the Co-signer private key, to sign genuine bodies that probes then alter. */
  cosignerKey?: KeyObject;
  /** `tls.connect` options for https URLs (verification on), for raw probes. */
  tls: ConnectionOptions;
  /** The trust material behind `tls`, for a handshake with other protocol versions (tls/legacy-version). */
  trust: TrustMaterial;
  timeoutMs: number;
  /** What a valid request looks like (`--set`, `--base`): every probe request is derived from it. */
  base: BaseRequests;
  /** The endpoints the handler serves (`--endpoints`). */
  endpoints: EndpointScope;
  /** The requests in flight at most (`--battery-concurrency`); the idempotency probes run alone and keep their own. */
  concurrency: number;
  /** Timings of every exchange that got a complete answer, for `deadline/latency`. */
  timings: Timings[];
  /** Record an exchange (every probe request goes through here). */
  record(result: CallbackResult): CallbackResult;
  /**
   * Set for the forgery probes when forgery/positive-control failed with a well-formed decision
   * (REJECT, RETRY): a forged request answered the same way is inconclusive, not refused.
   */
  controlDecision?: string;
  /** Run one exchange in a free slot: at most `concurrency` at once across the battery. */
  slot<T>(send: () => Promise<T>): Promise<T>;
}

/**
 * A counting semaphore: `run` waits for a free slot. FIFO, so no probe starves.
 *
 * @example
 * const limit = createLimiter(8); await limit(() => fetch(url));
 */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Options of {@link sendValid}: a tx built by the battery's factory and sent as a genuine request. */
export interface ValidTx extends Pick<TxBuildInput, 'stage' | 'batched' | 'payload' | 'unset' | 'operation' | 'destType'> {
  /** Build and sign it as Co-signer n (its signerId, its key); default Co-signer 1. */
  cosigner?: number;
  /**
   * Base fields this probe is about and may change (it says so in its message); every other
   * field of the base request is kept as the base gives it.
   */
  purpose?: readonly string[];
  contentType?: RequestContentType;
  headers?: Record<string, string>;
  /** Send to this path (relative to the base URL) instead of the option's. */
  path?: string;
  /** Send this body instead (the payload is still recorded, e.g. for whitespace around the genuine body). */
  body?: (genuine: string) => string;
}

/**
 * Create the context for one run (runConformance does this once).
 *
 * @example
 * const ctx = createProbeContext({ cosigner, option: 4, baseUrl: cosigner.url, plainHttp: false, cosignerKey, tls, trust, timeoutMs: 30_000 });
 */
export function createProbeContext(o: {
  cosigner: Cosigner;
  option: SecurityOptionNumber;
  baseUrl: string;
  plainHttp: boolean;
  cosignerKey?: KeyObject;
  tls: ConnectionOptions;
  trust: TrustMaterial;
  timeoutMs: number;
  base?: BaseRequests;
  endpoints?: EndpointScope;
  concurrency?: number;
}): ProbeContext {
  const timings: Timings[] = [];
  const concurrency = o.concurrency ?? 8;
  const limit = createLimiter(concurrency);
  return {
    ...o,
    base: o.base ?? {},
    endpoints: o.endpoints ?? 'both',
    concurrency,
    slot: limit,
    jwt: usesJwt(o.option),
    // The cosigner's seed: the same signerId as its own requests, and a run that can be repeated.
    factory: createRequestFactory({ seed: o.cosigner.seed, optionalFields: 'all', profile: o.cosigner.profile }),
    timings,
    record(result) {
      if (result.response && !result.transportFailure) timings.push(result.timings);
      return result;
    },
  };
}

/**
 * The option's path of an endpoint, relative to the base URL.
 *
 * @example
 * pathOf(ctx, 'tx_sign_request'); // '/v2/tx_sign_request' (option 4)
 */
export function pathOf(ctx: ProbeContext, endpoint: Endpoint): string {
  return endpointPath(ctx.option, endpoint);
}

/**
 * The body the Co-signer would send for a payload: a compact JWS signed with its key, or JSON.
 *
 * @example
 * const jws = encodeGenuine(ctx, buildTx(ctx).payload); // 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.…'
 */
export function encodeGenuine(ctx: ProbeContext, payload: JsonObject): string {
  const text = serializePayload(payload, 'faithful');
  if (!ctx.jwt) return text;
  if (!ctx.cosignerKey) throw new InternalError('JWT option without a Co-signer key');
  return signCompactJws(text, ctx.cosignerKey);
}

/**
 * The Co-signer public key as SPKI PEM, as a handler holds it (`openssl rsa -pubout`).
 *
 * @example
 * cosignerPublicPem(ctx).startsWith('-----BEGIN PUBLIC KEY-----'); // true
 */
export function cosignerPublicPem(ctx: ProbeContext): string {
  if (!ctx.cosignerKey) throw new InternalError('JWT option without a Co-signer key');
  return createPublicKey(ctx.cosignerKey).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The probe's own overrides and unsets, less those that touch a base field the probe is not
 * about: base requests are sacred [README#base-request].
 */
export function sparedByBase(fields: readonly string[], o: { payload?: Readonly<Record<string, unknown>>; unset?: readonly string[]; purpose?: readonly string[] }): { payload: Record<string, unknown>; unset: string[] } {
  const free = (path: string) => (o.purpose ?? []).some((p) => overlaps(p, path)) || !fields.some((f) => overlaps(f, path));
  return {
    payload: Object.fromEntries(Object.entries(o.payload ?? {}).filter(([k]) => free(k))),
    unset: (o.unset ?? []).filter(free),
  };
}

/**
 * Build a transaction payload (all optional fields) from the base request without sending it.
 *
 * @example
 * const { payload, requestId } = buildTx(ctx, { stage: 'approval' });
 */
export function buildTx(ctx: ProbeContext, o: ValidTx = {}): { payload: JsonObject; stage: Stage; requestId: string } {
  const base = ctx.base.tx;
  const own = sparedByBase(baseFields(base), o);
  const purposeful = (path: string) => (o.purpose ?? []).some((p) => overlaps(p, path));
  // The base first, then what the probe tests on top (only its purpose may touch base fields).
  const payload = { ...(base?.payload ?? {}), ...own.payload };
  const unset = [...(base?.unset ?? []).filter((p) => !purposeful(p) && !(p in own.payload)), ...own.unset];
  const operation = o.operation ?? base?.operation;
  const destType = o.destType ?? base?.destType;
  const built = ctx.factory.tx({
    stage: o.stage ?? base?.stage ?? 'signing',
    ...(o.batched !== undefined ? { batched: o.batched } : {}),
    ...(Object.keys(payload).length > 0 ? { payload } : {}),
    ...(base && base.verbatim.length > 0 ? { verbatim: base.verbatim.filter((k) => k in payload) } : {}),
    ...(unset.length > 0 ? { unset } : {}),
    ...(operation !== undefined ? { operation: operation as NonNullable<TxBuildInput['operation']> } : {}),
    ...(destType !== undefined ? { destType: destType as NonNullable<TxBuildInput['destType']> } : {}),
    ...(base?.destinations !== undefined ? { destinations: base.destinations as NonNullable<TxBuildInput['destinations']> } : {}),
  }, o.cosigner !== undefined ? { cosigner: o.cosigner } : undefined);
  return { payload: built.payload as unknown as JsonObject, stage: built.stage, requestId: built.requestId };
}

/**
 * Build a configuration change payload from the config base (default: an UNMANAGED_WALLET
 * approval) without sending it; `type` replaces the base's type (a probe whose purpose it is).
 *
 * @example
 * buildConfig(ctx).payload.type; // 'UNMANAGED_WALLET'
 */
export function buildConfig(ctx: ProbeContext, o: { type?: string } = {}): { payload: JsonObject; stage: Stage; requestId: string } {
  const base = ctx.base.config;
  const type = o.type ?? base?.configType;
  const built = ctx.factory.configChange({
    ...(type !== undefined ? { type } : {}),
    ...(base && Object.keys(base.payload).length > 0 ? { payload: o.type !== undefined ? Object.fromEntries(Object.entries(base.payload).filter(([k]) => k !== 'type')) : base.payload } : {}),
    ...(base && base.verbatim.length > 0 ? { verbatim: base.verbatim } : {}),
    ...(base && base.unset.length > 0 ? { unset: base.unset } : {}),
  });
  return { payload: built.payload as unknown as JsonObject, stage: built.stage, requestId: built.requestId };
}

/**
 * Send a genuine transaction request through the cosigner (its key, wire format, headers and
 * deadline), built by the battery's factory so that every optional field is present.
 *
 * @example
 * const r = await sendValid(ctx, { stage: 'approval', contentType: 'application/jwt' });
 */
export async function sendValid(ctx: ProbeContext, o: ValidTx = {}): Promise<CallbackResult> {
  const { payload, stage } = buildTx(ctx, o);
  return ctx.record(
    await ctx.slot(() => ctx.cosigner.sendTx({
      exact: true,
      stage,
      payload,
      ...(o.cosigner !== undefined ? { cosigner: o.cosigner } : {}),
      ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
      ...(o.headers !== undefined ? { headers: o.headers } : {}),
      ...(o.path !== undefined ? { path: o.path } : {}),
      ...(o.body !== undefined ? { body: o.body(encodeGenuine(ctx, payload)) } : {}),
    })),
  );
}

/**
 * Send a genuine configuration change request (an UNMANAGED_WALLET approval).
 *
 * @example
 * const r = await sendValidConfig(ctx);
 */
export async function sendValidConfig(ctx: ProbeContext, o: { path?: string; type?: string } = {}): Promise<CallbackResult> {
  const built = buildConfig(ctx, o.type !== undefined ? { type: o.type } : {});
  return ctx.record(await ctx.slot(() => ctx.cosigner.sendConfigChange({ exact: true, payload: built.payload, ...(o.path !== undefined ? { path: o.path } : {}) })));
}

/**
 * Send an arbitrary body to a path (default: the option's tx_sign_request); `requestId` is
 * what a decision would have to echo.
 *
 * @example
 * const r = await sendBody(ctx, { body: '', requestId: '' }); // an empty body
 */
export async function sendBody(ctx: ProbeContext, o: { body: string; requestId: string; stage?: Stage; path?: string; contentType?: string }): Promise<CallbackResult> {
  return ctx.record(
    await ctx.slot(() => ctx.cosigner.sendRaw({ path: o.path ?? pathOf(ctx, 'tx_sign_request'), body: o.body, requestId: o.requestId, stage: o.stage ?? 'signing', ...(o.contentType !== undefined ? { headers: { 'content-type': o.contentType } } : {}) })),
  );
}

/** How a handler answered one request, in the battery's terms. */
export type Answer =
  /** 200 and every response check passed. */
  | { kind: 'decision'; action: string }
  | { kind: 'refusal'; status: number }
  | { kind: 'server-error'; status: number }
  | { kind: 'dropped'; code?: string; midBody: boolean }
  | { kind: 'timeout'; message: string }
  | { kind: 'tls'; message: string }
  /** An answer that is neither a refusal nor a valid decision (200 with a broken body, a redirect, ...). */
  | { kind: 'invalid'; status: number; failed: CheckOutcome };

/**
 * Classify one exchange.
 *
 * @example
 * classify(result); // { kind: 'refusal', status: 401 }
 */
export function classify(r: CallbackResult): Answer {
  const f = r.transportFailure;
  if (f?.check === 'deadline') return { kind: 'timeout', message: f.message };
  if (f?.check === 'tls') return { kind: 'tls', message: f.message };
  const status = r.response?.status;
  if (f || status === undefined) return { kind: 'dropped', ...(f?.code !== undefined ? { code: f.code } : {}), midBody: status !== undefined };
  if (status >= 400 && status < 500) return { kind: 'refusal', status };
  if (status >= 500) return { kind: 'server-error', status };
  const failed = r.checks.find((c) => c.status === 'fail');
  if (status === 200 && !failed && typeof r.decision.action === 'string') return { kind: 'decision', action: r.decision.action };
  return { kind: 'invalid', status, failed: failed ?? { id: 'http-status', status: 'fail', message: `handler answered ${status}` } };
}

/**
 * One phrase for an answer, to follow "handler".
 *
 * @example
 * describe({ kind: 'server-error', status: 500 }); // 'answered 500 (it crashed or errored)'
 */
export function describe(a: Answer): string {
  switch (a.kind) {
    case 'decision':
      return `answered ${a.action}`;
    case 'refusal':
      return `answered ${a.status}`;
    case 'server-error':
      return `answered ${a.status} (it crashed or errored)`;
    case 'dropped':
      return `closed the connection ${a.midBody ? 'in the middle of its answer' : 'without answering'}${a.code ? ` (${a.code})` : ''}`;
    case 'timeout':
      return `did not answer in time: ${a.message}`;
    case 'tls':
      return `failed the TLS handshake: ${a.message}`;
    case 'invalid':
      return `answered ${a.status} without a valid decision (${a.failed.id}: ${a.failed.message ?? 'failed'})`;
  }
}

/**
 * True for a REJECT whose body is correctly signed (JWT options) or well-formed (JSON): a
 * forged request may be refused this way instead of with a 4xx.
 *
 * @example
 * isSignedReject(result); // true
 */
export function isSignedReject(r: CallbackResult): boolean {
  if (r.response?.status !== 200 || r.decision.action !== 'REJECT') return false;
  const must: CheckId[] = ['connect', 'tls', 'deadline', 'http-status', 'body-format', 'jwt-alg', 'jwt-signature'];
  return must.every((id) => r.checks.find((c) => c.id === id)?.status !== 'fail');
}

/** A verdict on one requirement. */
export interface Verdict {
  ok: boolean;
  message: string;
  hint?: string;
  reason?: string;
  expected?: unknown;
  received?: unknown;
  /** Set on a verdict that proves nothing (the probe is then `notRun`): why. */
  inconclusive?: string;
}

/** Collects a probe's steps, verdicts and warnings into what becomes its ScenarioResult. */
export interface ProbeReport {
  steps: StepResult[];
  checks: ScenarioCheckOutcome[];
  warnings: Warning[];
  skipReason?: string;
  /** protocol/content-types: what the handler did with each request Content-Type. */
  contentTypes?: Record<string, ContentTypeVerdict>;
  /** Not run (its root cause failed, or its answer is inconclusive): why, and the probe that is the root cause. */
  notRun?: { reason: string; rootCause: string };
  /**
   * Record one request and its verdict. With `evidence`, a failed verdict also lists the
   * exchange's failed response checks (for steps that needed a correct answer).
   */
  step(label: string, result: CallbackResult, verdict: Verdict, evidence?: boolean): void;
  /** A requirement that is not about a single request (liveness, a comparison, a statistic). */
  expect(label: string, verdict: Verdict): void;
  warn(warning: Warning): void;
  skip(reason: string): void;
  notRunBecause(reason: string, rootCause: string): void;
}

function expectation(label: string, v: Verdict): ScenarioCheckOutcome {
  return {
    id: 'expectation',
    status: v.ok ? 'pass' : 'fail',
    message: `${label}: ${v.message}`,
    ...(v.hint !== undefined && !v.ok ? { hint: v.hint } : {}),
    ...(v.reason !== undefined ? { reason: v.reason } : {}),
    ...(v.expected !== undefined ? { expected: v.expected } : {}),
    ...(v.received !== undefined ? { received: v.received } : {}),
  };
}

/**
 * Start an empty report.
 *
 * @example
 * const report = createReport();
 * report.step('forged request', r, refusalVerdict(r, 'an unsigned request'));
 */
export function createReport(): ProbeReport {
  const report: ProbeReport = {
    steps: [],
    checks: [],
    warnings: [],
    step(label, result, given, evidence = false) {
      // No answer within the deadline fails any probe, whatever it was looking for: a handler
      // that hangs holds the Co-signer's request open [protocol.md §0.5.1].
      const verdict: Verdict = given.ok && result.transportFailure?.check === 'deadline'
        ? {
            ok: false,
            reason: 'no-answer',
            message: `${label}: no answer within the deadline (${result.transportFailure.message})`,
            hint: 'answer every request, at once: refuse (4xx) what you cannot decide, and answer RETRY when a decision needs long',
            expected: 'an answer within the deadline',
            received: 'no answer',
          }
        : given;
      if (verdict.inconclusive !== undefined && verdict.ok) report.notRunBecause(verdict.inconclusive, 'forgery/positive-control');
      const exp = expectation(label, verdict);
      report.steps.push({ name: label, endpoint: result.request.endpoint, stage: result.request.stage, attempts: [result], final: result, expectation: exp });
      if (evidence && !verdict.ok) {
        for (const c of result.checks) if (c.status === 'fail') report.checks.push({ ...c, message: `${label}: ${c.message ?? c.id}` });
      }
      report.checks.push(exp);
    },
    expect(label, verdict) {
      report.checks.push(expectation(label, verdict));
    },
    warn(warning) {
      report.warnings.push(warning);
    },
    skip(reason) {
      report.skipReason = reason;
    },
    notRunBecause(reason, rootCause) {
      report.notRun = { reason, rootCause };
    },
  };
  return report;
}

/**
 * The verdict on a request that needs a correct answer (every response check passing).
 *
 * @example
 * correctAnswer(result, 'a batched request').ok; // true
 */
export function correctAnswer(r: CallbackResult, what = 'a valid request'): Verdict {
  const a = classify(r);
  if (a.kind === 'decision') return { ok: true, message: `${what}: ${describe(a)}` };
  const failed = r.checks.find((c) => c.status === 'fail');
  return {
    ok: false,
    reason: 'refused-valid',
    message: `${what} got no correct answer: handler ${describe(a)}`,
    hint: failed?.hint ?? 'answer 200 with the decision, signed where the option signs, echoing requestId',
    expected: 'a correct decision (200, every response check passing)',
    received: describe(a),
  };
}
