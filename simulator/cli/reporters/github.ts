import type { Profile } from '../../protocol/profiles.js';
import { renderChecksRow, renderFailedCheckLines, renderPayloadLines, renderRequestLines, renderResponseLines, type Redactor } from '../../report/index.js';
import type { ScenarioResult } from '../../runner/types.js';
import { failedScenarioChecks, formatMs, keyStep, notRunReason, notRunText, optionText, scenarioStory, statusText, verdict } from './format.js';
import type { FinalReport } from './types.js';

/**
 * Escape the message of a workflow command: `%`, CR and LF, as the runner's own toolkit does
 * (actions/toolkit `escapeData`).
 *
 * @example
 * escapeData('50%\nok') // '50%25%0Aok'
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (`file=`, `title=`): also `:` and `,` (actions/toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(kind: 'error' | 'warning', r: ScenarioResult, title: string, message: string): string {
  const props = [
    ...(r.file ? [`file=${escapeProperty(r.file)}`] : []),
    ...(r.file && r.line !== undefined ? [`line=${r.line}`] : []),
    `title=${escapeProperty(title)}`,
  ];
  return `::${kind} ${props.join(',')}::${escapeData(message)}`;
}

/**
 * The failure story of a scenario, plain, from simulator/report: the failed checks (flush left,
 * so the annotation reads `jwt-signature: …` then `hint: …`), the request, the response with the
 * decoded JWT, the checks row.
 */
function failureLines(r: ScenarioResult, redact: Redactor, profile?: Profile): string[] {
  const { failed, exchange } = scenarioStory(r, redact, profile ? { profile } : {});
  const lines = renderFailedCheckLines(failed, { mark: '', indent: '' });
  if (lines.length === 0) lines.push(...r.warnings.map((w) => `warning ${w.id} (${w.accepted ? 'accepted' : '--strict'}): ${w.message}`));
  if (exchange) lines.push(...renderRequestLines(exchange), ...renderPayloadLines(exchange), ...renderResponseLines(exchange), renderChecksRow(exchange.checks));
  return lines;
}

/**
 * GitHub Actions annotations: one `::error` per failed scenario (every failed check with its
 * hint, then the exchange, on the scenario's file and line) and one `::warning` per scenario
 * with warnings.
 *
 * @example
 * process.stdout.write(renderGithubAnnotations(report, redactor));
 */
export function renderGithubAnnotations(report: FinalReport, redact: Redactor): string {
  const strict = report.info.strict;
  const lines: string[] = [];
  for (const r of report.results) {
    const v = verdict(r, strict);
    const title = `cosigner-sim: ${r.name}`;
    if (v === 'fail') {
      lines.push(annotation('error', r, title, redact.text(failureLines(r, redact, report.info.profile).join('\n'))));
    } else if (r.warnings.length > 0) {
      const text = r.warnings.map((w) => `${w.id}${w.accepted ? ' (accepted)' : ''}: ${w.message}${w.hint ? `\nhint: ${w.hint}` : ''}`).join('\n');
      lines.push(annotation('warning', r, title, redact.text(text)));
    }
  }
  for (const w of report.warnings) lines.push(`::warning title=${escapeProperty(`cosigner-sim: ${w.id}`)}::${escapeData(redact.text(w.message))}`);
  if (report.summary.interrupted !== undefined) {
    lines.push(`::error title=${escapeProperty(`cosigner-sim: interrupted (${report.summary.interrupted})`)}::${escapeData(`${report.summary.notRun} scenario(s) ${notRunReason(report.summary)}`)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Escape a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

/** Escape text for HTML (a `<summary>` element). */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A fenced code block that nothing inside can close: the fence is one backtick longer than the
 * longest run of backticks in the text (CommonMark §4.5).
 */
function codeBlock(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/**
 * The Markdown summary appended to `$GITHUB_STEP_SUMMARY`: a headline, a table with one row
 * per scenario, and a folded failure story per failed scenario.
 *
 * @example
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderGithubSummary(report, redactor));
 */
export function renderGithubSummary(report: FinalReport, redact: Redactor): string {
  const s = report.summary;
  const { info } = report;
  const where = info.option === 'all' ? 'options 1-5, embedded reference handlers' : `${optionText(info.option)}${info.targets[0] ? ` · ${info.embedded ? 'embedded reference handler' : redact.text(info.targets[0].url)}` : ''}`;
  const out = [
    `### ${report.ok ? '✅' : '❌'} cosigner-sim: ${s.passed} passed, ${s.failed} failed${s.skipped > 0 ? `, ${s.skipped} skipped` : ''}${s.notRun > 0 ? `, ${s.notRun} not run` : ''} (${s.total})${s.interrupted !== undefined ? ` · interrupted (${s.interrupted})` : ''}`,
    '',
    `${where} · seed ${info.seed} · ${(s.durationMs / 1000).toFixed(2)}s${s.warnings > 0 ? ` · ${s.warnings} warning${s.warnings === 1 ? '' : 's'}` : ''}`,
    '',
    '| | Scenario | Option | Action | Latency | Failed checks |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of report.results) {
    const v = verdict(r, info.strict);
    const icon = v === 'pass' ? '✅' : v === 'fail' ? '❌' : v === 'notRun' ? '⏸️' : '⏭️';
    const ex = keyStep(r)?.final;
    const failed = failedScenarioChecks(r)
      .map((c) => `\`${c.id}\` ${c.message ?? ''}`.trim())
      .join('; ');
    const latency = ex ? formatMs(ex.timings.totalMs) : '';
    const detail = v === 'skip' ? (r.skipReason ?? 'skipped') : v === 'notRun' ? notRunText(r) : failed || (v === 'fail' ? 'warnings (--strict)' : '');
    out.push(`| ${icon} | ${cell(r.name)} | ${r.option} | ${cell(v === 'skip' ? '' : statusText(r, info.strict))} | ${latency} | ${cell(redact.text(detail))} |`);
  }
  // Below the table, the failure story of each failed scenario, folded.
  for (const r of report.results.filter((x) => verdict(x, info.strict) === 'fail')) {
    out.push('', `<details><summary>❌ ${html(r.name)}</summary>`, '', codeBlock(redact.text(failureLines(r, redact, report.info.profile).join('\n'))), '', '</details>');
  }
  return `${out.join('\n')}\n\n`;
}
