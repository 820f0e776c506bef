/**
 * `Scenario[]` → results: select scenarios, run them against a handler, judge each expectation.
 * Loading files is `suite/`'s job.
 *
 * @example
 * const scenarios = filterScenarios(await loadScenarios(['scenarios/']), { tag: 'smoke' });
 * const { results, summary } = await runScenarios(scenarios, { cosigner, option: 4 });
 */
export { filterScenarios, type ScenarioFilter } from './filter.js';
export { runScenarios, runScenario, summarizeResults, type RunOptions, type RunOutcome } from './run.js';
export { judgeExpectation, type ExpectationVerdict } from './judge.js';
export type * from './types.js';
