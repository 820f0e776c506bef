/**
 * The reports of `cosigner-sim load`: figures, not test cases. Pretty (a summary, a latency table
 * per phase and terminal bars of the total-latency distribution), JSON (percentiles and counts,
 * never a row per request) and the GitHub step summary (the same table and a Mermaid
 * `xychart-beta` bar chart, which GitHub renders).
 */
import type { Colors } from '../io.js';
import { escapeData, escapeProperty } from './github.js';
import type { Redactor } from '../../report/index.js';
import type { ChartBucket, LatencySummary } from '../../load/histogram.js';
import type { LoadReport, PhaseSummaries } from '../../load/run.js';
import type { SecurityOptionNumber } from '../../protocol/options.js';

/** What the reports say besides the figures. */
export interface LoadRunInfo {
  version: string;
  option: SecurityOptionNumber;
  url: string;
  embedded: boolean;
  seed: number;
  /** Why the run failed (empty when it passed). */
  failures: string[];
}

const PHASES: readonly (keyof PhaseSummaries)[] = ['connect', 'tls', 'firstByte', 'total'];
const PHASE_LABEL: Record<keyof PhaseSummaries, string> = { connect: 'connect', tls: 'TLS', firstByte: 'first byte', total: 'total' };

/** 0.42 ms, 12.3 ms, 812 ms, 2.41 s */
export function formatLatency(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** `≤50 ms`, `>30 s` for the last bucket. */
export function bucketLabel(b: ChartBucket): string {
  return b.le === Infinity ? '>30 s' : b.le >= 1000 ? `≤${b.le / 1000} s` : `≤${b.le} ms`;
}

function modeText(r: LoadReport): string {
  const m = r.mode;
  if (m.kind === 'closed') return `closed loop, ${m.concurrency} in flight`;
  if (m.kind === 'open') return `open loop, ${m.ratePerSec}/s (at most ${m.maxInFlight ?? 256} in flight)`;
  return `bursts: ${r.cosigners} Co-signer${r.cosigners === 1 ? '' : 's'} × ${m.size} requests every ${m.everyMs / 1000}s (at most ${m.maxInFlight ?? 256} in flight)`;
}

/** `tx:1`, or `cosigner-burst (tx.approval:2,tx.signing:2,config:1)` for a named mix. */
function mixLabel(r: LoadReport): string {
  return r.preset !== undefined ? `${r.preset} (${r.mix})` : r.mix;
}

/** Handshakes per request, and the connections behind them. */
function connectionsText(r: LoadReport): string {
  const c = r.connections;
  const measured = r.counts.ok + r.counts.failed;
  const per = `${c.handshakesPerRequest.toFixed(3)} per request (${c.handshakes} of ${measured} requests`;
  return c.reused ? `${per}; ${c.opened} connection${c.opened === 1 ? '' : 's'} opened, reused otherwise)` : `${per}; a fresh connection each)`;
}

function stopText(r: LoadReport): string {
  return r.stop.durationMs !== undefined ? `for ${r.stop.durationMs / 1000}s` : `${r.stop.requests} requests`;
}

function pct(n: number): string {
  return `${(n * 100).toFixed(n > 0 && n < 0.001 ? 3 : 2)}%`;
}

/** The headline numbers, one `name: value` per line. */
function summaryLines(r: LoadReport): [string, string][] {
  const c = r.counts;
  const rows: [string, string][] = [
    ['requests', `${c.sent} sent, ${c.ok} ok, ${c.failed} failed${c.dropped > 0 ? `, ${c.dropped} dropped` : ''}${c.warmup > 0 ? ` (+${c.warmup} in the warm-up${c.warmupFailed > 0 ? `, ${c.warmupFailed} failed` : ''})` : ''}`],
    ['throughput', `${r.throughputPerSec.toFixed(1)} req/s over ${(r.durationMs / 1000).toFixed(2)}s`],
    ['in flight', `peak ${r.peakInFlight}, mean ${r.meanInFlight.toFixed(2)}`],
    ['over 30 s', `${c.overDeadline} (${pct(r.overDeadlineShare)})`],
    ['handshakes', connectionsText(r)],
  ];
  if (r.cosigners > 1) rows.push(['Co-signers', `${r.cosigners}, each its own signerId, sending in turn`]);
  const t = r.retry;
  if (t !== undefined) rows.push(['RETRY', `${t.answers} answers, ${t.resends} re-sent identically (at most ${t.maxResends} each, ${t.backoffMs} ms after the answer), ${t.gaveUp} still RETRY after ${t.maxResends}, ${t.cut} re-send${t.cut === 1 ? '' : 's'} past the run's bound not sent`]);
  if (r.mode.kind !== 'closed') rows.push(['late starts', `${c.lateStarts} (the client fell behind the schedule; latency counts from it)`]);
  return rows;
}

function latencyRow(label: string, s: LatencySummary): string[] {
  return [label, String(s.count), ...[s.p50, s.p90, s.p99, s.p999, s.max].map((v) => (s.count === 0 ? '-' : formatLatency(v)))];
}

const LATENCY_HEAD = ['phase', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'];

/** Terminal bars of the total-latency distribution, like the classic load tools. */
export function renderBars(chart: readonly ChartBucket[], width = 40): string[] {
  const most = Math.max(1, ...chart.map((b) => b.count));
  const labels = chart.map(bucketLabel);
  const lw = Math.max(...labels.map((l) => l.length), 0);
  const cw = Math.max(...chart.map((b) => String(b.count).length), 0);
  return chart.map((b, i) => `  ${labels[i]!.padStart(lw)}  ${String(b.count).padStart(cw)}  ${'■'.repeat(Math.round((b.count / most) * width)) || (b.count > 0 ? '▏' : '')}`.trimEnd());
}

/**
 * The human report.
 *
 * @example
 * process.stdout.write(renderLoadPretty(report, info, pc.createColors(false), redactor));
 */
export function renderLoadPretty(r: LoadReport, info: LoadRunInfo, colors: Colors, redact: Redactor): string {
  const out: string[] = [];
  const where = info.embedded ? 'embedded reference handler' : redact.text(info.url);
  out.push(colors.bold(`cosigner-sim load · option ${info.option} · ${where}`));
  out.push(colors.dim(`${modeText(r)} · ${stopText(r)} · mix ${mixLabel(r)}${r.warmupMs > 0 ? ` · warm-up ${r.warmupMs / 1000}s` : ''} · seed ${info.seed}`), '');
  const rows = summaryLines(r);
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.push(`  ${k.padEnd(w)}  ${v}`);
  out.push('');
  const table = [LATENCY_HEAD, ...PHASES.map((p) => latencyRow(PHASE_LABEL[p], r.latency[p]))];
  const widths = LATENCY_HEAD.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  table.forEach((row, n) => {
    const line = `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
    out.push(n === 0 ? colors.dim(line) : line);
  });
  if (r.chart.length > 0) out.push('', colors.dim('  total latency distribution'), ...renderBars(r.chart));
  const failed = Object.entries(r.failedByCheck).sort((a, b) => b[1] - a[1]);
  if (failed.length > 0) {
    out.push('', colors.red('  failed checks'));
    for (const [id, n] of failed) out.push(`  ${colors.red('✗')} ${id}  ${n}×  ${redact.text(r.firstFailure[id] ?? '')}`);
  }
  out.push('');
  if (r.interrupted) out.push(colors.yellow('interrupted: the figures cover what ran'));
  out.push(info.failures.length === 0 ? colors.green('✓ load passed') : colors.red(`✗ load failed: ${info.failures.join('; ')}`));
  return `${out.join('\n')}\n`;
}

/** The figures as JSON, the same numbers as the pretty report (no per-request rows). */
export function loadJson(r: LoadReport, info: LoadRunInfo, redact: Redactor): Record<string, unknown> {
  return {
    command: 'load',
    version: info.version,
    ok: info.failures.length === 0,
    failures: info.failures,
    option: info.option,
    target: { url: redact.text(info.url), embedded: info.embedded },
    seed: info.seed,
    mode: r.mode,
    stop: r.stop,
    mix: r.mix,
    ...(r.preset !== undefined ? { preset: r.preset } : {}),
    warmupMs: r.warmupMs,
    durationMs: r.durationMs,
    cosigners: r.cosigners,
    connections: r.connections,
    ...(r.retry ? { retry: r.retry } : {}),
    counts: r.counts,
    failedByCheck: r.failedByCheck,
    firstFailure: redact.value(r.firstFailure),
    throughputPerSec: r.throughputPerSec,
    peakInFlight: r.peakInFlight,
    meanInFlight: r.meanInFlight,
    overDeadlineShare: r.overDeadlineShare,
    latency: r.latency,
    chart: r.chart.map((b) => ({ le: b.le === Infinity ? null : b.le, count: b.count })),
    interrupted: r.interrupted,
  };
}

/** One JSON document and a newline. */
export function renderLoadJson(r: LoadReport, info: LoadRunInfo, redact: Redactor): string {
  return `${JSON.stringify(loadJson(r, info, redact), null, 2)}\n`;
}

/** A Mermaid string: double quotes cannot be escaped inside one, so they become single quotes. */
function mermaidText(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

/**
 * The total-latency distribution as a Mermaid `xychart-beta` bar chart, which GitHub renders in a
 * step summary: one bar per bucket, the buckets as categories on the x axis.
 *
 * @example
 * mermaidChart([{ le: 50, count: 3 }, { le: 100, count: 9 }]);
 * // xychart-beta\n  title "Total latency"\n  x-axis "latency" ["≤50 ms", "≤100 ms"]\n  y-axis "requests" 0 --> 9\n  bar [3, 9]
 */
export function mermaidChart(chart: readonly ChartBucket[]): string {
  const most = Math.max(1, ...chart.map((b) => b.count));
  return [
    'xychart-beta',
    '  title "Total latency"',
    `  x-axis "latency" [${chart.map((b) => mermaidText(bucketLabel(b))).join(', ')}]`,
    `  y-axis "requests" 0 --> ${most}`,
    `  bar [${chart.map((b) => b.count).join(', ')}]`,
  ].join('\n');
}

/** The Markdown appended to `$GITHUB_STEP_SUMMARY`: headline, figures, latency table, chart, failed checks. */
export function renderLoadGithubSummary(r: LoadReport, info: LoadRunInfo, redact: Redactor): string {
  const ok = info.failures.length === 0;
  const out = [
    `### ${ok ? '✅' : '❌'} cosigner-sim load: ${r.throughputPerSec.toFixed(1)} req/s, p99 ${formatLatency(r.latency.total.p99)}, ${r.counts.failed} failed of ${r.counts.sent}`,
    '',
    `option ${info.option} · ${info.embedded ? 'embedded reference handler' : redact.text(info.url)} · ${modeText(r)} · ${stopText(r)} · mix ${mixLabel(r)} · seed ${info.seed}`,
    '',
  ];
  if (!ok) out.push(`**Failed:** ${info.failures.join('; ')}`, '');
  out.push('| | |', '|---|---|', ...summaryLines(r).map(([k, v]) => `| ${k} | ${v} |`), '');
  out.push(`| ${LATENCY_HEAD.join(' | ')} |`, `|${LATENCY_HEAD.map(() => '---').join('|')}|`, ...PHASES.map((p) => `| ${latencyRow(PHASE_LABEL[p], r.latency[p]).join(' | ')} |`));
  if (r.chart.length > 0) out.push('', '```mermaid', mermaidChart(r.chart), '```');
  const failed = Object.entries(r.failedByCheck);
  if (failed.length > 0) {
    out.push('', '| failed check | requests | first message |', '|---|---|---|');
    for (const [id, n] of failed) out.push(`| \`${id}\` | ${n} | ${redact.text(r.firstFailure[id] ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`);
  }
  return `${out.join('\n')}\n\n`;
}

/** GitHub annotations: one `::error` when the run failed. */
export function renderLoadGithubAnnotations(info: LoadRunInfo): string {
  return info.failures.length === 0 ? '' : `::error title=${escapeProperty('cosigner-sim: load failed')}::${escapeData(info.failures.join('; '))}\n`;
}

/** `--histogram-out`: the histograms of every phase, to compare runs. */
export function renderHistogramFile(r: LoadReport, info: LoadRunInfo): string {
  return `${JSON.stringify({ command: 'load', version: info.version, mode: r.mode, mix: r.mix, durationMs: r.durationMs, latency: r.latency, chart: r.chart.map((b) => ({ le: b.le === Infinity ? null : b.le, count: b.count })) }, null, 2)}\n`;
}
