import { configTypeProblem, resolveProfile, type Profile } from '../protocol/profiles.js';
import type { ScenarioInvalidError } from '../errors.js';
import { scenarioError } from './source.js';
import type { Scenario } from './types.js';

/**
 * The error for the first config-change step of `s` whose `configType` a Co-signer of `profile`
 * never sends, or undefined. `own` says the profile is the scenario's own `profile:` (the message
 * then says so).
 */
function configTypeError(s: Scenario, profile: Profile, own: boolean): ScenarioInvalidError | undefined {
  for (const [i, step] of s.steps.entries()) {
    const r = step.request;
    if (r.type !== 'config' || r.configType === undefined || r.allowUnknownType === true) continue;
    const problem = configTypeProblem(profile, r.configType);
    if (problem === undefined) continue;
    const field = s.steps.length > 1 ? `steps.${i}.request.configType` : 'request.configType';
    return scenarioError({
      file: s.file,
      ...(s.line !== undefined ? { line: s.line } : {}),
      field,
      message: `scenario ${JSON.stringify(s.name)}, ${field}: ${problem.message}${own ? ' (its profile:)' : ''}`,
      hint: problem.hint.replace('(allowUnknownType)', '(allowUnknownType: true on the request)'),
    });
  }
  return undefined;
}

/**
 * Refuse, before any key is made, a scenario whose config-change `configType` its Co-signer
 * version never sends: `POLICY_CHANGE` under `--profile sgx@3.7.1` (or the scenario's own
 * `profile:`) names the version it arrived with. `allowUnknownType: true` sends it anyway. A
 * type no profile sends is the loader's own error (with did-you-mean), not this one.
 *
 * @example
 * checkScenarioConfigTypes(scenarios, resolveProfile('sgx@3.7.1')); // throws CSIM_SCENARIO_INVALID for a POLICY_CHANGE step
 */
export function checkScenarioConfigTypes(scenarios: readonly Scenario[], runProfile: Profile): void {
  for (const s of scenarios) {
    const own = s.profile !== undefined;
    const error = configTypeError(s, own ? resolveProfile(s.profile!) : runProfile, own);
    if (error) throw error;
  }
}

/**
 * The same refusal for a `--base` scenario, judged by the profile the command sends under: a
 * base lends its request, not its `profile:` (send, load and conformance build every request
 * with their own --profile), so its own profile is not read.
 *
 * @example
 * checkBaseConfigType(policyChangeScenario, resolveProfile('sgx@2025.12.30')); // throws, with run's message
 */
export function checkBaseConfigType(s: Scenario, profile: Profile): void {
  const error = configTypeError(s, profile, false);
  if (error) throw error;
}
