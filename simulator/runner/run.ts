import type { KeyObject } from 'node:crypto';
import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, OverridePathError, ScenarioInvalidError, isCsimError } from '../errors.js';
import type { Cosigner, SendConfigChangeOptions, SendOverrides, SendTxOptions } from '../client/cosigner.js';
import { parsePrivateKey, readMaterialFile } from '../keys/parse.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { illegalAction, type Profile } from '../protocol/profiles.js';
import { scenarioProfile } from './scenario-profile.js';
import type { CallbackResult, Warning } from '../protocol/types.js';
import type { ScenarioInfo, StartedTarget } from '../targets/started.js';
import { configBuildInput, txBuildInput } from '../suite/build-input.js';
import { judgeExpectation } from './judge.js';
import type { RunSummary, Scenario, ScenarioCheckOutcome, ScenarioRequest, ScenarioResult, StepResult } from './types.js';

export interface RunOptions {
  /** The simulated Co-signer, pointed at the handler under test. */
  cosigner: Cosigner;
  /** The security option the cosigner uses; scenarios with `options:` that exclude it are skipped. */
  option: SecurityOptionNumber;
  /** Start no further scenario after the first failure (running ones finish; the rest are left out of the results). */
  bail?: boolean;
  /** How many scenarios run at once (default 1). Results stay in input order. */
  concurrency?: number;
  /** Called once per scenario, in input order, as soon as it and every scenario before it finished. */
  onResult?: (result: ScenarioResult) => void;
  /** Appended to every result's name, e.g. ` (option 4)` when one run covers several options. */
  nameSuffix?: string;
  /**
   * Once aborted, start no further scenario: running ones finish (each exchange is bounded by the
   * deadline) and the rest are left out of the results, like `bail` (summary.notRun counts them).
   */
  signal?: AbortSignal;
  /**
   * The started target, for its per-scenario hook (simulator/targets/started.ts): the module target
   * replaces a stuck worker after a scenario and installs `upstream:` mocks. Without a hook,
   * a scenario with `upstream:` is refused before anything is sent.
   */
  target?: Pick<StartedTarget, 'scenario' | 'prepareScenarios'>;
}

export interface RunOutcome {
  /** One per scenario that ran or was skipped, in input order. */
  results: ScenarioResult[];
  summary: RunSummary;
}

/**
 * Run scenarios against one handler through one simulated Co-signer.
 *
 * A handler fault is a failed check in the result, never a throw. What throws is what stops a
 * scenario from being sent at all (a CsimError such as an unreadable `signWith` key, or a request
 * override the builder rejects): it propagates, and the CLI exits 2.
 *
 * @example
 * const cosigner = createCosigner({ url: handler.url, option: 4, kit });
 * const { results, summary } = await runScenarios(await loadScenarios(['scenarios/']), { cosigner, option: 4 });
 * summary.ok; // true when no scenario failed
 */
export async function runScenarios(scenarios: readonly Scenario[], o: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const concurrency = o.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError(`concurrency must be a whole number of at least 1 (got ${String(o.concurrency)})`, { hint: 'use 1 to run scenarios one after another' });
  }
  await checkUpstream(scenarios, o.target);
  const keys = new Map<string, KeyObject>();
  const slots: (ScenarioResult | undefined)[] = new Array(scenarios.length);
  let next = 0;
  let reported = 0;
  let stop = false;
  let failure: unknown;

  const report = () => {
    while (reported < scenarios.length && slots[reported] !== undefined) {
      const result = slots[reported]!;
      reported++;
      o.onResult?.(result);
    }
  };

  async function worker(): Promise<void> {
    while (!stop && o.signal?.aborted !== true && next < scenarios.length) {
      const index = next++;
      try {
        const result = await runScenario(scenarios[index]!, o, keys);
        slots[index] = result;
        if (result.status === 'fail' && o.bail) stop = true;
      } catch (error) {
        stop = true;
        failure ??= error;
        return;
      }
      report();
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, scenarios.length)) }, worker));
  if (failure !== undefined) throw failure;
  // With bail or an abort, a later scenario may have finished while an earlier one was still running: keep
  // every result that exists, in input order.
  const results = slots.filter((r): r is ScenarioResult => r !== undefined);
  for (const r of results.slice(reported)) o.onResult?.(r);
  return { results, summary: summarizeResults(results, scenarios.length, performance.now() - started) };
}

function infoOf(s: Scenario): ScenarioInfo {
  return { name: s.name, file: s.file, ...(s.line !== undefined ? { line: s.line } : {}), ...(s.upstream !== undefined ? { upstream: s.upstream } : {}) };
}

/**
 * `upstream:` needs a target that can install mocks in the handler (the module target, `--handler`):
 * on any other kind the first scenario that declares them is refused, before anything is sent.
 */
