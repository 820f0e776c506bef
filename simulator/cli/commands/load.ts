import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { runLoad, loadCosigners, loadFailures, type LoadProgress, type LoadReport } from '../../load/index.js';
import { createRedactor } from '../../report/index.js';
import { resolveBases, type BaseRequests } from '../../suite/base.js';
import { prepareAtomicFile, writeFileAtomic } from '../../lib/write-atomic.js';
import { colorsFor, packageVersion, SIGNAL_EXIT, type CliIO, type Sink } from '../io.js';
import type { LoadCliOptions } from '../options.js';
import { openFile, type FileSink } from '../reporters/index.js';
import { formatLatency, renderHistogramFile, renderLoadGithubAnnotations, renderLoadGithubSummary, renderLoadJson, renderLoadPretty, type LoadRunInfo } from '../reporters/load.js';
import { openTarget, readTargetInputs, isEmbedded } from '../target.js';
import { appendFileSync } from 'node:fs';

/** What `load` returns: the exit code and the report (for tests). */
export interface LoadOutcome {
  /** 0 passed, 1 failed (error rate, deadline, dropped), 130/143 cut short by a signal. */
  exitCode: 0 | 1 | 130 | 143;
  report: LoadReport;
  info: LoadRunInfo;
}

/** The live line: requests, rate, p50/p99 so far, errors. Rewritten in place (`\r`), on a terminal only. */
function progressLine(p: LoadProgress): string {
  const phase = p.warmingUp ? 'warming up · ' : '';
  return `\r\x1b[2K[cosigner-sim] ${phase}${(p.elapsedMs / 1000).toFixed(0)}s · ${p.completed} done · ${p.ratePerSec.toFixed(1)}/s · p50 ${formatLatency(p.p50)} · p99 ${formatLatency(p.p99)} · ${p.inFlight} in flight · ${p.failed} errors`;
}

/** The `--base` scenarios; a tx base with no tx in the mix (or config likewise) is a usage error, not silently unused. */
async function loadBases(o: LoadCliOptions, cwd: string): Promise<BaseRequests> {
  if (o.base.length === 0) return {};
  const bases = await resolveBases({ base: o.base, cwd, profile: o.profile });
  const hasTx = o.mix.some((m) => m.kind !== 'config');
  const hasConfig = o.mix.some((m) => m.kind === 'config');
  for (const [kind, used] of [['tx', hasTx], ['config', hasConfig]] as const) {
    const b = bases[kind];
    if (b && !used) throw new UsageError(`--base ${b.source}: a ${kind} scenario, but --mix ${o.mixText} sends no ${kind} request`, { field: 'base', hint: `add ${kind} to --mix, or drop this --base` });
  }
  return bases;
}

/**
 * `cosigner-sim load`: send paced requests to one handler (closed loop at --concurrency, or open
 * loop at --rate), judge every answer by run's checks, and report the latency per phase, the
 * errors by check id and the throughput. Usage errors throw (exit 2) before anything is sent.
 *
 * @example
 * const { exitCode, report } = await loadCommand(resolveLoadOptions(flags, undefined), processIO());
 */
export async function loadCommand(o: LoadCliOptions, io: CliIO): Promise<LoadOutcome> {
  const redact = createRedactor(o.showSecrets);
  const bases = await loadBases(o, io.cwd);
  // Files are checked before anything runs, so a path that cannot be written is exit 2 up front.
  const machineOnStdout = o.reporters.some((s) => s.file === undefined && s.name !== 'pretty');
  const human: Sink = machineOnStdout ? io.stderr : io.stdout;
  const sinks = o.reporters.filter((s) => !(s.name === 'pretty' && s.file === undefined)).map((spec) => ({ spec, sink: spec.file === undefined ? io.stdout : openFile(io, spec) }));
  let histogramPath: string | undefined;
  if (o.histogramOut !== undefined) {
    histogramPath = resolve(io.cwd, o.histogramOut);
    try {
      prepareAtomicFile(histogramPath);
    } catch (cause) {
      throw new UsageError(`--histogram-out ${o.histogramOut}: cannot write the file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause, field: 'histogramOut', hint: 'choose a path in a folder you can write to' });
    }
  }

  const target = await openTarget(o, o.option, readTargetInputs(o, io.cwd, io.env), o.reuseConnections ? { reuseConnections: true } : {});
  // Several Co-signers for a preset that has them, each its own signerId and connections, signing
  // with the material's Co-signer keys in turn (the kit has two).
  const cosigners = o.preset ? loadCosigners(target.cosigner, target.started, target.client, o.preset.cosigners) : [target.cosigner];
  const controller = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const dispose =
    io.onSignal?.((sig) => {
      stoppedBy ??= sig;
      controller.abort(sig);
      io.stderr.write(`\n[cosigner-sim] ${sig}: starting no further request; the running ones finish and the report covers what ran.\n`);
    }) ?? (() => {});
  const live = io.stderr.isTTY === true;
  let report: LoadReport;
  try {
    report = await runLoad({
      cosigner: cosigners,
      ...(o.preset ? { resend: o.preset.resend, preset: o.preset.name } : {}),
      reuseConnections: o.reuseConnections,
      mode: o.mode,
      stop: o.stop,
      mix: o.mix,
      bases,
      warmupMs: o.warmupMs,
      signal: controller.signal,
      ...(live ? { onProgress: (p: LoadProgress) => io.stderr.write(progressLine(p)) } : {}),
    });
  } finally {
    if (live) io.stderr.write('\r\x1b[2K');
    dispose();
    await Promise.all(cosigners.filter((c) => c !== target.cosigner).map((c) => c.close()));
    await target.close();
  }

  const info: LoadRunInfo = { version: packageVersion(), option: o.option, url: target.url, embedded: isEmbedded(o), seed: o.seed, failures: loadFailures(report, o.maxErrorRate) };
  human.write(renderLoadPretty(report, info, colorsFor(human, io.env, o.color), redact));
  for (const { spec, sink } of sinks) {
    if (spec.name === 'pretty') sink.write(renderLoadPretty(report, info, colorsFor(sink, io.env, false), redact));
    else if (spec.name === 'json') sink.write(renderLoadJson(report, info, redact));
    else if (spec.name === 'github') {
      sink.write(renderLoadGithubAnnotations(info));
      const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
      // One append of the whole summary: the runner owns the file and other steps append too.
      if (summaryFile) appendFileSync(summaryFile, renderLoadGithubSummary(report, info, redact));
    }
    if ('flush' in sink) (sink as FileSink).flush();
  }
  if (histogramPath !== undefined) writeFileAtomic(histogramPath, renderHistogramFile(report, info));
  const exitCode = stoppedBy !== undefined ? SIGNAL_EXIT[stoppedBy] : info.failures.length > 0 ? 1 : 0;
  return { exitCode, report, info };
}
