import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileNotFoundError, NoScenariosError, isCsimError } from '../../errors.js';
import type { SecurityOptionNumber } from '../../protocol/options.js';
import type { Warning } from '../../protocol/types.js';
import { filterScenarios, runScenarios } from '../../runner/index.js';
import { computeCoverage } from '../../runner/coverage.js';
import { loadScenarios } from '../../suite/index.js';
import { checkScenarioConfigTypes } from '../../suite/profile-check.js';
import type { Scenario, ScenarioResult } from '../../runner/types.js';
import { packageVersion, SIGNAL_EXIT, type CliIO, type StopSignal } from '../io.js';
import { DEFAULT_PATHS, optionsOf, type CommonOptions, type RunCommandOptions } from '../options.js';
import { createRedactor } from '../../report/index.js';
import { createReporters, type FinalReport, type NotRunEntry, type RunInfo } from '../reporters/index.js';
import { acceptWarnings, summarize } from '../reporters/format.js';
import { isEmbedded, openTarget, readTargetInputs, targetWarnings, type Target } from '../target.js';
import { stopAllStarted } from '../../targets/index.js';
import { planScenarios, printDryRun } from './dry-run.js';

/** What a command returns: the exit code and the report it printed (for tests). */
export interface CommandOutcome {
  /** 0 passed, 1 failed, 130/143 cut short by SIGINT/SIGTERM (the reports still cover what ran). */
  exitCode: 0 | 1 | 130 | 143;
  report: FinalReport;
}

/** 130/143 when a signal cut the run short; else 0 when every scenario passed (and, with --strict, none warned), 1 otherwise. */
export function exitCodeOf(report: FinalReport): CommandOutcome['exitCode'] {
  if (report.summary.interrupted !== undefined) return SIGNAL_EXIT[report.summary.interrupted];
  return report.ok ? 0 : 1;
}

/** One scenario a command means to run, before it runs: what a not-run entry names. */
export interface PlannedScenario {
  name: string;
  file: string;
  line?: number;
}

/** The first SIGINT/SIGTERM while a command runs: aborts `signal` and says on stderr what happens next. */
function listenForInterrupt(io: CliIO, onFirst: () => void = () => {}): { signal: AbortSignal; received: () => StopSignal | undefined; dispose: () => void } {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const dispose =
    io.onSignal?.((sig) => {
      if (received !== undefined) return;
      received = sig;
      controller.abort(sig);
      onFirst();
      const again = sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM';
      io.stderr.write(`\n[cosigner-sim] ${sig}: starting no further scenario; the running ones finish (at most the deadline) and every report is written. ${again} again quits at once.\n`);
    }) ?? (() => {});
  return { signal: controller.signal, received: () => received, dispose };
}

/** The planned scenarios with no result, per option in order (names repeat across options, and may repeat within one). */
function notRunOf(plan: readonly PlannedScenario[], options: readonly SecurityOptionNumber[], all: boolean, results: readonly ScenarioResult[]): NotRunEntry[] {
  const out: NotRunEntry[] = [];
  for (const option of options) {
    const ran = new Map<string, number>();
    for (const r of results) if (r.option === option) ran.set(r.name, (ran.get(r.name) ?? 0) + 1);
    for (const p of plan) {
      const name = all ? `${p.name} [option ${option}]` : p.name;
      const left = ran.get(name) ?? 0;
      if (left > 0) ran.set(name, left - 1);
      else out.push({ name, file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), option });
    }
  }
  return out;
}

/**
 * Run one unit of work per option against its target, reporting as it goes. Shared by `run`,
 * `send` and `conformance`: `work` gets the open target and returns its results. Targets are
 * opened one at a time and always closed, so an embedded handler never outlives the run.
 *
 * A SIGINT/SIGTERM (through `io.onSignal`) aborts the signal `work` gets: no further scenario or
 * option starts, the running ones finish, every reporter still writes what ran with the rest
 * listed as not run, and the exit code is 130/143.
 */
