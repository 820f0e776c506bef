/**
 * Scenario files: load and validate them, select some, run them against a handler.
 *
 * @example
 * const scenarios = filterScenarios(await loadScenarios(['scenarios/']), { tag: 'smoke' });
 * const { results, summary } = await runScenarios(scenarios, { cosigner, option: 4 });
 */
export { loadScenarios, loadScenarioFile, parseTextMatcher, SCENARIO_PATTERNS, type LoadOptions } from './load.js';
export { filterScenarios, type ScenarioFilter } from './filter.js';
export { runScenarios, runScenario, type RunOptions, type RunOutcome } from './run.js';
export { judgeExpectation, type ExpectationVerdict } from './judge.js';
export { parseDuration, DURATION_EXPECTED } from './duration.js';
export { schemaPath } from './schema.js';
export type * from './types.js';
