import { appendFileSync } from 'node:fs';
import { createRedactor } from '../../report/index.js';
import type { ScenarioResult } from '../../runner/types.js';
import { formatSelftestTable, runSelftest, type SelftestRow } from '../../selftest/run.js';
import { packageVersion, type CliIO, type Sink } from '../io.js';
import type { ReporterSpec, SelftestCliOptions } from '../options.js';
import { openFile, FileSink } from '../reporters/index.js';
import { renderCtrfReport } from '../reporters/ctrf.js';
import { summarize } from '../reporters/format.js';
import { renderGithubAnnotations, renderGithubSummary } from '../reporters/github.js';
import { renderJsonReport } from '../reporters/json.js';
import { renderJunitReport } from '../reporters/junit.js';
import type { FinalReport } from '../reporters/types.js';

export type { SelftestCliOptions } from '../options.js';

/** How often a non-terminal stderr gets a progress line (a terminal gets one line, updated in place). */
const PROGRESS_EVERY_MS = 5_000;

/**
 * `cosigner-sim selftest`: run the zoo of deliberately broken handlers (and correct variants)
 * through the checks and the battery, print a table, and exit 1 if any defect slipped through or
 * any correct handler was flagged. The answer to "how do I know this tool does not pass
 * everything?".
 *
 * It brings its own handlers, so target flags (--url, --start, key flags) are refused with exit 2
 * by the option table. Every `--reporter` gets its report: one result per row of the table.
 *
 * @example
 * const code = await selftestCommand({ allOptions: false, reporters: [] }, processIO());
 */
export async function selftestCommand(o: SelftestCliOptions, io: CliIO): Promise<0 | 1> {
  const specs = o.reporters ?? [];
  const machineOnStdout = specs.some((s) => s.file === undefined && s.name !== 'pretty');
  // Files are checked before anything starts: a bad path is exit 2, not a lost run.
  const outputs = specs.filter((s) => !(s.name === 'pretty' && s.file === undefined)).map((spec) => ({ spec, sink: spec.file === undefined ? io.stdout : openFile(io, spec) }));
  const human = machineOnStdout ? io.stderr : io.stdout;
  io.stderr.write('cosigner-sim selftest · starting the zoo of broken handlers on 127.0.0.1\n');
  // No progress when a machine report owns stdout: stderr then carries the table, and CI logs stay short.
  const progress = machineOnStdout ? undefined : createProgress(io.stderr);
  const start = Date.now();
  let outcome;
  try {
    outcome = await runSelftest({ allOptions: o.allOptions, ...(progress ? { onProgress: progress.update } : {}) });
  } finally {
    progress?.end();
  }
  const table = formatSelftestTable(outcome.rows);
  human.write(`${table}\n`);
  const report = finalReport(outcome.rows, Date.now() - start);
  for (const { spec, sink } of outputs) writeReport(spec, sink, report, table, io, { start, stop: Date.now() });
  for (const { sink } of outputs) if (sink instanceof FileSink) sink.flush();
  return outcome.ok ? 0 : 1;
}

/** One line that counts the finished runs: updated in place on a terminal, every few seconds elsewhere. */
function createProgress(out: Sink): { update(done: number, total: number): void; end(): void } {
  const started = Date.now();
  let last = { done: 0, total: 0 };
  const text = () => `selftest: ${last.done}/${last.total} runs done (${Math.round((Date.now() - started) / 1000)} s)`;
  if (out.isTTY) {
    return {
      update(done, total) {
        last = { done, total };
        out.write(`\r\x1b[2K${text()}`);
      },
      end() {
        if (last.total > 0) out.write('\r\x1b[2K');
      },
    };
  }
  let printed = -1;
  const timer = setInterval(() => {
    if (last.total === 0 || last.done === printed) return;
    printed = last.done;
    out.write(`${text()}\n`);
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return {
    update(done, total) {
      last = { done, total };
    },
    end() {
      clearInterval(timer);
    },
  };
}

/** The selftest as a run report: one result per row, its verdict in one `expectation` outcome. */
function finalReport(rows: readonly SelftestRow[], durationMs: number): FinalReport {
  const results: ScenarioResult[] = rows.map((r) => {
    const caught = r.caughtBy.length === 0 ? 'nothing' : r.caughtBy.join(', ');
    const message = r.kind === 'correct' ? `a correct handler: expected to pass, flagged by ${caught}` : `expected ${r.expected}, caught by ${caught}`;
    return {
      name: `${r.handler} [option ${r.option}]`,
      file: 'selftest',
      option: r.option,
      status: r.ok ? 'pass' : 'fail',
      steps: [],
      checks: [
        r.ok
          ? { id: 'expectation', status: 'pass', message }
          : { id: 'expectation', status: 'fail', reason: r.kind === 'correct' ? 'flagged' : 'not-caught', message, hint: 'a check or probe no longer catches (only) the defect meant for it: see simulator/selftest/' },
      ],
      warnings: [],
      durationMs: r.durationMs,
    };
  });
  const summary = summarize(results, false, durationMs);
  return {
    info: { command: 'selftest', version: packageVersion(), option: 'all', seed: 7, strict: false, embedded: true, targets: [] },
    results,
    summary,
    warnings: [],
    ok: summary.ok,
  };
}

function writeReport(spec: ReporterSpec, sink: Sink, report: FinalReport, table: string, io: CliIO, clock: { start: number; stop: number }): void {
  const redact = createRedactor(false);
  switch (spec.name) {
    case 'pretty':
      sink.write(`${table}\n`);
      break;
    case 'json':
      sink.write(renderJsonReport(report, redact));
      break;
    case 'junit':
      sink.write(renderJunitReport(report, redact));
      break;
    case 'ctrf':
      sink.write(renderCtrfReport(report, redact, clock));
      break;
    case 'github': {
      sink.write(renderGithubAnnotations(report, redact));
      const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
      if (summaryFile) appendFileSync(summaryFile, renderGithubSummary(report, redact));
      break;
    }
  }
}