async function checkUpstream(scenarios: readonly Scenario[], target: RunOptions['target']): Promise<void> {
  const declaring = scenarios.filter((s) => s.upstream !== undefined);
  if (declaring.length === 0) return;
  if (target?.scenario === undefined) {
    const s = declaring[0]!;
    throw new ScenarioInvalidError(`${s.file}${s.line !== undefined ? `:${s.line}` : ''}: scenario ${JSON.stringify(s.name)} declares upstream: mocks, which only a handler cosigner-sim runs in-process can get (--handler <module>)`, {
      file: s.file,
      field: 'upstream',
      hint: 'run it with --handler ./your-handler.mjs, or leave it out of this run (--grep/--tag); a handler behind --url or --start makes its outbound calls where cosigner-sim cannot see them',
    });
  }
  await target.prepareScenarios?.(declaring.map(infoOf));
}

/**
 * Count a run's results. `planned` minus the results is what `bail` left out.
 *
 * @example
 * summarizeResults(results, results.length, 212).failed; // 0
 */
export function summarizeResults(results: readonly ScenarioResult[], planned: number, durationMs: number): RunSummary {
  const count = (s: ScenarioResult['status']) => results.filter((r) => r.status === s).length;
  const failed = count('fail');
  return {
    ok: failed === 0,
    total: results.length,
    passed: count('pass'),
    failed,
    skipped: count('skip'),
    notRun: planned - results.length + count('notRun'),
    durationMs: Math.round(durationMs),
    warnings: results.reduce((n, r) => n + r.warnings.length, 0),
  };
}

/**
 * Run one scenario: every step in order (later tx steps reuse the first step's txId), each
 * re-sent identically while the handler answers RETRY and `retry.max` allows.
 *
 * @example
 * const result = await runScenario(scenario, { cosigner, option: 4 });
 * result.checks.at(-1); // { id: 'expectation', status: 'pass', message: 'REJECT, rejectionReason /limit/i as expected' }
 */
export async function runScenario(s: Scenario, o: Pick<RunOptions, 'cosigner' | 'option' | 'nameSuffix' | 'target'>, keys = new Map<string, KeyObject>()): Promise<ScenarioResult> {
  const base = { name: `${s.name}${o.nameSuffix ?? ''}`, file: s.file, ...(s.line !== undefined ? { line: s.line } : {}), option: o.option };
  if (s.options && !s.options.includes(o.option)) {
    return { ...base, status: 'skip', skipReason: `option ${o.option} not in options [${s.options.join(', ')}]`, steps: [], checks: [], warnings: [], durationMs: 0 };
  }
  const { profile, skipReason } = scenarioProfile(s, o.option);
  if (skipReason !== undefined) return { ...base, status: 'skip', skipReason, steps: [], checks: [], warnings: [], durationMs: 0 };
  if (s.upstream !== undefined && o.target?.scenario === undefined) await checkUpstream([s], o.target);
  // The scenario's time is its exchanges': not the wait for a worker of its own, nor the
  // replacement of a stuck worker after it (target housekeeping, in scope.end()).
  const scope = await o.target?.scenario?.(infoOf(s));
  const started = performance.now();
  let result: ScenarioResult;
  try {
    result = await runSteps(s, o, keys, base, started, profile);
  } catch (e) {
    await scope?.end().catch(() => undefined);
    throw e;
  }
  if (!scope) return result;
  // The target's own verdict on the scenario (`upstream`), after its last exchange.
  const own = await scope.end();
  const failed = own.checks.some((c) => c.status === 'fail');
  return {
    ...result,
    status: failed ? 'fail' : result.status,
    checks: [...result.checks, ...own.checks],
    warnings: uniqueWarnings([...result.warnings, ...own.warnings]),
  };
}

