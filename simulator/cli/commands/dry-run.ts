/**
 * `--dry-run` for `run` and `send`: what a run would send, redacted, and the most requests it
 * can send, with nothing sent and no handler started. The bound is exact in the sense the issue
 * asks for: per option, every scenario that applies × its steps × (1 + its retry maximum), since
 * the runner re-sends a step only on RETRY and at most `retry.max` times. Readiness polls are TLS
 * handshakes without an HTTP request and are not counted (`--ready-path` GETs go to that path,
 * never to a callback endpoint, and are not counted either).
 */
import { markTxPayload } from '../../client/marker.js';
import { endpointPath } from '../../protocol/endpoints.js';
import { createRequestFactory } from '../../protocol/index.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../../protocol/options.js';
import type { Endpoint, JsonObject } from '../../protocol/types.js';
import { oneLineJson } from '../../report/index.js';
import type { Scenario, ScenarioRequest } from '../../runner/types.js';
import { configBuildInput, txBuildInput } from '../../suite/build-input.js';
import type { CliIO } from '../io.js';
import { optionsOf, type CommonOptions } from '../options.js';
import { scenarioProfile } from '../../runner/scenario-profile.js';

/** A dry run shows each payload whole: it is what the user checks before a deploy. */
const WHOLE = 1 << 20;

/** One request a dry run shows: where it goes and the payload (or raw body) it carries. */
export interface PlannedRequest {
  endpoint: Endpoint;
  /** Path relative to the base URL. */
  path: string;
  stage: string;
  /** The built payload, marked as the run would mark it; absent for a raw `body:`. */
  payload?: JsonObject;
  /** A raw `body:` override, sent as written. */
  body?: string;
}

/** One scenario of a dry run under one option: its requests and the most it can send. */
export interface PlannedScenarioSends {
  name: string;
  option: SecurityOptionNumber;
  steps: PlannedRequest[];
  /** 1 + retry maximum: how often each step may be sent. */
  attemptsPerStep: number;
  /** steps × attemptsPerStep. */
  maxRequests: number;
}

function planRequest(r: ScenarioRequest, option: SecurityOptionNumber, o: CommonOptions, factory: ReturnType<typeof createRequestFactory>): PlannedRequest {
  const exact = r.payloadMode === 'exact';
  const endpoint: Endpoint = r.type === 'config' ? 'config_change_sign_request' : 'tx_sign_request';
  const path = r.path ?? endpointPath(option, endpoint);
  if (r.body !== undefined) return { endpoint, path, stage: r.stage ?? (r.type === 'config' ? 'approval' : 'from the body'), body: r.body };
  if (r.type === 'config') {
    const built = factory.configChange(configBuildInput(r));
    return { endpoint, path, stage: built.stage, payload: built.payload as unknown as JsonObject };
  }
  const input = txBuildInput(r);
  const built = factory.tx(input);
  const payload = built.payload as unknown as JsonObject;
  return { endpoint, path, stage: built.stage, payload: o.marker !== undefined && !exact ? markTxPayload(payload, o.marker) : payload };
}

/**
 * The sends of each scenario under each option of the run (scenarios whose `options:` leave an
 * option out send nothing there). A bad override throws here as it would in the run (exit 2).
 *
 * @example
 * planScenarios(scenarios, options).reduce((n, s) => n + s.maxRequests, 0) // the bound
 */
export function planScenarios(scenarios: readonly Scenario[], o: CommonOptions): PlannedScenarioSends[] {
  const out: PlannedScenarioSends[] = [];
  for (const option of optionsOf(o)) {
    const factory = createRequestFactory({ seed: o.seed, optionalFields: o.optionalFields, profile: o.profile });
    for (const s of scenarios) {
      if (s.options && !s.options.includes(option)) continue;
      // A scenario's own profile builds its requests, and skips it under an option that profile lacks (as the run does).
      const { profile, skipReason } = scenarioProfile(s, option);
      if (skipReason !== undefined) continue;
      const own = profile !== undefined ? factory.withProfile(profile) : factory;
      const attemptsPerStep = 1 + (s.retry?.max ?? 0);
      out.push({
        name: o.option === 'all' ? `${s.name} [option ${option}]` : s.name,
        option,
        steps: s.steps.map((st) => planRequest(st.request, option, o, own)),
        attemptsPerStep,
        maxRequests: s.steps.length * attemptsPerStep,
      });
    }
  }
  return out;
}

/**
 * Print the plan: per scenario its requests (payloads redacted unless --show-secrets, one line
 * each) and the total bound, on stdout. Returns the bound.
 */
export function printDryRun(plan: readonly PlannedScenarioSends[], o: CommonOptions, io: CliIO, what: string): number {
  const total = plan.reduce((n, p) => n + p.maxRequests, 0);
  const w = (t: string) => io.stdout.write(`${t}\n`);
  const where = o.start !== undefined ? `${o.url} (started by: ${o.start})` : (o.url ?? 'the embedded reference handler');
  w(`cosigner-sim dry run · ${what} · ${o.option === 'all' ? 'options 1-5' : `option ${o.option} ${SECURITY_OPTIONS[o.option].label}`} · ${where}${o.marker !== undefined ? ` · marker ${JSON.stringify(o.marker)}` : ''}`);
  for (const p of plan) {
    w(`${p.name}: ${p.steps.length} step${p.steps.length === 1 ? '' : 's'} × up to ${p.attemptsPerStep} attempt${p.attemptsPerStep === 1 ? '' : 's'} = ${p.maxRequests} request${p.maxRequests === 1 ? '' : 's'}`);
    for (const step of p.steps) {
      const shown = step.payload !== undefined ? oneLineJson(step.payload, { showSecrets: o.showSecrets, maxChars: WHOLE }) : `body ${oneLineJson(step.body, { showSecrets: o.showSecrets, maxChars: WHOLE })}`;
      w(`  POST ${step.path} (${step.stage}) ${shown}`);
    }
  }
  w(`at most ${total} request${total === 1 ? '' : 's'} (scenarios × steps × (1 + retry maximum); readiness polls send none). Nothing was sent and no handler was started.`);
  return total;
}
