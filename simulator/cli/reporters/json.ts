import type { Profile } from '../../protocol/profiles.js';
import type { CallbackResult } from '../../protocol/types.js';
import type { ScenarioCheckOutcome, ScenarioResult, StepResult } from '../../runner/types.js';
import { consequenceContext, consequenceOf, type Redactor } from '../../report/index.js';
import { attemptCount, keyStep, notRunReason, runCoverage, verdict } from './format.js';
import type { FinalReport } from './types.js';

/**
 * The JSON document's version (`reportVersion`), which schema/report.schema.json describes: bump
 * when a field changes meaning or goes away. 1 had no `reportVersion` (only `version`) and
 * carried the request payload only with --show-secrets; 2 carries every request sent; 4 gives
 * each failed check its `consequence`. Fields added without a change of meaning (a request's
 * `cosigner`, its `profile`) keep the version.
 */
export const JSON_REPORT_VERSION = 4;

/** The URL's path (`/v2/tx_sign_request`), or the URL itself when it does not parse. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * One request as sent: path, headers, payload (the decoded claims) and stage, always. Payloads
 * are not secrets; keys and signatures are, and the redactor removes them from every value. The
 * raw body (a JWS whose signature is made with the Co-signer key) only with --show-secrets.
 */
function requestJson(ex: CallbackResult, redact: Redactor): Record<string, unknown> {
  const req = ex.request;
  const out: Record<string, unknown> = {
    endpoint: req.endpoint,
    stage: req.stage,
    requestId: req.requestId,
    ...(req.txId !== undefined ? { txId: req.txId } : {}),
    url: redact.text(req.url),
    // Names only, never values: which optional fields the request lacked (issue 9).
    ...(req.omittedFields !== undefined ? { omittedFields: req.omittedFields } : {}),
    // Which Co-signer signed it, when the run has several (issue 13): a quorum's two requests differ here.
    ...(req.signedBy !== undefined ? { cosigner: req.signedBy.cosigner } : {}),
    // The Co-signer version it was judged under (a scenario's own profile: differs from the run's):
    // the failed checks' consequence is told for it.
    ...(ex.profile !== undefined ? { profile: ex.profile } : {}),
    path: redact.text(pathOf(req.url)),
    headers: redact.value(req.headers),
    payload: redact.value(req.payload),
  };
  if (!redact.enabled) out['body'] = req.body;
  return out;
}

/**
 * What one render needs: the redactor, and each request already told. A step's final exchange
 * is also one of its attempts, so the same request appears as `request`, in `requests` and (with
 * steps) in `steps[].request`: it is redacted once and the one object serialized each time.
 */
interface Render {
  redact: Redactor;
  requests: Map<CallbackResult, Record<string, unknown>>;
}

function requestOf(ex: CallbackResult, ctx: Render): Record<string, unknown> {
  let out = ctx.requests.get(ex);
  if (out === undefined) {
    out = requestJson(ex, ctx.redact);
    ctx.requests.set(ex, out);
  }
  return out;
}

/** Every request the scenario sent, in order: each step's attempts (a RETRY answer makes more than one). */
function requestsJson(r: ScenarioResult, ctx: Render): Record<string, unknown>[] {
  return r.steps.flatMap((s, step) => s.attempts.map((a, attempt) => ({ step: step + 1, attempt: attempt + 1, ...requestOf(a, ctx) })));
}

/** The response fields exactly as the handler sent them: absent ones are omitted, null stays null. */
function responseJson(ex: CallbackResult, redact: Redactor): Record<string, unknown> | null {
  if (!ex.response) return null;
  const d = ex.decision;
  const out: Record<string, unknown> = { status: ex.response.status };
  if (d.action !== undefined) out['action'] = redact.value(d.action);
  if (d.requestId !== undefined) out['requestId'] = redact.value(d.requestId);
  if (d.hasRejectionReason) out['rejectionReason'] = d.rejectionReason === undefined ? null : redact.value(d.rejectionReason);
  out['latencyMs'] = Math.round(ex.timings.totalMs);
  const type = ex.response.headers['content-type'];
  if (type !== undefined) out['contentType'] = type;
  out['bodyBytes'] = ex.response.bodyBytes;
  if (ex.response.jwt) out['jwt'] = redact.value(ex.response.jwt);
  if (!redact.enabled) {
    out['headers'] = ex.response.headers;
    out['body'] = ex.response.body;
  }
  return out;
}

/**
 * A check as reported, redacted; a failed one carries its `consequence` (what the real Co-signer
 * would do with that answer, told for the exchange it failed on), when the Co-signer sees it.
 */