async function runSteps(
  s: Scenario,
  o: Pick<RunOptions, 'cosigner'>,
  keys: Map<string, KeyObject>,
  base: Pick<ScenarioResult, 'name' | 'file' | 'line' | 'option'>,
  started: number,
  profile: Profile | undefined,
): Promise<ScenarioResult> {
  const steps: StepResult[] = [];
  const checks: ScenarioCheckOutcome[] = [];
  let sharedTxId: string | undefined;
  let ok = true;
  const multi = s.steps.length > 1;

  for (const [i, step] of s.steps.entries()) {
    const send = () => sendRequest(o.cosigner, step.request, step.request.txId ?? sharedTxId, keys, profile).catch((e: unknown) => Promise.reject(locateOverrideError(e, s, i)));
    const attempts: CallbackResult[] = [await send()];
    let final = attempts[0]!;
    // A Co-signer that does not honour RETRY (before sgx@3.6.5) fails the request instead of re-sending it.
    const honoured = (r: CallbackResult) => illegalAction(profile ?? o.cosigner.profile, 'RETRY', r.request.payload) === undefined;
    while (s.retry && final.decision.action === 'RETRY' && attempts.length <= s.retry.max && honoured(final)) {
      if (s.retry.intervalMs > 0) await sleep(s.retry.intervalMs);
      // The Co-signer re-sends the identical request [protocol.md §0.5 rule 4, §7].
      final = await o.cosigner.resend(final, profile !== undefined ? { profile } : {});
      attempts.push(final);
    }
    if (i === 0 && step.request.type === 'tx') sharedTxId = final.request.txId;

    const verdict = judgeExpectation(step.expect, final, attempts);
    ok &&= verdict.ok;
    const label = step.name ?? `step ${i + 1}`;
    const prefix = (c: ScenarioCheckOutcome): ScenarioCheckOutcome => (multi ? { ...c, message: c.message ? `${label}: ${c.message}` : label } : c);
    checks.push(...verdict.checks.map(prefix), prefix(verdict.expectation));
    steps.push({
      ...(step.name !== undefined ? { name: step.name } : {}),
      endpoint: final.request.endpoint,
      stage: final.request.stage,
      attempts,
      final,
      expectation: verdict.expectation,
    });
  }

  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    steps,
    checks,
    warnings: uniqueWarnings(steps.flatMap((st) => st.final.warnings)),
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * A scenario's `payload:` or `unset:` path that does not fit the request surfaces from the
 * request factory naming only the path. Say which file (and line), scenario and step it is in,
 * with the field as the file writes it (`request.payload.destinations.9.amountUSD`); the code
 * stays CSIM_OVERRIDE_PATH. Anything else passes through unchanged.
 */
function locateOverrideError(e: unknown, s: Scenario, stepIndex: number): unknown {
  if (!isCsimError(e) || e.code !== 'CSIM_OVERRIDE_PATH') return e;
  const request = s.steps[stepIndex]!.request;
  const at = s.steps.length > 1 ? `steps.${stepIndex}.request` : 'request';
  const inUnset = e.field !== undefined && (request.unset ?? []).includes(e.field);
  const field = inUnset ? `${at}.unset` : e.field !== undefined ? `${at}.payload.${e.field}` : `${at}.payload`;
  const where = s.line !== undefined ? `${s.file}:${s.line}` : s.file;
  const step = s.steps.length > 1 ? `, ${s.steps[stepIndex]!.name ?? `step ${stepIndex + 1}`}` : '';
  return new OverridePathError(`${where}: scenario ${JSON.stringify(s.name)}${step}, ${inUnset ? `${at}.unset` : `${at}.payload`}: ${e.message}`, {
    file: s.file,
    field,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
    cause: e,
  });
}

/** Warnings without repeats (the same id and message raised by several steps or attempts). */
export function uniqueWarnings(list: readonly Warning[]): Warning[] {
  const seen = new Set<string>();
  return list.filter((w) => {
    const key = `${w.id}\u0000${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function sendRequest(cosigner: Cosigner, r: ScenarioRequest, txId: string | undefined, keys: Map<string, KeyObject>, profile: Profile | undefined): Promise<CallbackResult> {
  const overrides: SendOverrides = {};
  if (profile !== undefined) overrides.profile = profile;
  if (r.contentType !== undefined) overrides.contentType = r.contentType;
  if (r.headers !== undefined) overrides.headers = r.headers;
  if (r.path !== undefined) overrides.path = r.path;
  if (r.body !== undefined) overrides.body = r.body;
  if (r.resign === true) overrides.resign = true;
  if (r.signWith !== undefined) overrides.signWith = signingKey(r.signWith, keys);
  if (r.cosigner !== undefined) overrides.cosigner = r.cosigner;
  const exact = r.payloadMode === 'exact';

  if (r.type === 'config') {
    const opts: SendConfigChangeOptions = { ...overrides, ...configBuildInput(r) };
    return cosigner.sendConfigChange(opts);
  }
  const opts: SendTxOptions = { ...overrides, ...txBuildInput(r) };
  // Exact mode sends the payload as given: its own txId, none from an earlier step.
  if (!exact && txId !== undefined) opts.txId = txId;
  return cosigner.sendTx(opts);
}

/** Read a `signWith` PEM once per run; a missing or wrong file throws a CsimError naming it. */
function signingKey(path: string, keys: Map<string, KeyObject>): KeyObject {
  let key = keys.get(path);
  if (!key) {
    const label = relative(process.cwd(), path) || path;
    key = parsePrivateKey(readMaterialFile(path, 'signWith key'), { label });
    keys.set(path, key);
  }
  return key;
}
