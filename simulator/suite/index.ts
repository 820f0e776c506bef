/**
 * Scenario files → `Scenario[]`: discover, parse, validate against the schema, expand `each:` rows.
 * Running them is `runner/`'s job.
 *
 * @example
 * const scenarios = await loadScenarios(['scenarios/']);
 */
export { loadScenarios, loadScenarioFile, parseTextMatcher, SCENARIO_PATTERNS, type LoadOptions } from './load.js';
export { schemaPath } from './schema.js';
export type * from './types.js';