function checkJson(c: ScenarioCheckOutcome, ex: CallbackResult | undefined, redact: Redactor, profile: Profile | undefined): unknown {
  const out = redact.value(c) as unknown as Record<string, unknown>;
  if (c.status !== 'fail' || !ex) return out;
  const consequence = consequenceOf(c.id, consequenceContext(ex, profile));
  return consequence ? { ...out, consequence: redact.value(consequence) } : out;
}

function stepJson(step: StepResult, ctx: Render, profile: Profile | undefined): Record<string, unknown> {
  const { redact } = ctx;
  return {
    ...(step.name !== undefined ? { name: step.name } : {}),
    request: requestOf(step.final, ctx),
    response: responseJson(step.final, redact),
    ...(step.final.transportFailure ? { transportFailure: redact.value(step.final.transportFailure) } : {}),
    checks: [...step.final.checks, step.expectation].map((c) => checkJson(c, step.final, redact, profile)),
    attempts: step.attempts.length,
  };
}

function scenarioJson(r: ScenarioResult, strict: boolean, ctx: Render, profile: Profile | undefined): Record<string, unknown> {
  const { redact } = ctx;
  const step = keyStep(r);
  const v = verdict(r, strict);
  return {
    name: r.name,
    file: r.file,
    ...(r.line !== undefined ? { line: r.line } : {}),
    option: r.option,
    ok: v !== 'fail',
    status: v,
    ...(r.skipReason !== undefined ? { skipReason: r.skipReason } : {}),
    ...(r.rootCause !== undefined ? { rootCause: r.rootCause } : {}),
    ...(r.knownFailure ? { knownFailure: true } : {}),
    ...(r.contentTypes ? { contentTypes: r.contentTypes } : {}),
    request: step ? requestOf(step.final, ctx) : null,
    response: step ? responseJson(step.final, redact) : null,
    requests: requestsJson(r, ctx),
    ...(step?.final.transportFailure ? { transportFailure: redact.value(step.final.transportFailure) } : {}),
    // Told for the key step's exchange, as every other surface tells a scenario's failed checks.
    checks: r.checks.map((c) => checkJson(c, step?.final, redact, profile)),
    warnings: r.warnings.map((w) => redact.value(w)),
    attempts: attemptCount(r),
    durationMs: Math.round(r.durationMs),
    ...(r.steps.length > 1 ? { steps: r.steps.map((s) => stepJson(s, ctx, profile)) } : {}),
  };
}

/**
 * One JSON document for the whole run (schema/report.schema.json): the summary, then every
 * scenario in input order with every check and its status and every request it sent. No raw
 * bodies, keys or signatures unless `--show-secrets`.
 *
 * @example
 * const doc = JSON.parse(renderJsonReport(report, redactor));
 * doc.summary.failed; // 1
 */
export function renderJsonReport(report: FinalReport, redact: Redactor): string {
  const { info, summary } = report;
  const single = info.option !== 'all' && info.targets.length === 1 ? info.targets[0] : undefined;
  const coverage = runCoverage(report);
  const ctx: Render = { redact, requests: new Map() };
  const doc = {
    reportVersion: JSON_REPORT_VERSION,
    ok: report.ok,
    // Kept for readers of version 1, which had only this field; new readers read reportVersion.
    version: JSON_REPORT_VERSION,
    tool: { name: 'cosigner-sim', version: info.version },
    command: info.command,
    option: info.option,
    url: single ? redact.text(single.url) : null,
    embedded: info.embedded,
    targets: info.targets.map((t) => ({ ...t, url: redact.text(t.url) })),
    seed: info.seed,
    strict: info.strict,
    ...(info.profile ? { profile: info.profile.id } : {}),
    summary: {
      total: summary.total,
      passed: summary.passed,
      failed: summary.failed,
      skipped: summary.skipped,
      durationMs: Math.round(summary.durationMs),
      warnings: summary.warnings,
      notRun: summary.notRun,
      ...(summary.interrupted !== undefined ? { interrupted: summary.interrupted } : {}),
    },
    warnings: report.warnings.map((w) => redact.value(w)),
    // `run` only: what the suite exercised and never did (counts of exchanges with a readable answer).
    ...(coverage ? { coverage } : {}),
    scenarios: report.results.map((r) => scenarioJson(r, info.strict, ctx, info.profile)),
    // The planned scenarios that never started (--bail, or a signal), so a consumer sees what is missing.
    ...(report.notRun !== undefined ? { notRun: report.notRun.map((n) => ({ ...n, status: 'not-run', reason: notRunReason(summary) })) } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
