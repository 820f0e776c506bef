import { SECURITY_OPTIONS } from '../protocol/options.js';
import type { DoctorReport } from './diagnose.js';
import { countFindings, type Finding, type Severity } from './findings.js';
import type { HandshakeReport } from './handshake.js';

/** The colour functions the pretty text uses (picocolors' shape; identity functions for none). */
export interface DoctorColors {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const PLAIN: DoctorColors = { red: String, yellow: String, cyan: String, green: String, dim: String, bold: String };

const MARK: Record<Severity, string> = { error: '✗', warning: '⚠', info: 'i' };

function severityText(s: Severity, c: DoctorColors): string {
  const text = `${MARK[s]} ${s.padEnd(7)}`;
  return s === 'error' ? c.red(text) : s === 'warning' ? c.yellow(text) : c.cyan(text);
}

/** One line per finding: mark, severity, id, message, and the fix after `fix:`. */
export function formatFinding(f: Finding, c: DoctorColors = PLAIN): string {
  return `${severityText(f.severity, c)} ${c.bold(f.id.padEnd(19))} ${f.message}  ${c.dim('fix:')} ${f.fix}`;
}

function formatHandshake(hs: HandshakeReport, c: DoctorColors): string[] {
  const state = hs.status === 'ok' ? c.green('verified') : hs.status === 'failed' ? c.red('refused') : c.yellow('no answer');
  const lines = [`TLS handshake with ${hs.host}:${hs.port}: ${state}`];
  if (hs.presented) {
    const p = hs.presented;
    const parts = [p.subject, p.issuer ? `issued by ${p.issuer}` : undefined, p.subjectAltName, p.validTo ? `valid to ${p.validTo}` : undefined].filter((x): x is string => x !== undefined);
    lines.push(`  presented: ${parts.join(' · ')}`);
    lines.push(`             SHA-256 ${p.fingerprint256}`);
  }
  const t = hs.trusted;
  if (t.mode === 'pinned') lines.push(`  trusted:   the pinned certificate, SHA-256 ${t.pinnedFingerprint256 ?? '?'} (names not checked)`);
  else {
    const anchors = [t.publicRoots ? 'the public roots' : undefined, t.ca ? `Root CA ${t.ca.subject} (SHA-256 ${t.ca.fingerprint256})` : undefined].filter((x): x is string => x !== undefined);
    lines.push(`  trusted:   ${anchors.join(' and ')}${t.checkHostname ? ', names checked against the URL host' : ', names not checked'}`);
  }
  return lines;
}

/**
 * The human report: a header, one line per finding with its fix, the handshake, and a summary.
 *
 * @example
 * formatDoctorPretty(report).split('\n').at(-2); // 'Findings  1 error | 0 warnings | 1 info'
 */
export function formatDoctorPretty(report: DoctorReport, c: DoctorColors = PLAIN): string {
  const spec = SECURITY_OPTIONS[report.option];
  const lines = [`cosigner-sim doctor · option ${report.option} ${spec.label}${report.url !== undefined ? ` · ${report.url}` : ''}`];
  if (report.findings.length === 0) lines.push(` ${c.green('✓')} no findings: every file and setting checked is fine for option ${report.option}`);
  for (const f of report.findings) lines.push(` ${formatFinding(f, c)}`);
  if (report.handshake) lines.push(...formatHandshake(report.handshake, c));
  const n = countFindings(report.findings);
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  lines.push(`Findings  ${plural(n.error, 'error')} | ${plural(n.warning, 'warning')} | ${n.info} info`);
  return `${lines.join('\n')}\n`;
}

/**
 * The machine report: `{ findings: [{ id, severity, file?, field?, message, fix }] }`, plus the
 * option, the URL and the handshake when there was one.
 *
 * @example
 * JSON.parse(formatDoctorJson(report)).findings[0].id; // 'url-suffix'
 */
export function formatDoctorJson(report: DoctorReport): string {
  const findings = report.findings.map((f) => ({
    id: f.id,
    severity: f.severity,
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
    message: f.message,
    fix: f.fix,
  }));
  return `${JSON.stringify({ option: report.option, ...(report.url !== undefined ? { url: report.url } : {}), findings, ...(report.handshake ? { handshake: report.handshake } : {}) }, null, 2)}\n`;
}
