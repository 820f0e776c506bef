/**
 * The `cosigner-sim/suite` entry: scenario files in (`suite/`), results out (`runner/`). One
 * subpath for both because a user who loads scenarios runs them; kept off the root because
 * loading needs yaml and ajv. The one file in suite/ that imports runner/: the modules themselves
 * keep the one-way arrow (runner → suite).
 *
 * @example
 * import { filterScenarios, loadScenarios, runScenarios } from 'cosigner-sim/suite';
 * const scenarios = filterScenarios(await loadScenarios(['scenarios/']), { tag: 'smoke' });
 * const { results, summary } = await runScenarios(scenarios, { cosigner, option: 4 });
 */
export { loadScenarios, loadScenarioFile, parseTextMatcher, SCENARIO_PATTERNS, type LoadOptions } from './load.js';
export { schemaPath } from './schema.js';
export type {
  DestinationSpec,
  Scenario,
  ScenarioCheckId,
  ScenarioCheckOutcome,
  ScenarioExpect,
  ScenarioRequest,
  ScenarioStep,
  TextMatcher,
} from './types.js';
export { filterScenarios, type ScenarioFilter } from '../runner/filter.js';
export { runScenarios, runScenario, summarizeResults, type RunOptions, type RunOutcome } from '../runner/run.js';
export { judgeExpectation, type ExpectationVerdict } from '../runner/judge.js';
export type { RunSummary, ScenarioResult, StepResult } from '../runner/types.js';
