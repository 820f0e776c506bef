import { summarizeResults, uniqueWarnings } from '../runner/run.js';
import { DEFAULT_TIMEOUT_MS, type Cosigner } from '../client/cosigner.js';
import { isResolvedMaterial, resolveMaterial, type MaterialInput, type ResolvedMaterial } from '../client/material.js';
import { InternalError, InvalidArgumentError } from '../errors.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import type { CallbackResult } from '../protocol/types.js';
import type { RunSummary, ScenarioResult } from '../runner/types.js';
import { buildTlsOptions } from '../tls/trust.js';
import type { BaseRequests } from '../suite/base.js';
import { createProbeContext, createReport, type ProbeContext, type ProbeReport } from './context.js';
import { latencyProbe } from './deadline.js';
import { FORGERY_PROBES, positiveControl, sendControl } from './forgery.js';
import { IDEMPOTENCY_PROBES } from './idempotency.js';
import { PROTOCOL_PROBES } from './protocol.js';
import { ROBUSTNESS_PROBES } from './robustness.js';
import { ENDPOINT_SCOPES, PROBE_GROUPS, PROBES, type EndpointScope, type ProbeGroup, type ProbeInfo } from './table.js';
import { TLS_PROBES } from './tls.js';

/** What `cosigner-sim conformance` passes in. */
export interface ConformanceOptions {
  /** The simulated Co-signer pointed at the handler under test (its key, headers, Content-Type and deadline are used). */
  cosigner: Cosigner;
  option: SecurityOptionNumber;
  /** The handler base URL, the same the cosigner was created with. Probes talk to this URL only. */
  url: string;
  /**
   * The key material the cosigner was created with: a started target's `material` (resolved
   * once, used as it is), or the raw inputs (resolved here). The battery needs it to sign bodies
   * it then alters, to key the HS256 forgery with the Co-signer public key, and to open TLS
   * connections of its own (wrong method, TLS posture).
   */
  material: ResolvedMaterial | MaterialInput;
  /** The deadline in ms, the same as the cosigner's (default 30 000) [protocol.md §0.5.1]. */
  timeoutMs?: number;
  /** Probe ids (`robustness/huge-body`) or whole groups (`tls`) to leave out; they are reported as skipped. */
  skip?: readonly string[];
  /** `deadline/latency` warns when the slowest answer takes more than this fraction of the deadline (default 0.5). */
  slowFraction?: number;
  /** Called once per probe, in table order, as soon as it and every probe before it finished. */
  onResult?: (result: ScenarioResult) => void;
  /** Appended to every probe name, e.g. ` [option 4]` when one run covers several options. */
  nameSuffix?: string;
  /** Once aborted, start no further probe: the running ones finish, the rest are left out (summary.notRun counts them). */
  signal?: AbortSignal;
  /**
   * What a valid request looks like to this handler's policy (`--set`, `--base`; see
   * suite/base.ts): every probe derives its requests from it and keeps its fields. Without a
   * config base, config probes use the default request.
   */
  base?: BaseRequests;
  /** The endpoints the handler serves (default both); probes of a left-out one are skipped. */
  endpoints?: EndpointScope;
  /** Requests in flight at most (default 8; 1 = one after another). `idempotency/*` runs alone. */
  concurrency?: number;
  /**
   * Probe ids expected to fail (`knownFailures`, `--expect-fail`): such a failure is reported as
   * skipped ("known failure") and does not fail the run; one that passes fails, so the list is
   * kept honest.
   */
  knownFailures?: readonly string[];
}

export interface ConformanceOutcome {
  /** One per probe of the table, in order (skipped ones included); fewer when `signal` aborted the run. */
  results: ScenarioResult[];
  summary: RunSummary;
}

/** How a group's positive control went, for the probes after it. */
interface ControlOutcome {
  ok: boolean;
  /** The control's answer, as "answered 500 (it crashed or errored)". */
  why?: string;
  /** A failed control that still got a well-formed decision (REJECT, RETRY): forgery probes can run. */
  decision?: string;
}

const FILE = 'conformance';

function checkSkip(skip: readonly string[]): Set<string> {
  const known = new Set<string>([...PROBES.map((p) => p.id), ...PROBE_GROUPS]);
  const unknown = skip.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`Unknown probe id for --skip: ${unknown.map((s) => JSON.stringify(s)).join(', ')}.`, {
      hint: `use a probe id such as robustness/huge-body, or a group: ${PROBE_GROUPS.join(', ')} (README#conformance lists every probe)`,
    });
  }
  return new Set(skip);
}

