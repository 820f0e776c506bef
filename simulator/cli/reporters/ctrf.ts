import type { Redactor } from '../../report/index.js';
import type { ResultStatus, ScenarioResult } from '../../runner/types.js';
import { attemptCount, failedScenarioChecks, failureText, notRunReason, notRunText, runCoverage, verdict } from './format.js';
import type { FinalReport, NotRunEntry } from './types.js';

/**
 * The CTRF specification version this reporter writes: the one the committed schema
 * (test/fixtures/ctrf/, from the npm package `ctrf` 0.3.0) validates.
 */
export const CTRF_SPEC_VERSION = '0.0.0';

/** A CTRF test status [ctrf-schema-0.0.json `results.tests[].status`]. */
export type CtrfStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'other';

/** When the run started and stopped, in milliseconds since the Unix epoch (CTRF `summary.start`/`stop`). */
export interface CtrfClock {
  start: number;
  stop: number;
}

// CTRF has no "not run": a probe not run for a root cause is `skipped`, with `extra.rootCause`.
const STATUS: Readonly<Record<ResultStatus, CtrfStatus>> = { pass: 'passed', fail: 'failed', skip: 'skipped', notRun: 'skipped' };

function testJson(r: ScenarioResult, report: FinalReport, redact: Redactor): Record<string, unknown> {
  const strict = report.info.strict;
  const v = verdict(r, strict);
  const message = v === 'fail' ? failureText(r, strict, redact, report.info.profile) : v === 'skip' ? redact.text(r.skipReason ?? 'skipped') : v === 'notRun' ? redact.text(notRunText(r)) : undefined;
  const attempts = attemptCount(r);
  return {
    name: r.name,
    status: STATUS[v] ?? 'other',
    rawStatus: r.status,
    duration: Math.round(r.durationMs),
    ...(message !== undefined ? { message } : {}),
    suite: [r.file || 'send'],
    ...(r.file ? { filePath: r.file } : {}),
    ...(r.line !== undefined ? { line: r.line } : {}),
    ...(attempts > r.steps.length ? { retries: attempts - r.steps.length } : {}),
    ...(r.warnings.length > 0 ? { stdout: r.warnings.map((w) => redact.text(`⚠ ${w.id}: ${w.message}`)) } : {}),
    extra: {
      option: r.option,
      seed: report.info.seed,
      failedChecks: failedScenarioChecks(r).map((c) => c.id),
      checks: r.checks.map((c) => ({ id: c.id, status: c.status })),
      warnings: r.warnings.map((w) => w.id),
      ...(r.rootCause !== undefined ? { rootCause: r.rootCause } : {}),
      ...(r.knownFailure ? { knownFailure: true } : {}),
    },
  };
}

/**
 * A planned scenario that never started (`--bail`, or an interrupt): CTRF has no "not run", so it
 * is `skipped` with the reason as its message and `extra.notRun`, the way JUnit lists it as a
 * skipped testcase: a consumer counting tests sees the whole plan.
 */
function notRunJson(n: NotRunEntry, reason: string, seed: number): Record<string, unknown> {
  return {
    name: n.name,
    status: 'skipped',
    rawStatus: 'not-run',
    duration: 0,
    message: reason,
    suite: [n.file || 'send'],
    ...(n.file ? { filePath: n.file } : {}),
    ...(n.line !== undefined ? { line: n.line } : {}),
    extra: { option: n.option, seed, notRun: true },
  };
}

/**
 * A CTRF report (Common Test Report Format, https://ctrf.io): one test per scenario, its status
 * after `--strict`, the failure story (redacted) as its message, and the security option, seed
 * and check ids in `extra`. The clock is passed in so the text is the same for the same run.
 *
 * @example
 * writeFileSync('ctrf.json', renderCtrfReport(report, redactor, { start, stop: Date.now() }));
 */
export function renderCtrfReport(report: FinalReport, redact: Redactor, clock: CtrfClock): string {
  const reason = notRunReason(report.summary);
  const tests = [...report.results.map((r) => testJson(r, report, redact)), ...(report.notRun ?? []).map((n) => notRunJson(n, reason, report.info.seed))];
  const count = (status: CtrfStatus) => tests.filter((t) => t['status'] === status).length;
  const { info, summary } = report;
  const coverage = runCoverage(report);
  const doc = {
    reportFormat: 'CTRF',
    specVersion: CTRF_SPEC_VERSION,
    timestamp: new Date(clock.stop).toISOString(),
    generatedBy: 'cosigner-sim',
    results: {
      tool: { name: 'cosigner-sim', version: info.version },
      summary: {
        tests: tests.length,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        pending: count('pending'),
        other: count('other'),
        start: Math.round(clock.start),
        stop: Math.round(clock.stop),
        duration: Math.round(summary.durationMs),
        extra: { command: info.command, option: info.option, seed: info.seed, strict: info.strict, warnings: summary.warnings, ...(summary.notRun > 0 ? { notRun: summary.notRun } : {}), ...(summary.interrupted !== undefined ? { interrupted: summary.interrupted } : {}), ...(coverage ? { coverage } : {}) },
      },
      tests,
      ...(report.warnings.length > 0 ? { extra: { warnings: report.warnings.map((w) => redact.value(w)) } } : {}),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