export async function runPerOption(
  o: CommonOptions,
  io: CliIO,
  how: { command: RunInfo['command']; detail: boolean; bail: boolean; plan: readonly PlannedScenario[] },
  work: (target: Target, nameSuffix: string | undefined, onResult: (r: ScenarioResult) => void, signal: AbortSignal) => Promise<ScenarioResult[]>,
): Promise<CommandOutcome> {
  const redact = createRedactor(o.showSecrets);
  const { reporter } = createReporters({ specs: o.reporters, io, color: o.color, redact, detail: how.detail, verbose: o.verbose });
  const inputs = readTargetInputs(o, io.cwd, io.env);
  const options = optionsOf(o);
  const info: RunInfo = { command: how.command, version: packageVersion(), option: o.option, seed: o.seed, strict: o.strict, profile: o.profile, ...(o.acceptWarning.length > 0 ? { acceptedWarnings: o.acceptWarning } : {}), embedded: isEmbedded(o), targets: [] };
  const suffix = o.option === 'all' ? ' [option N]'.length : 0;
  info.nameWidth = how.plan.reduce((w, p) => Math.max(w, p.name.length + suffix), 0);
  const warnings: Warning[] = [];
  const accepted = new Set(o.acceptWarning);
  const results: ScenarioResult[] = [];
  // What a started handler printed (kinds that run one have logs()), for a failed run's stderr.
  const handlerLogs: { url: string; lines: string[] }[] = [];
  const started = performance.now();
  // A signal while a started handler is still getting ready stops it (the wait then ends) rather
  // than waiting out --ready-timeout; once the run is under way, targets close as each option ends.
  let opening = false;
  const interrupt = listenForInterrupt(io, () => {
    if (opening) void stopAllStarted();
  });
  try {
    for (const [i, option] of options.entries()) {
      // The first target always opens, so the reporters start; after a signal no further one does.
      if (i > 0 && interrupt.signal.aborted) break;
      let target: Target;
      opening = true;
      try {
        target = await openTarget(o, option, inputs);
      } catch (e) {
        if (!interrupt.signal.aborted) throw e;
        // Stopped by the signal while it started: report what ran (nothing, for the first option).
        if (i === 0) reporter.onStart?.(info);
        break;
      } finally {
        opening = false;
      }
      if (target.started.kitIsTemporary === true && target.started.kitDir !== undefined) {
        io.stderr.write(`[cosigner-sim] the started handler's kit: ${target.started.kitDir} (${o.keepKit ? 'kept after the run' : 'deleted at exit; --keep-kit keeps it'})\n`);
      }
      try {
        const t = { option: target.option, label: target.label, url: target.url, embedded: target.embedded };
        info.targets.push(t);
        warnings.push(...targetWarnings(o, option));
        if (i === 0) reporter.onStart?.(info);
        if (o.option === 'all') reporter.onTarget?.(t);
        const ran = await work(target, o.option === 'all' ? ` [option ${option}]` : undefined, (r) => reporter.onResult?.(acceptWarnings(r, accepted)), interrupt.signal);
        results.push(...ran.map((r) => acceptWarnings(r, accepted)));
        const lines = target.started.logs?.();
        if (lines !== undefined && lines.length > 0) handlerLogs.push({ url: target.url, lines });
      } finally {
        await target.close();
      }
      if (how.bail && results.some((r) => r.status === 'fail')) break;
    }

    const summary = summarize(results, o.strict, performance.now() - started);
    // --bail and a signal leave scenarios (and, with --option all, whole options) out of the results.
    const notRun = notRunOf(how.plan, options, o.option === 'all', results);
    if (notRun.length > 0) summary.notRun += notRun.length;
    const stoppedBy = interrupt.received();
    if (stoppedBy !== undefined) summary.interrupted = stoppedBy;
    // Coverage walks every result: once here, for every reporter (see runCoverage).
    const coverage = how.command === 'run' ? computeCoverage(results, info.profile) : undefined;
    const report: FinalReport = { info, results, summary, warnings, ...(notRun.length > 0 ? { notRun } : {}), ...(coverage ? { coverage } : {}), ok: summary.failed === 0 && stoppedBy === undefined };
    reporter.onEnd(report);
    if (!report.ok) {
      for (const { url, lines } of handlerLogs) {
        io.stderr.write(`\n[cosigner-sim] the handler at ${url} printed (last ${lines.length} line${lines.length === 1 ? '' : 's'}):\n${lines.map((l) => `  ${l}\n`).join('')}`);
      }
    }
    return { exitCode: exitCodeOf(report), report };
  } finally {
    interrupt.dispose();
  }
}

/**
 * The report of a dry run: nothing ran, so no results; `ok` because nothing failed. Reporters
 * are not run (a JUnit file of a run that never happened would mislead a CI dashboard).
 *
 * @example
 * dryRunReport(o, 'run').results // []
 */
