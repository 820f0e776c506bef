import type { Profile } from '../../protocol/profiles.js';
import type { Warning } from '../../protocol/types.js';
import {
  CHECK_SYMBOLS,
  renderChecksRow,
  renderFailedCheckLines,
  renderPayloadLines,
  renderRequestLines,
  renderResponseLines,
  type Redactor,
} from '../../report/index.js';
import { coverageLines } from '../../runner/coverage.js';
import type { ScenarioResult } from '../../runner/types.js';
import type { Colors, Sink } from '../io.js';
import { terminalStyle } from '../style.js';
import {
  attemptCount,
  failedScenarioChecks,
  failureHeadline,
  formatMs,
  keyStep,
  optionText,
  scenarioStory,
  truncate,
  verdict,
  notRunText,
  runCoverage,
  statusText,
  type ScenarioStory,
} from './format.js';
import type { Reporter, RunInfo, TargetInfo } from './types.js';

export interface PrettyOptions {
  out: Sink;
  colors: Colors;
  redact: Redactor;
  /** `send`: show the request and decision even when every check passed. */
  detail: boolean;
  /** `--verbose`: the full exchange (headers, the whole payload, response) under every scenario. */
  verbose?: boolean;
}

const MIN_NAME_WIDTH = 24;
const MAX_NAME_WIDTH = 80;

function targetText(t: TargetInfo, info: RunInfo): string {
  return t.embedded ? `embedded reference handler ${t.url}${info.option === 'all' ? '' : ' (no --url given)'}` : t.url;
}

/**
 * The human reporter: a header, one line per scenario as it finishes, a block per failure (the
 * failed checks with hints, expected vs received, the request line, the payload with the fields a
 * policy decides on first, and the decoded response), warnings, and a summary line with the seed.
 * `--verbose` adds the full exchange under every scenario line.
 *
 * @example
 * const reporter = createPrettyReporter({ out: process.stdout, colors, redact, detail: false });
 */
