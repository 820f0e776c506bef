import { summarizeResults, uniqueWarnings } from '../runner/run.js';
import { DEFAULT_TIMEOUT_MS, type Cosigner } from '../client/cosigner.js';
import { isResolvedMaterial, resolveMaterial, type MaterialInput, type ResolvedMaterial } from '../client/material.js';
import { InternalError, InvalidArgumentError } from '../errors.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import type { RunSummary, ScenarioResult } from '../runner/types.js';
import { buildTlsOptions } from '../tls/trust.js';
import { createProbeContext, createReport, type ProbeContext, type ProbeReport } from './context.js';
import { latencyProbe } from './deadline.js';
import { FORGERY_PROBES, positiveControl } from './forgery.js';
import { IDEMPOTENCY_PROBES } from './idempotency.js';
import { PROTOCOL_PROBES } from './protocol.js';
import { ROBUSTNESS_PROBES } from './robustness.js';
import { PROBE_GROUPS, PROBES } from './table.js';
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
  /** Called once per probe, in table order, as soon as it finished. */
  onResult?: (result: ScenarioResult) => void;
  /** Appended to every probe name, e.g. ` [option 4]` when one run covers several options. */
  nameSuffix?: string;
  /** Once aborted, start no further probe: the running one finishes, the rest are left out (summary.notRun counts them). */
  signal?: AbortSignal;
}

export interface ConformanceOutcome {
  /** One per probe of the table, in order (skipped ones included); fewer when `signal` aborted the run. */
  results: ScenarioResult[];
  summary: RunSummary;
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
  return {
    ...base,
    status: report.checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    steps: report.steps,
    checks: report.checks,
    warnings: uniqueWarnings([...report.warnings, ...report.steps.flatMap((s) => s.final.warnings)]),
  };
}

function skipped(reason: string): ProbeReport {
  const r = createReport();
  r.skip(reason);
  return r;
}

function blocked(group: string, why: string): ProbeReport {
  const r = createReport();
  r.expect('blocked', {
    ok: false,
    reason: 'refused-valid',
    message: `handler refuses valid requests: ${group}/positive-control failed (it ${why}), so this probe cannot tell a refusal from a working check`,
    hint: `fix ${group}/positive-control first: a valid request must get a correct answer`,
  });
  return r;
}


/**
 * Run the conformance battery: a fixed set of probes, independent of the user's policy, that
 * says whether a handler is safe (refuses forgeries) and robust (survives bad input, answers
 * both endpoints and stages, is idempotent, has a sound TLS set-up, answers in time) to put in
 * front of a Co-signer. Each probe is one ScenarioResult named `<group>/<probe>`; every group
 * starts with a positive control, and when it fails the group's probes fail as "handler refuses
 * valid requests". Probes run one after another (idempotency/concurrent sends 20 at once), each
 * with a fixed number of requests, each bounded by the deadline.
 *
 * Throws (a CsimError) only for bad input: an unknown `--skip` id, a bad `slowFraction`,
 * unreadable key material. A handler fault is a failed probe.
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
  const ctx: ProbeContext = createProbeContext({
    cosigner: o.cosigner,
    option: o.option,
    baseUrl: base.url,
    plainHttp: base.plainHttp,
    ...(material.cosignerKey ? { cosignerKey: material.cosignerKey } : {}),
    tls: base.plainHttp ? {} : buildTlsOptions(o.option, material.trust),
    trust: material.trust,
    timeoutMs,
  });
  const impls: Record<string, (c: ProbeContext) => Promise<ProbeReport>> = {
    ...FORGERY_PROBES,
    ...ROBUSTNESS_PROBES,
    ...PROTOCOL_PROBES,
    ...IDEMPOTENCY_PROBES,
    ...TLS_PROBES,
    'deadline/latency': latencyProbe(slowFraction),
  };

  const results: ScenarioResult[] = [];
  battery: for (const group of PROBE_GROUPS) {
    let refusesValid: string | undefined;
    for (const info of PROBES.filter((p) => p.group === group)) {
      if (o.signal?.aborted) break battery;
      const t0 = performance.now();
      let report: ProbeReport;
      if (!info.options.includes(o.option)) {
        report = skipped(`not for option ${o.option} (${SECURITY_OPTIONS[o.option].label}): ${group === 'forgery' || info.id === 'robustness/quoted-jwt' ? 'requests are plain JSON, there is no signature or JWT' : `runs under options ${info.options.join(', ')}`}`);
      } else if (skip.has(info.id) || skip.has(group)) {
        report = skipped(`left out with --skip ${skip.has(info.id) ? info.id : group}`);
      } else if (info.id.endsWith('/positive-control')) {
        const control = await positiveControl(ctx);
        report = control.report;
        if (!control.ok) refusesValid = control.why;
      } else if (refusesValid !== undefined) {
        report = blocked(group, refusesValid);
      } else {
        const impl = impls[info.id];
        if (!impl) throw new InternalError(`no implementation for probe ${info.id}`);
        report = await impl(ctx);
      }
      const result = toResult(report, o.option, `${info.id}${o.nameSuffix ?? ''}`, performance.now() - t0);
      results.push(result);
      o.onResult?.(result);
    }
  }
  return { results, summary: summarizeResults(results, PROBES.length, performance.now() - started) };
}
