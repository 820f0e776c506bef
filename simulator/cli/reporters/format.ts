import type { SecurityOptionNumber } from '../../protocol/options.js';
import type { Profile } from '../../protocol/profiles.js';
import type { CallbackResult } from '../../protocol/types.js';
import {
  explainCheck,
  explainExchange,
  optionText as reportOptionText,
  renderChecksRow,
  renderFailedCheckLines,
  renderPayloadLines,
  renderRequestLines,
  renderResponseLines,
  type ExchangeStory,
  type FailedCheckStory,
  type Redactor,
} from '../../report/index.js';
import type { ScenarioCheckOutcome, ScenarioResult, StepResult } from '../../runner/types.js';
import type { ResultStatus, RunSummary } from '../../runner/types.js';
import { computeCoverage, type Coverage } from '../../runner/coverage.js';
import type { FinalReport } from './types.js';

/**
 * The verdict a reporter shows: the runner's status, except that with `--strict` a passing
 * scenario with a warning that was not accepted (`--accept-warning`) fails.
 */
export function verdict(result: ScenarioResult, strict: boolean): ResultStatus {
  if (result.status === 'pass' && strict && result.warnings.some((w) => !w.accepted)) return 'fail';
  return result.status;
}

/**
 * The result with every warning whose id is in `accepted` marked `accepted: true`, so that every
 * reporter still prints it (marked) and {@link verdict} does not fail `--strict` on it.
 *
 * @example
 * acceptWarnings(result, new Set(['plain-http'])).warnings; // [{ id: 'plain-http', ..., accepted: true }]
 */
export function acceptWarnings(result: ScenarioResult, accepted: ReadonlySet<string>): ScenarioResult {
  if (accepted.size === 0 || !result.warnings.some((w) => accepted.has(w.id))) return result;
  return { ...result, warnings: result.warnings.map((w) => (accepted.has(w.id) ? { ...w, accepted: true as const } : w)) };
}

/** Count results the way every reporter prints them. */
export function summarize(results: readonly ScenarioResult[], strict: boolean, durationMs: number): RunSummary {
  const s: RunSummary = { ok: true, total: results.length, passed: 0, failed: 0, skipped: 0, notRun: 0, durationMs, warnings: 0 };
  for (const r of results) {
    const v = verdict(r, strict);
    if (v === 'pass') s.passed++;
    else if (v === 'fail') s.failed++;
    else if (v === 'notRun') s.notRun++;
    else s.skipped++;
    s.warnings += r.warnings.length;
  }
  s.ok = s.failed === 0;
  return s;
}

/**
 * Why planned scenarios did not run, the same words in every reporter.
 *
 * @example
 * notRunReason({ ...summary, interrupted: 'SIGINT' }) // 'not run: the run was interrupted (SIGINT)'
 */
export function notRunReason(summary: Pick<RunSummary, 'interrupted'>): string {
  return summary.interrupted !== undefined ? `not run: the run was interrupted (${summary.interrupted})` : 'not run: --bail stopped the run after a failure';
}

/**
 * The one line every reporter gives a `notRun` result (JUnit's `<skipped message>`, CTRF's message).
 *
 * @example
 * notRunText(result); // 'not run: it needs the base request answered, and robustness/positive-control failed (…)'
 */
export function notRunText(r: ScenarioResult): string {
  return `not run: ${r.skipReason ?? (r.rootCause !== undefined ? `${r.rootCause} failed` : 'not run')}`;
}

/**
 * The status column: the action of a one-request scenario; for a probe of several requests, its
 * verdict (one step's answer would misstate it: the liveness APPROVE after a crash).
 *
 * @example
 * statusText(result, false); // 'APPROVE', or 'passed' for a multi-step probe
 */
export function statusText(r: ScenarioResult, strict: boolean): string {
  const v = verdict(r, strict);
  if (v === 'notRun') return 'not run';
  if (r.steps.length > 1) return v === 'pass' ? 'passed' : v === 'fail' ? 'failed' : 'skipped';
  return actionText(keyStep(r)?.final);
}

/** The step whose exchange matters most: the first that failed, else the last. */
export function keyStep(result: ScenarioResult): StepResult | undefined {
  return result.steps.find((s) => !s.final.ok || s.expectation.status === 'fail') ?? result.steps[result.steps.length - 1];
}

/** The final exchange of the key step. */
export function keyExchange(result: ScenarioResult): CallbackResult | undefined {
  return keyStep(result)?.final;
}

