import { configTypeProblem, resolveProfile, type Profile } from '../protocol/profiles.js';
import { scenarioError } from './source.js';
import type { Scenario } from './types.js';

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
    const profile = s.profile !== undefined ? resolveProfile(s.profile) : runProfile;
    for (const [i, step] of s.steps.entries()) {
      const r = step.request;
      if (r.type !== 'config' || r.configType === undefined || r.allowUnknownType === true) continue;
      const problem = configTypeProblem(profile, r.configType);
      if (problem === undefined) continue;
      const field = s.steps.length > 1 ? `steps.${i}.request.configType` : 'request.configType';
      throw scenarioError({
        file: s.file,
        ...(s.line !== undefined ? { line: s.line } : {}),
        field,
        message: `scenario ${JSON.stringify(s.name)}, ${field}: ${problem.message}${s.profile !== undefined ? ' (its profile:)' : ''}`,
        hint: problem.hint.replace('(allowUnknownType)', '(allowUnknownType: true on the request)'),
      });
    }
  }
}