function toResult(report: ProbeReport, option: SecurityOptionNumber, name: string, durationMs: number): ScenarioResult {
  const base = { name, file: FILE, option, durationMs: Math.round(durationMs) };
  if (report.skipReason !== undefined) return { ...base, status: 'skip', skipReason: report.skipReason, steps: [], checks: [], warnings: [] };
  const failed = report.checks.some((c) => c.status === 'fail');
  const warnings = uniqueWarnings([...report.warnings, ...report.steps.flatMap((s) => s.final.warnings)]);
  if (report.notRun && !failed) {
    return { ...base, status: 'notRun', skipReason: report.notRun.reason, rootCause: report.notRun.rootCause, steps: report.steps, checks: report.checks, warnings };
  }
  return {
    ...base,
    status: failed ? 'fail' : 'pass',
    steps: report.steps,
    checks: report.checks,
    warnings,
    ...(report.contentTypes ? { contentTypes: report.contentTypes } : {}),
  };
}

function skipped(reason: string): ProbeReport {
  const r = createReport();
  r.skip(reason);
  return r;
}

function notRun(reason: string, rootCause: string): ProbeReport {
  const r = createReport();
  r.notRunBecause(reason, rootCause);
  return r;
}

/** Apply `knownFailures`: an expected failure is a skip that says so; an expected failure that passed fails. */
function applyKnownFailure(result: ScenarioResult, id: string): ScenarioResult {
  if (result.status === 'fail') {
    const first = result.checks.find((c) => c.status === 'fail');
    return { ...result, status: 'skip', knownFailure: true, skipReason: `known failure (knownFailures/--expect-fail): ${first ? `${first.id}: ${first.message ?? 'failed'}` : 'failed'}` };
  }
  if (result.status === 'pass') {
    return {
      ...result,
      status: 'fail',
      knownFailure: true,
      checks: [
        ...result.checks,
        {
          id: 'expectation',
          status: 'fail',
          reason: 'known-failure-passed',
          message: `${id} is listed as a known failure (knownFailures/--expect-fail) but passed: the handler is fixed`,
          hint: `remove ${id} from knownFailures (or drop --expect-fail ${id}) so that it guards against the defect coming back`,
        },
      ],
    };
  }
  return result;
}

/**
 * Run the conformance battery: a fixed set of probes, independent of the user's policy, that
 * says whether a handler is safe (refuses forgeries) and robust (survives bad input, answers
 * both endpoints and stages, is idempotent, has a sound TLS set-up, answers in time) to put in
 * front of a Co-signer. Each probe is one ScenarioResult named `<group>/<probe>`, derived from the
 * base request (`base`). Every group starts with a positive control; when it fails, it is the
 * group's one failure, and the probes that needed it are `notRun` with `rootCause` naming it,
 * while the probes that need nothing from it still run. Probes run concurrently, at most
 * `concurrency` requests in flight, the idempotency probes alone; each request is bounded by the
 * deadline, and no answer within it fails whichever probe sent it.
 *
 * Throws (a CsimError) only for bad input: an unknown `--skip` or known-failure id, a bad
 * `slowFraction` or `concurrency`, unreadable key material. A handler fault is a failed probe.
 *
 * @example
 * await using target = await startTarget({ kind: 'reference', option: 4 });
 * const cosigner = createCosigner(target);
 * const { results, summary } = await runConformance({ cosigner, option: 4, url: target.url, material: target.material, skip: ['robustness/huge-body'] });
 * summary.ok; // true: the handler passed every probe
 */