export function createPrettyReporter(o: PrettyOptions): Reporter {
  const { out, colors: c, redact } = o;
  const line = (text = '') => out.write(`${text}\n`);
  // The story lines come from simulator/report, like the matcher message; only the colour is ours.
  const style = terminalStyle(c);
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  let strict = false;
  let profile: Profile | undefined;
  let nameWidth = MIN_NAME_WIDTH;

  return {
    onStart(info) {
      strict = info.strict;
      profile = info.profile;
      nameWidth = Math.min(MAX_NAME_WIDTH, Math.max(MIN_NAME_WIDTH, info.nameWidth ?? 0));
      const head = `${c.bold('cosigner-sim')} ${info.version}`;
      if (info.option === 'all') {
        line(`${head} · option all (1-5) · ${info.embedded ? 'embedded reference handlers, one per option (no --url given)' : 'your handler started once per option (--start)'}`);
      } else {
        const t = info.targets[0];
        line(`${head} · ${optionText(info.option)}${t ? ` · ${targetText(t, info)}` : ''}`);
      }
      if (info.strict) line(c.dim(`--strict: warnings fail${info.acceptedWarnings ? ` (accepted: ${info.acceptedWarnings.join(', ')})` : ''}`));
    },
    onTarget(t) {
      line(c.dim(`${optionText(t.option)} · ${t.url}`));
    },
    onResult(r) {
      line(resultLine(r));
      const v = verdict(r, strict);
      // A failure's exchange is told in its block at the end; --verbose tells every other one here.
      if (v !== 'fail' && (o.verbose || (o.detail && v === 'pass'))) for (const l of exchangeLines(r)) line(l);
    },
    onEnd(report) {
      const failed = report.results.filter((r) => verdict(r, report.info.strict) === 'fail');
      for (const r of failed) {
        line();
        for (const l of failureBlock(r)) line(l);
      }
      const warnings = warningLines([...report.warnings, ...report.results.flatMap((r) => r.warnings)]);
      if (warnings.length > 0) {
        line();
        for (const l of warnings) line(l);
      }
      line();
      const s = report.summary;
      const parts = [
        s.passed > 0 ? c.green(`${s.passed} passed`) : `${s.passed} passed`,
        s.failed > 0 ? c.red(c.bold(`${s.failed} failed`)) : `${s.failed} failed`,
        ...(s.skipped > 0 ? [c.yellow(`${s.skipped} skipped`)] : []),
        ...(s.notRun > 0 ? [c.dim(`${s.notRun} not run`)] : []),
      ];
      // Planned scenarios that never started (--bail, a signal), as opposed to results not run for a root cause.
      const left = report.notRun?.length ?? 0;
      line(`${c.bold('Scenarios')}  ${parts.join(c.dim(' | '))} ${c.dim(left > 0 ? `(${s.total} of ${s.total + left}, ${s.interrupted !== undefined ? `interrupted: ${s.interrupted}` : '--bail'})` : `(${s.total})`)}   ${c.bold('Duration')} ${(s.durationMs / 1000).toFixed(2)}s   ${c.bold('Seed')} ${report.info.seed}`);
      const coverage = runCoverage(report);
      if (coverage) {
        const [first, ...rest] = coverageLines(coverage);
        line(`${c.bold('Coverage')}   ${first}`);
        for (const l of rest) line(`           ${l.startsWith('never') ? c.yellow(l) : l}`);
      }
      if (s.warnings > 0) {
        const accepted = report.results.reduce((n, r) => n + r.warnings.filter((w) => w.accepted).length, 0);
        const failing = s.warnings - accepted;
        const strictNote = !report.info.strict ? '' : accepted === 0 ? c.red(' (failing: --strict)') : c.dim(` (${accepted} accepted${failing > 0 ? `, ${failing} failing: --strict` : ''})`);
        line(`${c.bold('Warnings')}   ${c.yellow(String(s.warnings))}${strictNote}`);
      }
    },
  };

  function resultLine(r: ScenarioResult): string {
    const v = verdict(r, strict);
    const mark = v === 'pass' ? c.green('✓') : v === 'fail' ? c.red('✗') : v === 'notRun' ? c.dim('○') : c.yellow('–');
    const name = r.name.padEnd(nameWidth);
    if (v === 'skip') return ` ${mark} ${c.dim(name)} ${c.dim(`skipped${r.skipReason ? `: ${r.skipReason}` : ''}`)}`;
    if (v === 'notRun') return ` ${mark} ${c.dim(name)} ${c.dim(truncate(notRunText(r), 140))}`;
    const ex = keyStep(r)?.final;
    const action = statusText(r, strict).padEnd(8);
    const latency = ex ? formatMs(ex.timings.totalMs).padStart(6) : ''.padStart(6);
    const base = ` ${mark} ${v === 'fail' ? c.red(name) : name} ${action} ${c.dim(latency)}`;
    if (v === 'pass') return r.warnings.length > 0 ? `${base}  ${c.yellow(`⚠ ${r.warnings.length}`)}` : base;
    const where = r.file ? `   ${c.dim(r.line !== undefined ? `${r.file}:${r.line}` : r.file)}` : '';
    return `${base}  ${c.red(truncate(redact.text(failureHeadline(r, strict)), 100))}${where}`;
  }

  function failureBlock(r: ScenarioResult): string[] {
    const where = r.file ? ` ${c.dim(r.line !== undefined ? `${r.file}:${r.line}` : r.file)}` : '';
    const out: string[] = [`${c.bgRed(c.white(c.bold(' FAIL ')))} ${c.bold(r.name)}${where}`];
    const told = scenarioStory(r, redact, { full: o.verbose ?? false, ...(profile ? { profile } : {}) });
    out.push(...indent(renderFailedCheckLines(told.failed, { style, mark: `${c.red(CHECK_SYMBOLS.fail)} ` })));
    if (strict && failedScenarioChecks(r).length === 0) {
      for (const w of r.warnings) out.push(`  ${c.yellow('⚠')} ${c.bold(w.id)}: ${redact.text(w.message)} ${w.accepted ? c.dim('(accepted)') : c.red('(--strict)')}`);
    }
    out.push(...exchangeLines(r, told));
    return out;
  }

  /** The request line, the payload, the response, the decoded JWT and the checks of the key step (with --verbose, the headers and the whole payload too). */
  function exchangeLines(r: ScenarioResult, told: ScenarioStory = scenarioStory(r, redact, { full: o.verbose ?? false, ...(profile ? { profile } : {}) })): string[] {
    const { exchange: story, step } = told;
    if (!story || !step) return [];
    const out: string[] = [];
    if (r.steps.length > 1) out.push(`  ${c.dim(`step ${r.steps.indexOf(step) + 1} of ${r.steps.length}${step.name ? `: ${step.name}` : ''}`)}`);
    out.push(...indent([...renderRequestLines(story, { style, ids: true, headers: o.verbose ?? false }), ...renderPayloadLines(story, style), ...renderResponseLines(story, style), renderChecksRow(story.checks, style)]));
    const attempts = attemptCount(r);
    if (attempts > r.steps.length) out.push(`  ${c.bold('Attempts:')} ${attempts}`);
    return out;
  }

  function warningLines(all: Warning[]): string[] {
    const byId = new Map<string, { w: Warning; n: number }>();
    for (const w of all) {
      const key = `${w.id}\u0000${w.message}`;
      const e = byId.get(key);
      if (e) e.n++;
      else byId.set(key, { w, n: 1 });
    }
    const out: string[] = [];
    for (const { w, n } of byId.values()) {
      out.push(`${c.yellow('⚠')} ${c.bold(w.id)}: ${redact.text(w.message)}${n > 1 ? c.dim(` (${n}×)`) : ''}${w.accepted ? c.dim(' (accepted)') : ''}`);
      if (w.hint) out.push(`  ${c.cyan('hint:')} ${redact.text(w.hint)}`);
    }
    return out;
  }
}
