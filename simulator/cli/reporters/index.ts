import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { prepareAtomicFile, writeFileAtomic } from '../../lib/write-atomic.js';
import { colorsFor, type CliIO, type Sink } from '../io.js';
import type { ReporterSpec } from '../options.js';
import type { Redactor } from '../../report/index.js';
import { renderGithubAnnotations, renderGithubSummary } from './github.js';
import { renderCtrfReport } from './ctrf.js';
import { renderJsonReport } from './json.js';
import { renderJunitReport } from './junit.js';
import { createPrettyReporter } from './pretty.js';
import type { FinalReport, Reporter } from './types.js';

export type { FinalReport, InterruptSignal, NotRunEntry, Reporter, RunInfo, TargetInfo } from './types.js';

export interface ReporterSetup {
  specs: readonly ReporterSpec[];
  io: CliIO;
  color: boolean;
  redact: Redactor;
  /** `send`: the human output shows the exchange even when it passed. */
  detail: boolean;
  /** `--verbose`: the human output shows the full exchange under every scenario. */
  verbose?: boolean;
}

export interface ReporterSet {
  /** Dispatches to every reporter. */
  reporter: Reporter;
  /** Where human lines go: stdout, or stderr when a machine reporter owns stdout. */
  human: Sink;
}

/**
 * A file report: collected, then written whole at the end through writeFileAtomic (a temporary
 * file in the same folder, then a rename), so a crash or a kill never leaves half a JSON or JUnit
 * document under the name CI reads. Every file reporter writes through one of these: a new one
 * gets its sink from openFile in the switch below, never its own writeFileSync.
 */
export class FileSink implements Sink {
  readonly path: string;
  private chunks: string[] = [];
  constructor(path: string) {
    this.path = path;
  }
  write(text: string): void {
    this.chunks.push(text);
  }
  flush(): void {
    writeFileAtomic(this.path, this.chunks.join(''));
  }
}

/**
 * Check the path now (create the folder, prove a file can be made there, remove an earlier run's
 * report), so a bad path is a usage error before anything runs and a crash leaves no report
 * rather than a stale one.
 */
export function openFile(io: CliIO, spec: ReporterSpec): FileSink {
  const path = resolve(io.cwd, spec.file!);
  try {
    prepareAtomicFile(path);
  } catch (cause) {
    throw new UsageError(`--reporter ${spec.name}:${spec.file}: cannot write the report file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause,
      field: 'reporter',
      hint: 'choose a path in a folder you can write to',
    });
  }
  return new FileSink(path);
}

/**
 * Build the reporters for a run. Human output always exists (the pretty reporter on stdout, or
 * on stderr when a machine reporter owns stdout); `pretty:<file>` adds a plain copy in a file.
 *
 * @example
 * const { reporter } = createReporters({ specs: [{ name: 'json' }], io, color: true, redact, detail: false });
 */
export function createReporters(setup: ReporterSetup): ReporterSet {
  const { io, redact } = setup;
  const machineOnStdout = setup.specs.some((s) => s.file === undefined && s.name !== 'pretty');
  const human = machineOnStdout ? io.stderr : io.stdout;
  const verbose = setup.verbose ?? false;
  const reporters: Reporter[] = [createPrettyReporter({ out: human, colors: colorsFor(human, io.env, setup.color), redact, detail: setup.detail, verbose })];
  const files: FileSink[] = [];

  for (const spec of setup.specs) {
    if (spec.name === 'pretty' && spec.file === undefined) continue; // that is the human output above
    const sink: Sink = spec.file === undefined ? io.stdout : openFile(io, spec);
    if (sink instanceof FileSink) files.push(sink);
    switch (spec.name) {
      case 'pretty':
        reporters.push(createPrettyReporter({ out: sink, colors: colorsFor(sink, io.env, false), redact, detail: setup.detail, verbose }));
        break;
      case 'json':
        reporters.push({ onEnd: (r) => sink.write(renderJsonReport(r, redact)) });
        break;
      case 'junit':
        reporters.push({ onEnd: (r) => sink.write(renderJunitReport(r, redact)) });
        break;
      case 'ctrf': {
        // CTRF wants wall-clock start and stop: the reporters are made as the run starts.
        const start = Date.now();
        reporters.push({ onEnd: (r) => sink.write(renderCtrfReport(r, redact, { start, stop: Date.now() })) });
        break;
      }
      case 'github':
        reporters.push({
          onEnd: (r: FinalReport) => {
            sink.write(renderGithubAnnotations(r, redact));
            const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
            // The runner owns this file and other steps append to it too: no rename, one append (a
            // single write) of the whole summary, never a partial one per scenario.
            if (summaryFile) appendFileSync(summaryFile, renderGithubSummary(r, redact));
          },
        });
        break;
    }
  }

  return {
    human,
    reporter: {
      onStart: (info) => reporters.forEach((r) => r.onStart?.(info)),
      onTarget: (t) => reporters.forEach((r) => r.onTarget?.(t)),
      onResult: (res) => reporters.forEach((r) => r.onResult?.(res)),
      onEnd: (report) => {
        for (const r of reporters) r.onEnd(report);
        for (const f of files) f.flush();
      },
    },
  };
}