export function dryRunReport(o: CommonOptions, command: RunInfo['command']): FinalReport {
  const info: RunInfo = { command, version: packageVersion(), option: o.option, seed: o.seed, strict: o.strict, profile: o.profile, embedded: o.url === undefined, targets: [] };
  return { info, results: [], summary: summarize([], o.strict, 0), warnings: [], ok: true };
}

/** The folder of the scenarios the package ships (they travel in its "files"), found by walking up from here: src and dist differ in depth. */
function shippedScenarios(cwd: string): string | undefined {
  const installed = join(cwd, 'node_modules', 'cosigner-sim', 'scenarios');
  if (existsSync(installed)) return installed;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return join(dir, 'scenarios');
  }
  return undefined;
}

/**
 * A missing `scenarios/` (the default) is a new project, not a typo: say how to start one and
 * where the shipped scenarios are. Any other error passes through unchanged.
 */
function noScenariosFolder(e: unknown, cwd: string): unknown {
  if (!isCsimError(e) || e.code !== 'CSIM_FILE_NOT_FOUND' || e.file === undefined || resolve(cwd, e.file) !== resolve(cwd, DEFAULT_PATHS[0]!)) return e;
  const shipped = shippedScenarios(cwd);
  const shown = shipped === undefined ? undefined : relative(cwd, shipped).startsWith('..') ? shipped : relative(cwd, shipped);
  return new FileNotFoundError(e.message, {
    file: e.file,
    cause: e,
    hint: [
      'new here? `cosigner-sim init --option <1-5>` writes a kit, a config file and starter scenarios to scenarios/;',
      shown !== undefined ? `or run the scenarios cosigner-sim ships: cosigner-sim run ${shown}/` : 'or run the scenarios cosigner-sim ships: cosigner-sim run node_modules/cosigner-sim/scenarios/',
    ].join('\n'),
  });
}

/**
 * `cosigner-sim run [paths...]`: load the scenario files, select by --grep/--tag, run them
 * against the handler (or the embedded reference handler), report. Throws CsimErrors for
 * everything that stops a trustworthy run (exit 2).
 *
 * @example
 * const { exitCode } = await runCommand(resolveRunOptions(['scenarios/'], flags, undefined), processIO());
 */
export async function runCommand(o: RunCommandOptions, io: CliIO): Promise<CommandOutcome> {
  const all = await loadScenarios(o.paths, { cwd: io.cwd }).catch((e: unknown) => {
    throw noScenariosFolder(e, io.cwd);
  });
  const selected: Scenario[] = filterScenarios(all, { ...(o.grep !== undefined ? { grep: o.grep } : {}), ...(o.tag !== undefined ? { tag: o.tag } : {}) });
  if (selected.length === 0) {
    const filters = [o.grep !== undefined ? `--grep ${JSON.stringify(o.grep)}` : '', o.tag !== undefined ? `--tag ${JSON.stringify(o.tag)}` : ''].filter(Boolean).join(' and ');
    throw new NoScenariosError(`${filters} selected none of the ${all.length} scenario${all.length === 1 ? '' : 's'} in ${o.paths.join(', ')}`, {
      hint: `check the spelling; --grep matches part of a name (case-insensitive) or /regex/, --tag takes a tag or a,b. Tags in use: ${[...new Set(all.flatMap((s) => s.tags))].join(', ') || '(none)'}`,
    });
  }
  checkScenarioConfigTypes(selected, o.profile);
  if (o.dryRun) {
    printDryRun(planScenarios(selected, o), o, io, `run ${o.paths.join(' ')}`);
    return { exitCode: 0, report: dryRunReport(o, 'run') };
  }
  const plan = selected.map((s) => ({ name: s.name, file: s.file, ...(s.line !== undefined ? { line: s.line } : {}) }));
  return runPerOption(o, io, { command: 'run', detail: false, bail: o.bail, plan }, async (target, nameSuffix, onResult, signal) => {
    const out = await runScenarios(selected, {
      cosigner: target.cosigner,
      option: target.option,
      bail: o.bail,
      concurrency: o.concurrency,
      // The started target's per-scenario hook (a fresh worker after a stuck one, upstream: mocks).
      target: target.started,
      onResult,
      signal,
      ...(nameSuffix !== undefined ? { nameSuffix } : {}),
    });
    return out.results;
  });
}
