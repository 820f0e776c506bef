import type { Profile } from '../../protocol/profiles.js';
import type { Redactor } from '../../report/index.js';
import type { ScenarioResult } from '../../runner/types.js';
import { failedScenarioChecks, failureHeadline, failureText, notRunReason, notRunText, verdict } from './format.js';
import type { FinalReport, NotRunEntry } from './types.js';

/**
 * Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab, LF, CR; lone
 * surrogates; U+FFFE/U+FFFF). A handler's body may contain any of them.
 */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escape text for an XML attribute or element. Newlines in attributes become `&#10;` so they
 * survive attribute-value normalization.
 *
 * @example
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string, attribute = false): string {
  const s = text
    .replace(INVALID_XML_CHARS, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  return attribute ? s.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : s;
}

const attr = (s: string | number) => escapeXml(String(s), true);
const seconds = (ms: number) => (ms / 1000).toFixed(3);


function testcase(r: ScenarioResult, strict: boolean, redact: Redactor, profile?: Profile): string {
  const v = verdict(r, strict);
  const open = `    <testcase name="${attr(r.name)}" classname="${attr(r.file || 'cosigner-sim')}" file="${attr(r.file)}"${r.line !== undefined ? ` line="${r.line}"` : ''} time="${seconds(r.durationMs)}"`;
  const body: string[] = [];
  if (v === 'skip') body.push(`      <skipped message="${attr(r.skipReason ?? 'skipped')}"/>`);
  if (v === 'notRun') body.push(`      <skipped message="${attr(redact.text(notRunText(r)))}"/>`);
  if (v === 'fail') {
    const headline = redact.text(failureHeadline(r, strict));
    const type = failedScenarioChecks(r)[0]?.id ?? 'warning';
    body.push(`      <failure message="${attr(headline)}" type="${attr(type)}">${escapeXml(failureText(r, strict, redact, profile))}</failure>`);
  }
  if (r.warnings.length > 0) {
    const text = r.warnings.map((w) => `⚠ ${w.id}: ${w.message}${w.hint ? `\n  hint: ${w.hint}` : ''}`).join('\n');
    body.push(`      <system-out>${escapeXml(redact.text(text))}</system-out>`);
  }
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}

/** A planned scenario that never ran: a skipped testcase saying why, so CI lists it rather than losing it. */
function notRunCase(n: NotRunEntry, reason: string): string {
  return `    <testcase name="${attr(n.name)}" classname="${attr(n.file || 'cosigner-sim')}" file="${attr(n.file)}"${n.line !== undefined ? ` line="${n.line}"` : ''} time="0.000">\n      <skipped message="${attr(reason)}"/>\n    </testcase>`;
}

/**
 * A JUnit XML report: one `<testsuite>` per scenario file (per file and option with
 * `--option all`), one `<testcase>` per scenario; failed checks in the failure text, warnings in
 * `<system-out>`, skipped scenarios as `<skipped/>`. Scenarios that never ran (--bail, or an
 * interrupt) are skipped testcases whose message starts `not run:`.
 *
 * @example
 * writeFileSync('report.xml', renderJunitReport(report, redactor));
 */
export function renderJunitReport(report: FinalReport, redact: Redactor): string {
  const strict = report.info.strict;
  const groups = new Map<string, { results: ScenarioResult[]; notRun: NotRunEntry[] }>();
  const groupOf = (x: { file: string; option: number }) => {
    const key = report.info.option === 'all' ? `${x.file || 'send'} [option ${x.option}]` : x.file || 'send';
    const group = groups.get(key) ?? { results: [], notRun: [] };
    groups.set(key, group);
    return group;
  };
  for (const r of report.results) groupOf(r).results.push(r);
  for (const n of report.notRun ?? []) groupOf(n).notRun.push(n);
  const s = report.summary;
  const notRun = report.notRun?.length ?? 0;
  const reason = notRunReason(s);
  // Probes not run for a root cause are results (in s.total), written as skipped testcases.
  const notRunResults = report.results.filter((r) => r.status === 'notRun').length;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cosigner-sim" tests="${s.total + notRun}" failures="${s.failed}" errors="0" skipped="${s.skipped + notRun + notRunResults}" time="${seconds(s.durationMs)}">`,
  ];
  for (const [name, { results, notRun: left }] of groups) {
    const failures = results.filter((r) => verdict(r, strict) === 'fail').length;
    const skipped = results.filter((r) => verdict(r, strict) === 'skip' || verdict(r, strict) === 'notRun').length + left.length;
    const time = results.reduce((t, r) => t + r.durationMs, 0);
    out.push(`  <testsuite name="${attr(name)}" tests="${results.length + left.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}">`);
    out.push(`    <properties><property name="seed" value="${report.info.seed}"/><property name="option" value="${attr(String(report.info.option))}"/></properties>`);
    for (const r of results) out.push(testcase(r, strict, redact, report.info.profile));
    for (const n of left) out.push(notRunCase(n, reason));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
