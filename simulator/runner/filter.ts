import type { Scenario } from './types.js';

export interface ScenarioFilter {
  /** Keep scenarios whose name contains this text (case-insensitive), or matches it when written `/regex/flags`. */
  grep?: string;
  /** Keep scenarios with this tag; `a,b` keeps those with either. */
  tag?: string;
}

/**
 * Select scenarios by name and tag. An empty result is not an error here: the caller decides
 * (the CLI throws NoScenariosError naming the filters).
 *
 * @example
 * filterScenarios(all, { grep: 'retry', tag: 'smoke' });
 */
export function filterScenarios(scenarios: readonly Scenario[], f: ScenarioFilter): Scenario[] {
  const regex = f.grep !== undefined ? /^\/(.+)\/([a-z]*)$/s.exec(f.grep) : null;
  const byName: (name: string) => boolean =
    f.grep === undefined || f.grep === ''
      ? () => true
      : regex
        ? (name) => new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, '')).test(name)
        : (name) => name.toLowerCase().includes(f.grep!.toLowerCase());
  const tags = f.tag === undefined ? [] : f.tag.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return scenarios.filter((s) => byName(s.name) && (tags.length === 0 || s.tags.some((t) => tags.includes(t))));
}
