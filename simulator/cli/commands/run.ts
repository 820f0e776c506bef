import { NoScenariosError } from '../../errors.js';
import type { Warning } from '../../protocol/types.js';
import { filterScenarios, runScenarios } from '../../runner/index.js';
import { loadScenarios } from '../../suite/index.js';
import type { Scenario, ScenarioResult } from '../../runner/types.js';
import { packageVersion, type CliIO } from '../io.js';
import { optionsOf, type CommonOptions, type RunOptions } from '../options.js';
import { createRedactor } from '../../report/index.js';
import { createReporters, type FinalReport, type RunInfo } from '../reporters/index.js';
import { summarize } from '../reporters/format.js';
import { openTarget, readTargetInputs, targetWarnings, type Target } from '../target.js';

/** What a command returns: the exit code and the report it printed (for tests). */
export interface CommandOutcome {
  exitCode: 0 | 1;
  report: FinalReport;
}

/** 0 when every scenario passed (and, with --strict, none warned); 1 otherwise. */
export function exitCodeOf(report: FinalReport): 0 | 1 {
  return report.ok ? 0 : 1;
}

/**
 * Run one unit of work per option against its target, reporting as it goes. Shared by `run` and
 * `send`: `work` gets the open target and returns its results. Targets are opened one at a
 * time and always closed, so an embedded handler never outlives the run.
 */
export async function runPerOption(
  o: CommonOptions,
  io: CliIO,
  how: { command: RunInfo['command']; detail: boolean; bail: boolean; names: readonly string[] },
  work: (target: Target, nameSuffix: string | undefined, onResult: (r: ScenarioResult) => void) => Promise<{ results: ScenarioResult[]; planned: number }>,
): Promise<CommandOutcome> {
  const redact = createRedactor(o.showSecrets);
  const { reporter } = createReporters({ specs: o.reporters, io, color: o.color, redact, detail: how.detail, verbose: o.verbose });
  const inputs = readTargetInputs(o);
  const options = optionsOf(o);
  const info: RunInfo = { command: how.command, version: packageVersion(), option: o.option, seed: o.seed, strict: o.strict, embedded: o.url === undefined, targets: [] };
  const suffix = o.option === 'all' ? ' [option N]'.length : 0;
  info.nameWidth = how.names.reduce((w, n) => Math.max(w, n.length + suffix), 0);
  const warnings: Warning[] = [];
  const results: ScenarioResult[] = [];
  let planned = 0;
  const started = performance.now();
  for (const [i, option] of options.entries()) {
    const target = await openTarget(o, option, inputs);
    try {
      const t = { option: target.option, label: target.label, url: target.url, embedded: target.embedded };
      info.targets.push(t);
      warnings.push(...targetWarnings(o, option));
      if (i === 0) reporter.onStart?.(info);
      if (o.option === 'all') reporter.onTarget?.(t);
      const out = await work(target, o.option === 'all' ? ` [option ${option}]` : undefined, (r) => reporter.onResult?.(r));
      results.push(...out.results);
      planned += out.planned;
    } finally {
      await target.close();
    }
    if (how.bail && results.some((r) => r.status === 'fail')) break;
  }

  const summary = summarize(results, o.strict, performance.now() - started);
  // --bail leaves scenarios (and, with --option all, whole options) out of the results.
  const perOption = planned / Math.max(1, info.targets.length);
  const notRun = perOption * options.length - results.length;
  if (notRun > 0) summary.notRun = notRun;
  const report: FinalReport = { info, results, summary, warnings, ok: summary.failed === 0 };
  reporter.onEnd(report);
  return { exitCode: exitCodeOf(report), report };
}

/**
 * `cosigner-sim run [paths...]`: load the scenario files, select by --grep/--tag, run them
 * against the handler (or the embedded reference handler), report. Throws CsimErrors for
 * everything that stops a trustworthy run (exit 2).
 *
 * @example
 * const { exitCode } = await runCommand(resolveRunOptions(['scenarios/'], flags, undefined), processIO());
 */
export async function runCommand(o: RunOptions, io: CliIO): Promise<CommandOutcome> {
  const all = await loadScenarios(o.paths, { cwd: io.cwd });
  const selected: Scenario[] = filterScenarios(all, { ...(o.grep !== undefined ? { grep: o.grep } : {}), ...(o.tag !== undefined ? { tag: o.tag } : {}) });
  if (selected.length === 0) {
    const filters = [o.grep !== undefined ? `--grep ${JSON.stringify(o.grep)}` : '', o.tag !== undefined ? `--tag ${JSON.stringify(o.tag)}` : ''].filter(Boolean).join(' and ');
    throw new NoScenariosError(`${filters} selected none of the ${all.length} scenario${all.length === 1 ? '' : 's'} in ${o.paths.join(', ')}`, {
      hint: `check the spelling; --grep matches part of a name (case-insensitive) or /regex/, --tag takes a tag or a,b. Tags in use: ${[...new Set(all.flatMap((s) => s.tags))].join(', ') || '(none)'}`,
    });
  }
  return runPerOption(o, io, { command: 'run', detail: false, bail: o.bail, names: selected.map((s) => s.name) }, async (target, nameSuffix, onResult) => {
    const out = await runScenarios(selected, {
      cosigner: target.cosigner,
      option: target.option,
      bail: o.bail,
      concurrency: o.concurrency,
      onResult,
      ...(nameSuffix !== undefined ? { nameSuffix } : {}),
    });
    return { results: out.results, planned: selected.length };
  });
}
