import { SECURITY_OPTION_NUMBERS } from './options.js';
import { PROFILE_SOURCES, configTypesOf, hasFeature, listProfiles, optionAvailability, wireOf, type FactMark, type Profile, type ProfileSource } from './profiles.js';
import { CONFIG_CHANGE_TYPES } from './types.js';

/**
 * What `cosigner-sim profiles` shows and the README's "Co-signer versions" table holds, computed
 * from PROFILE_RELEASES alone, so the two never drift (a test holds the README equal to
 * {@link profilesMarkdownTable}).
 */
export interface ProfileRow {
  id: string;
  released?: string;
  options: Record<string, 'yes' | 'no' | 'unconfirmed'>;
  /** `yes`, `no`, or `not on exchange withdrawals`. */
  retry: 'yes' | 'no' | 'not on exchange withdrawals';
  signerId: boolean;
  wire: '2022' | '2024';
  configTypes: string[];
  /** What this release changed, each with its mark and source. */
  new: { text: string; mark: FactMark; source: ProfileSource; url: string }[];
}

function retryOf(p: Profile): ProfileRow['retry'] {
  if (!hasFeature(p, 'retry')) return 'no';
  return hasFeature(p, 'retry-exchange-withdrawal') ? 'yes' : 'not on exchange withdrawals';
}

/** One row per listed profile, SGX first, each platform in version order. */
export function profileRows(): ProfileRow[] {
  return listProfiles().map((p) => ({
    id: p.id,
    ...(p.released !== undefined ? { released: p.released } : {}),
    options: Object.fromEntries(SECURITY_OPTION_NUMBERS.map((n) => [String(n), optionAvailability(p, n)])),
    retry: retryOf(p),
    signerId: hasFeature(p, 'signer-id'),
    wire: wireOf(p),
    configTypes: configTypesOf(p),
    new: p.newFacts.map((f) => ({ text: f.text, mark: f.mark, source: f.source, url: PROFILE_SOURCES[f.source] })),
  }));
}

/** `1 2 3? 4 5`: the options a profile offers, `?` for unconfirmed [U]. */
export function optionsCell(row: ProfileRow): string {
  return Object.entries(row.options)
    .filter(([, a]) => a !== 'no')
    .map(([n, a]) => (a === 'unconfirmed' ? `${n}?` : n))
    .join(' ');
}

/** `13` or `13 + POLICY_CHANGE`: the documented types and the newer ones. */
export function configTypesCell(row: ProfileRow): string {
  const extra = row.configTypes.filter((t) => !(CONFIG_CHANGE_TYPES as readonly string[]).includes(t));
  return extra.length === 0 ? `${CONFIG_CHANGE_TYPES.length}` : `${CONFIG_CHANGE_TYPES.length} + ${extra.join(', ')}`;
}

/**
 * The README's table: one line per profile.
 *
 * @example
 * profilesMarkdownTable().split('\n')[0] // '| profile | released | options | RETRY | signerId | wire | config types | new in this release (mark, source) |'
 */
export function profilesMarkdownTable(): string {
  const lines = [
    '| profile | released | options | RETRY | signerId | wire | config types | new in this release (mark, source) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of profileRows()) {
    const news = r.new.map((n) => `${n.text} (${n.mark}, [${n.source}](${n.url}))`).join('; ');
    lines.push(`| \`${r.id}\` | ${r.released ?? '–'} | ${optionsCell(r)} | ${r.retry} | ${r.signerId ? 'yes' : 'no'} | ${r.wire} | ${configTypesCell(r)} | ${news.replaceAll('|', '\\|')} |`);
  }
  return lines.join('\n');
}
