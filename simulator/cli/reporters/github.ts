import type { ScenarioResult } from '../../runner/types.js';
import type { Redactor } from '../redact.js';
import { actionText, failedScenarioChecks, formatMs, keyStep, optionText, verdict } from './format.js';
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
 * GitHub Actions annotations: one `::error` per failed scenario (every failed check with its
 * hint, on the scenario's file and line) and one `::warning` per scenario with warnings.
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
      const parts = failedScenarioChecks(r).map((c) => `${c.id}: ${c.message ?? 'failed'}${c.hint ? `\nhint: ${c.hint}` : ''}`);
      if (parts.length === 0) parts.push(...r.warnings.map((w) => `warning ${w.id} (--strict): ${w.message}`));
      const ex = keyStep(r)?.final;
      if (ex) parts.push(`POST ${ex.request.url} (${optionText(ex.request.option)}, ${ex.request.stage})`);
      lines.push(annotation('error', r, title, redact.text(parts.join('\n'))));
    } else if (r.warnings.length > 0) {
      const text = r.warnings.map((w) => `${w.id}: ${w.message}${w.hint ? `\nhint: ${w.hint}` : ''}`).join('\n');
      lines.push(annotation('warning', r, title, redact.text(text)));
    }
  }
  for (const w of report.warnings) lines.push(`::warning title=${escapeProperty(`cosigner-sim: ${w.id}`)}::${escapeData(redact.text(w.message))}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Escape a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

/**
 * The Markdown summary appended to `$GITHUB_STEP_SUMMARY`: a headline and a table with one row
 * per scenario.
 *
 * @example
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderGithubSummary(report, redactor));
 */
export function renderGithubSummary(report: FinalReport, redact: Redactor): string {
  const s = report.summary;
  const { info } = report;
  const where = info.option === 'all' ? 'options 1-5, embedded reference handlers' : `${optionText(info.option)}${info.targets[0] ? ` · ${info.embedded ? 'embedded reference handler' : redact.text(info.targets[0].url)}` : ''}`;
  const out = [
    `### ${report.ok ? '✅' : '❌'} cosigner-sim: ${s.passed} passed, ${s.failed} failed${s.skipped > 0 ? `, ${s.skipped} skipped` : ''} (${s.total})`,
    '',
    `${where} · seed ${info.seed} · ${(s.durationMs / 1000).toFixed(2)}s${s.warnings > 0 ? ` · ${s.warnings} warning${s.warnings === 1 ? '' : 's'}` : ''}`,
    '',
    '| | Scenario | Option | Action | Latency | Failed checks |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of report.results) {
    const v = verdict(r, info.strict);
    const icon = v === 'pass' ? '✅' : v === 'fail' ? '❌' : '⏭️';
    const ex = keyStep(r)?.final;
    const failed = failedScenarioChecks(r)
      .map((c) => `\`${c.id}\` ${c.message ?? ''}`.trim())
      .join('; ');
    const latency = ex ? formatMs(ex.timings.totalMs) : '';
    const detail = v === 'skip' ? (r.skipReason ?? 'skipped') : failed || (v === 'fail' ? 'warnings (--strict)' : '');
    out.push(`| ${icon} | ${cell(r.name)} | ${r.option} | ${cell(v === 'skip' ? '' : actionText(ex))} | ${latency} | ${cell(redact.text(detail))} |`);
  }
  return `${out.join('\n')}\n\n`;
}