export function failedScenarioChecks(result: ScenarioResult): ScenarioCheckOutcome[] {
  return result.checks.filter((c) => c.status === 'fail');
}

/** `option 4 jwt+pinned` */
export function optionText(option: SecurityOptionNumber): string {
  return reportOptionText(option);
}

/** What every reporter tells about a scenario: its failed checks and the story of its key exchange. */
export interface ScenarioStory {
  /** The scenario's failed checks (its expectation included, step-prefixed), redacted. */
  failed: FailedCheckStory[];
  /** The key step's final exchange, told with those failed checks; absent when nothing was sent. */
  exchange?: ExchangeStory;
  step?: StepResult;
}

/**
 * Explain a scenario through simulator/report, the one module that explains and redacts: the
 * checks row is the exchange's checks plus the scenario's expectation (when it ran). `full`
 * (`--verbose`) keeps the whole payload instead of cutting its rest; `profile` (default `latest`)
 * is the Co-signer the consequence lines are told for.
 *
 * @example
 * const { failed, exchange } = scenarioStory(result, redactor);
 */
export function scenarioStory(r: ScenarioResult, redact: Redactor, how: { full?: boolean; profile?: Profile } = {}): ScenarioStory {
  const opts = { showSecrets: !redact.enabled, full: how.full ?? false, ...(how.profile ? { profile: how.profile } : {}) };
  const failed = failedScenarioChecks(r);
  const step = keyStep(r);
  if (!step) return { failed: failed.map((c) => explainCheck(c, opts)) };
  const checks = [...step.final.checks, ...(step.expectation.status === 'skip' ? [] : [step.expectation])];
  const exchange = explainExchange(step.final, { ...opts, failed, checks });
  return { failed: exchange.failed, exchange, step };
}

/**
 * The failure story of a scenario as plain text, for the file reporters (JUnit's `<failure>`,
 * CTRF's `message`): the same lines as the pretty reporter and the matcher message (failed
 * checks, request, payload, response, checks row), redacted; each reporter escapes it.
 *
 * @example
 * failureText(result, false, redactor).split('\n')[0]; // '✗ jwt-signature: response JWT does not verify…'
 */
export function failureText(r: ScenarioResult, strict: boolean, redact: Redactor, profile?: Profile): string {
  const { failed, exchange } = scenarioStory(r, redact, profile ? { profile } : {});
  const lines = renderFailedCheckLines(failed);
  if (strict && lines.length === 0) for (const w of r.warnings) lines.push(`⚠ ${w.id}: ${w.message} (${w.accepted ? 'accepted' : '--strict'})`);
  if (exchange) lines.push(...renderRequestLines(exchange, { ids: true }), ...renderPayloadLines(exchange), ...renderResponseLines(exchange), renderChecksRow(exchange.checks));
  return redact.text(lines.join('\n'));
}

/** What the handler decided, in one word: the action, or why there is none. */
export function actionText(exchange: CallbackResult | undefined): string {
  if (!exchange) return '—';
  if (exchange.transportFailure && !exchange.response) return exchange.transportFailure.code ?? exchange.transportFailure.check;
  const action = exchange.decision.action;
  if (typeof action === 'string') return action;
  if (exchange.response) return action === undefined ? `HTTP ${exchange.response.status}` : JSON.stringify(action);
  return 'no response';
}

/**
 * What the suite exercised and never did, for `run` only: conformance and selftest send a fixed
 * battery, and `send` one request, so a "never exercised" list would say nothing about a suite.
 * The run computes it once (FinalReport.coverage); a report built without it (a test's, a
 * library caller's) gets it computed here.
 *
 * @example
 * runCoverage(report)?.actions.RETRY; // 0
 */
export function runCoverage(report: FinalReport): Coverage | undefined {
  if (report.info.command !== 'run') return undefined;
  return report.coverage ?? computeCoverage(report.results, report.info.profile);
}

/** `38ms`, `1.20s` */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The one-line reason a scenario failed, for list lines and annotations titles. */
export function failureHeadline(result: ScenarioResult, strict: boolean): string {
  const failed = failedScenarioChecks(result)[0];
  if (failed) return `${failed.id}: ${failed.message ?? 'failed'}`;
  const failing = result.warnings.find((w) => !w.accepted);
  if (strict && failing) return `warning (--strict): ${failing.id}: ${failing.message}`;
  return 'failed';
}

/** How many attempts the scenario made in all (RETRY answers make more than one per step). */
export function attemptCount(result: ScenarioResult): number {
  return result.steps.reduce((n, s) => n + s.attempts.length, 0);
}
