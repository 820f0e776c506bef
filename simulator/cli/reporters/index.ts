import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { colorsFor, type CliIO, type Sink } from '../io.js';
import type { ReporterSpec } from '../options.js';
import type { Redactor } from '../../report/index.js';
import { renderGithubAnnotations, renderGithubSummary } from './github.js';
import { renderCtrfReport } from './ctrf.js';
import { renderJsonReport } from './json.js';
import { renderJunitReport } from './junit.js';
import { createPrettyReporter } from './pretty.js';
import type { FinalReport, Reporter } from './types.js';

export type { FinalReport, Reporter, RunInfo, TargetInfo, ReportSummary } from './types.js';

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

/** A file report: written whole at the end, so a crash never leaves half a JSON document. */
class FileSink implements Sink {
  readonly path: string;
  private chunks: string[] = [];
  constructor(path: string) {
    this.path = path;
  }
  write(text: string): void {
    this.chunks.push(text);
  }
  flush(): void {
    writeFileSync(this.path, this.chunks.join(''));
  }
}

/** Create the folder and the file now, so a bad path is a usage error before anything runs. */
function openFile(io: CliIO, spec: ReporterSpec): FileSink {
  const path = resolve(io.cwd, spec.file!);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
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
