import { firstProfileWith, optionAvailability, resolveProfile, type Profile } from '../protocol/profiles.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import type { Scenario } from './types.js';

/**
 * A scenario's own `profile:` under one security option: the profile its requests are built and
 * judged under (undefined: the run's), or why it is skipped (the profile lacks the option). One
 * rule for the run and its dry run, so `--dry-run` plans exactly what a run sends.
 *
 * @example
 * scenarioProfile({ profile: 'sgx@3.7.1' } as Scenario, 4).skipReason
 * // 'option 4 not offered by profile sgx@3.7.1: it arrived with sgx@2025.12.11'
 */
export function scenarioProfile(s: Pick<Scenario, 'profile'>, option: SecurityOptionNumber): { profile?: Profile; skipReason?: string } {
  // Checked when the file was loaded: it resolves.
  if (s.profile === undefined) return {};
  const profile = resolveProfile(s.profile);
  if (optionAvailability(profile, option) !== 'no') return { profile };
  const first = firstProfileWith(`option-${option}`, profile.platform) ?? firstProfileWith(`option-${option}`);
  const since = first === undefined ? '' : `: it arrived with ${first.id}`;
  return { profile, skipReason: `option ${option} not offered by profile ${profile.id}${since}` };
}