export async function runConformance(o: ConformanceOptions): Promise<ConformanceOutcome> {
  const started = performance.now();
  const skip = checkSkip(o.skip ?? []);
  const slowFraction = o.slowFraction ?? 0.5;
  if (!Number.isFinite(slowFraction) || slowFraction <= 0 || slowFraction > 1) {
    throw new InvalidArgumentError(`slowFraction must be a number above 0 and at most 1 (got ${String(o.slowFraction)})`, { hint: 'e.g. 0.5 warns above half of the 30 s deadline' });
  }
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidArgumentError(`timeoutMs must be a positive number of milliseconds, got ${String(o.timeoutMs)}`);
  const material = isResolvedMaterial(o.material) ? o.material : resolveMaterial({ ...o.material, option: o.option });
  if (material.option !== o.option) {
    throw new InvalidArgumentError(`runConformance: the material is for option ${material.option}, the run for option ${o.option}`, { hint: 'pass the material the cosigner was created with' });
  }
  const base = validateBaseUrl(o.url, o.option);
  if (base.url !== o.cosigner.url || o.cosigner.option !== o.option) {
    // Every probe must talk to the one configured handler: the raw probes use `url`, the rest the cosigner.
    throw new InvalidArgumentError(`runConformance: url and option (${base.url}, option ${o.option}) differ from the cosigner's (${o.cosigner.url}, option ${o.cosigner.option})`, {
      hint: 'pass the url and option the cosigner was created with',
    });
  }
  const endpoints = o.endpoints ?? 'both';
  if (!ENDPOINT_SCOPES.includes(endpoints)) throw new InvalidArgumentError(`endpoints must be one of ${ENDPOINT_SCOPES.join(', ')}, got ${String(o.endpoints)}`);
  const concurrency = o.concurrency ?? DEFAULT_BATTERY_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError(`concurrency must be a whole number of at least 1, got ${String(o.concurrency)}`, { hint: '8 (the default), or 1 for a rate-limited staging handler' });
  const known = new Set(o.knownFailures ?? []);
  const unknownKnown = [...known].filter((id) => !PROBES.some((p) => p.id === id));
  if (unknownKnown.length > 0) {
    throw new InvalidArgumentError(`Unknown probe id in knownFailures: ${unknownKnown.map((s) => JSON.stringify(s)).join(', ')}.`, { hint: 'use probe ids as the report names them, e.g. robustness/huge-body (README#conformance lists every probe)' });
  }
  const ctx: ProbeContext = createProbeContext({
    cosigner: o.cosigner,
    option: o.option,
    baseUrl: base.url,
    plainHttp: base.plainHttp,
    ...(material.cosignerKey ? { cosignerKey: material.cosignerKey } : {}),
    tls: base.plainHttp ? {} : buildTlsOptions(o.option, material.trust),
    trust: material.trust,
    timeoutMs,
    base: o.base ?? {},
    endpoints,
    concurrency,
  });
  // The idempotency probes run alone, with requests of their own in flight (20 concurrent sends).
  const alone: ProbeContext = { ...ctx, slot: (send) => send() };
  const impls: Record<string, (c: ProbeContext) => Promise<ProbeReport>> = {
    ...FORGERY_PROBES,
    ...ROBUSTNESS_PROBES,
    ...PROTOCOL_PROBES,
    ...IDEMPOTENCY_PROBES,
    ...TLS_PROBES,
    'deadline/latency': latencyProbe(slowFraction),
  };

  /** Why a probe is left out before anything is sent, if it is. */
  const skipReason = (info: ProbeInfo): string | undefined => {
    const group = info.group;
    if (!info.options.includes(o.option)) {
      return `not for option ${o.option} (${SECURITY_OPTIONS[o.option].label}): ${group === 'forgery' || info.id === 'robustness/quoted-jwt' ? 'requests are plain JSON, there is no signature or JWT' : `runs under options ${info.options.join(', ')}`}`;
    }
    if (skip.has(info.id) || skip.has(group)) return `left out with --skip ${skip.has(info.id) ? info.id : group}`;
    if (group === 'tls' && base.plainHttp) return 'the URL is plain http://: there is no TLS to look at';
    if (endpoints !== 'both' && info.endpoint !== 'any' && info.endpoint !== endpoints) {
      return `--endpoints ${endpoints}: the handler serves no ${info.endpoint === 'tx' ? 'tx_sign_request' : 'config_change_sign_request'} route`;
    }
    return undefined;
  };

  const slots: (ScenarioResult | undefined)[] = PROBES.map(() => undefined);
  let emitted = 0;
  const finish = (index: number, report: ProbeReport, t0: number) => {
    const info = PROBES[index]!;
    let result = toResult(report, o.option, `${info.id}${o.nameSuffix ?? ''}`, performance.now() - t0);
    if (known.has(info.id)) result = applyKnownFailure(result, info.id);
    slots[index] = result;
    // Reported in table order, each as soon as every probe before it is done.
    // (`emitted++` outside the optional call: `o.onResult?.(x++)` skips the increment without a callback.)
    while (emitted < slots.length && slots[emitted] !== undefined) {
      const next = slots[emitted++]!;
      o.onResult?.(next);
    }
  };

  /** The first failed control in table order tells the whole story; later ones point to it. */
  let firstFailedControl: string | undefined;
  const runProbe = async (info: ProbeInfo, c: ProbeContext, control: ControlOutcome | undefined): Promise<void> => {
    if (o.signal?.aborted) return;
    const index = PROBES.indexOf(info);
    const t0 = performance.now();
    const skipWhy = skipReason(info);
    let report: ProbeReport;
    const controlId = `${info.group}/positive-control`;
    if (skipWhy !== undefined) report = skipped(skipWhy);
    else if (control && !control.ok && info.needs === 'decision') {
      report = notRun(`it needs the base request answered, and ${controlId} failed (the handler ${control.why ?? 'refused it'})`, controlId);
    } else if (control && !control.ok && info.needs === 'refusal' && control.decision === undefined) {
      report = notRun(`a refusal proves nothing when the base request is refused too: ${controlId} failed (the handler ${control.why ?? 'refused it'})`, controlId);
    } else {
      const impl = impls[info.id];
      if (!impl) throw new InternalError(`no implementation for probe ${info.id}`);
      const probeCtx = control && !control.ok && control.decision !== undefined && info.needs === 'refusal' ? { ...c, controlDecision: control.decision } : c;
      report = await impl(probeCtx);
    }
    finish(index, report, t0);
  };

  // Every control's request first, all at once; then their verdicts in table order, so that the
  // first failed one tells the root cause and the later ones point to it.
  const controlInfo = (group: ProbeGroup) => PROBES.find((p) => p.group === group && p.id.endsWith('/positive-control'));
  const sent = new Map<ProbeGroup, { t0: number; exchange: Promise<CallbackResult> }>();
  for (const group of PROBE_GROUPS) {
    const info = controlInfo(group);
    if (!info || o.signal?.aborted || skipReason(info) !== undefined) continue;
    const c = group === 'idempotency' ? alone : ctx;
    const exchange = sendControl(c);
    sent.set(group, { t0: performance.now(), exchange });
    // Sequential (concurrency 1): one control at a time too, or the idempotency control (which
    // keeps its own slots) would overlap the others.
    if (concurrency === 1) await exchange.catch(() => undefined);
  }
  const controls = new Map<ProbeGroup, ControlOutcome>();
  for (const group of PROBE_GROUPS) {
    const info = controlInfo(group);
    if (!info || o.signal?.aborted) continue;
    const s = sent.get(group);
    if (!s) {
      const why = skipReason(info);
      if (why !== undefined) finish(PROBES.indexOf(info), skipped(why), performance.now());
      continue;
    }
    const control = await positiveControl(ctx, { group, requireApprove: group === 'forgery', seeAlso: firstFailedControl, sent: s.exchange });
    if (!control.ok) firstFailedControl ??= info.id;
    finish(PROBES.indexOf(info), control.report, s.t0);
    controls.set(group, { ok: control.ok, ...(control.why !== undefined ? { why: control.why } : {}), ...(control.decision !== undefined ? { decision: control.decision } : {}) });
  }

  const runGroup = async (group: ProbeGroup, c: ProbeContext, sequential: boolean): Promise<void> => {
    const control = controls.get(group);
    const probes = PROBES.filter((p) => p.group === group && !p.id.endsWith('/positive-control'));
    if (sequential) for (const info of probes) await runProbe(info, c, control);
    else await Promise.all(probes.map((info) => runProbe(info, c, control)));
  };

  // Independent groups at once (their requests share the `concurrency` slots), then the
  // idempotency probes alone, then the deadline group, which reads every exchange's timing.
  // With a concurrency of 1 the battery is sequential, probe after probe, not only request after
  // request: each probe's follow-up (robustness' liveness request) is then the next request the
  // handler sees, so a handler that a bad request leaves broken is blamed on that probe.
  const independent = PROBE_GROUPS.filter((g) => g !== 'idempotency' && g !== 'deadline');
  if (concurrency === 1) for (const g of independent) await runGroup(g, ctx, true);
  else await Promise.all(independent.map((g) => runGroup(g, ctx, false)));
  await runGroup('idempotency', alone, true);
  await runGroup('deadline', ctx, true);
  const results = slots.filter((r): r is ScenarioResult => r !== undefined);
  return { results, summary: summarizeResults(results, PROBES.length, performance.now() - started) };
}

/** Requests in flight at most during a battery, unless `concurrency` says otherwise. */
export const DEFAULT_BATTERY_CONCURRENCY = 8;
