import { OptionUnavailableError, UnknownProfileError } from '../errors.js';
import { closest } from '../lib/did-you-mean.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from './options.js';
import { CONFIG_CHANGE_TYPES } from './types.js';

/**
 * Co-signer version profiles: what a Callback Handler sees change from one Co-signer release to
 * the next [protocol.md §14.1]. One table ({@link PROFILE_RELEASES}) holds the facts, each with its
 * mark and source; everything else (the `--profile` resolver, `cosigner-sim profiles`, the README
 * table, the action and option rules) is computed from it.
 *
 * A profile is cumulative: `sgx@3.7.1` has everything the SGX releases up to 3.7.1 brought. A
 * version not listed resolves to the nearest listed lower one of its platform, since a release
 * that changed nothing a handler sees is not in the table.
 */

/** The Co-signer platforms [protocol.md §14.1]. */
export const PLATFORMS = ['sgx', 'nitro', 'gcp'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** How a fact is known, as docs/protocol.md marks it: [C-doc]/[C-wire] documented, [I] inferred, [U] unknown. */
export type FactMark = 'documented' | 'inferred' | 'unknown';

/** The short tag docs/protocol.md cites a source by, and its address. */
export const PROFILE_SOURCES = {
  'D-ver': 'https://developers.fireblocks.com/reference/api-cosigner-versions-sgx',
  'D-ver-aws': 'https://developers.fireblocks.com/reference/api-cosigner-versions-aws',
  'D-ver-gcp': 'https://developers.fireblocks.com/reference/api-cosigner-versions-gcp',
  'D-arch': 'https://developers.fireblocks.com/docs/cosigner-architecture-overview',
  'D-sec': 'https://developers.fireblocks.com/reference/cosigner-callbackhandler-secure-communication-authentication',
  'W-goat': 'https://github.com/GOATNetwork/goat-relayer',
  'W-mjw': 'https://github.com/MyJetWallet/Service.Fireblocks.CoSignerCallback',
} as const;
export type ProfileSource = keyof typeof PROFILE_SOURCES;

/**
 * What a release can bring that a handler sees. Each is either on or off in a profile, except the
 * options, whose availability can be unknown.
 */
export const PROFILE_FEATURES = [
  'option-1',
  'option-2',
  'option-3',
  'option-4',
  'option-5',
  'signer-id',
  'retry',
  'retry-exchange-withdrawal',
  'wire-2024',
  'user-agent-version',
  'protected-tags',
  'policy-change',
] as const;
export type ProfileFeature = (typeof PROFILE_FEATURES)[number];

/** One thing a release brought, how it is known and where it is written. */
export interface ProfileFact {
  feature: ProfileFeature;
  mark: FactMark;
  source: ProfileSource;
  /** One line for `cosigner-sim profiles` and the README. */
  text: string;
  /** For an option only: the release may have it, but no source says so ([U]): a warning, never an error. */
  availability?: 'unconfirmed';
}

/** A release at which something a handler sees changes. */
export interface ProfileRelease {
  platform: Platform;
  version: string;
  /** Year and month of the release, where the notes give it. */
  released?: string;
  facts: readonly ProfileFact[];
}

const fact = (feature: ProfileFeature, mark: FactMark, source: ProfileSource, text: string, availability?: 'unconfirmed'): ProfileFact =>
  availability === undefined ? { feature, mark, source, text } : { feature, mark, source, text, availability };

/**
 * What a Nitro or GCP Co-signer started with: options 1 and 2 [C-doc], and what SGX had by its
 * release date [I] (their notes do not list the handler-facing changes SGX announced).
 */
function cloudStart(source: ProfileSource, wireWhy: string): ProfileFact[] {
  return [
    fact('option-1', 'documented', 'D-sec', 'option 1 (JWT, public CA)'),
    fact('option-2', 'documented', 'D-sec', 'option 2 (JSON, pinned certificate)'),
    fact('signer-id', 'inferred', source, 'requests carry signerId (released after sgx@3.5.0)'),
    fact('retry', 'inferred', source, 'RETRY answers honoured (released after sgx@3.6.5)'),
    fact('wire-2024', 'inferred', 'W-goat', `the 2024 field set (${wireWhy})`),
    fact('user-agent-version', 'inferred', source, 'User-Agent carries the version (released after sgx@3.7.1)'),
  ];
}

/** The 2025.12.11 release on Nitro or GCP: only RETRY on exchange withdrawals [C-doc]; option 3 unconfirmed [U]. */
function cloudDecember2025(source: ProfileSource, platformName: string): ProfileFact[] {
  return [
    fact('retry-exchange-withdrawal', 'documented', source, 'RETRY honoured on exchange withdrawals'),
    fact('option-3', 'unknown', 'D-sec', `option 3 (JSON, Root CA): not "SGX only", yet absent from the ${platformName} notes`, 'unconfirmed'),
  ];
}

/**
 * Releases in version order per platform. The first release of each platform carries what it
 * started with; sgx@3.3.0 stands for every SGX Co-signer before `signerId` (3.5.0).
 */
export const PROFILE_RELEASES: readonly ProfileRelease[] = [
  {
    platform: 'sgx',
    version: '3.3.0',
    facts: [
      fact('option-1', 'documented', 'D-sec', 'option 1 (JWT, public CA)'),
      fact('option-2', 'documented', 'D-sec', 'option 2 (JSON, pinned certificate)'),
    ],
  },
  { platform: 'sgx', version: '3.5.0', released: '2023-08', facts: [fact('signer-id', 'documented', 'D-ver', 'requests carry signerId')] },
  {
    platform: 'sgx',
    version: '3.6.5',
    released: '2024-02',
    facts: [
      fact('retry', 'documented', 'D-ver', 'RETRY answers honoured (before: RETRY fails the request [I], D-arch)'),
      fact('wire-2024', 'inferred', 'W-goat', 'the 2024 field set (the 2024 capture; the first 2024 release is our guess)'),
    ],
  },
  {
    platform: 'sgx',
    version: '3.7.1',
    released: '2024-10',
    facts: [fact('user-agent-version', 'documented', 'D-ver', 'User-Agent carries the Co-signer version; "more types of approval requests"')],
  },
  {
    platform: 'sgx',
    version: '2025.12.11',
    released: '2025-12',
    facts: [
      fact('option-3', 'documented', 'D-ver', 'option 3 (JSON, Root CA)'),
      fact('option-4', 'documented', 'D-ver', 'option 4 (JWT, pinned certificate): SGX only'),
      fact('option-5', 'documented', 'D-ver', 'option 5 (JWT, Root CA): SGX only'),
      fact('retry-exchange-withdrawal', 'documented', 'D-ver', 'RETRY honoured on exchange withdrawals'),
    ],
  },
  { platform: 'sgx', version: '2025.12.30', released: '2025-12', facts: [fact('protected-tags', 'documented', 'D-ver', 'Protected Tags approvals (type PROTECTED_TAG_CHANGE [U])')] },
  { platform: 'sgx', version: '2026.03.02', released: '2026-03', facts: [fact('policy-change', 'documented', 'D-ver', 'POLICY_CHANGE approvals (Policy Service v2; type string [I])')] },
  { platform: 'nitro', version: '2.0.0', released: '2024-06', facts: cloudStart('D-ver-aws', 'a 2024 release') },
  { platform: 'nitro', version: '2025.12.11', released: '2025-12', facts: cloudDecember2025('D-ver-aws', 'Nitro') },
  { platform: 'nitro', version: '2025.12.30', released: '2025-12', facts: [fact('protected-tags', 'inferred', 'D-ver-aws', 'Protected Tags approvals (as sgx@2025.12.30)')] },
  { platform: 'nitro', version: '2026.03.02', released: '2026-03', facts: [fact('policy-change', 'inferred', 'D-ver-aws', 'POLICY_CHANGE approvals (as sgx@2026.03.02)')] },
  { platform: 'gcp', version: '1.0.0', released: '2025-01', facts: cloudStart('D-ver-gcp', 'released after the 2024 capture') },
  { platform: 'gcp', version: '2025.12.11', released: '2025-12', facts: cloudDecember2025('D-ver-gcp', 'GCP') },
];

/** Where a profile's feature came from: the release that brought it and the fact as written. */
export interface FeatureOrigin {
  since: string;
  fact: ProfileFact;
}

/** Everything a run needs to know about the Co-signer it simulates. */
export interface Profile {
  /** `sgx@3.7.1`: the listed release this profile is. */
  readonly id: string;
  readonly platform: Platform;
  readonly version: string;
  /** What was asked for when it differs from {@link id} (`latest`, `sgx@3.6.9`). */
  readonly requested?: string;
  readonly released?: string;
  /** The features this profile has, each with the release that brought it. */
  readonly features: ReadonlyMap<ProfileFeature, FeatureOrigin>;
  /** The release's own facts (what changed at this version). */
  readonly newFacts: readonly ProfileFact[];
}

/** The `--profile` default. */
export const DEFAULT_PROFILE = 'latest';

function parseVersion(version: string): number[] | undefined {
  return /^\d+(\.\d+){0,3}$/.test(version) ? version.split('.').map(Number) : undefined;
}

/** Negative when a < b, 0 when equal, positive when a > b (missing parts read as 0). */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a) ?? [];
  const pb = parseVersion(b) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function releasesOf(platform: Platform): ProfileRelease[] {
  return PROFILE_RELEASES.filter((r) => r.platform === platform).sort((a, b) => compareVersions(a.version, b.version));
}

/**
 * Every listed profile, built once: the table is constant, and profiles are resolved per scenario
 * and looked up per judged exchange (the `action` check, the consequence lines).
 */
let builtProfiles: readonly Profile[] | undefined;
function allProfiles(): readonly Profile[] {
  builtProfiles ??= PLATFORMS.flatMap((platform) => {
    const releases = releasesOf(platform);
    return releases.map((release) => {
      const features = new Map<ProfileFeature, FeatureOrigin>();
      for (const r of releases) {
        if (compareVersions(r.version, release.version) > 0) break;
        for (const f of r.facts) features.set(f.feature, { since: r.version, fact: f });
      }
      return {
        id: `${platform}@${release.version}`,
        platform,
        version: release.version,
        ...(release.released === undefined ? {} : { released: release.released }),
        features,
        newFacts: release.facts,
      };
    });
  });
  return builtProfiles;
}

/** The built profile of a release, marked with what was asked for when that differs from its id. */
function build(release: ProfileRelease, requested?: string): Profile {
  const profile = allProfiles().find((p) => p.platform === release.platform && p.version === release.version)!;
  return requested !== undefined && requested !== profile.id ? { ...profile, requested } : profile;
}

/** Every listed profile, SGX first, each platform in version order. */
export function listProfiles(): Profile[] {
  return [...allProfiles()];
}

/** The ids `--profile` lists in help and did-you-mean. */
export function profileIds(): string[] {
  return ['latest', ...listProfiles().map((p) => p.id)];
}

/**
 * Read a `--profile` value: `latest` (the newest SGX profile), `sgx` (the newest of a platform),
 * or `platform@version`, which resolves to the nearest listed lower version of its platform.
 *
 * @example
 * resolveProfile('sgx@3.6.9').id // 'sgx@3.6.5'
 * resolveProfile('latest').id    // 'sgx@2026.03.02'
 */
export function resolveProfile(spec: string): Profile {
  const text = spec.trim();
  // Only an error needs the list, so it is written only then.
  const listed = (): string => `the listed profiles: ${profileIds().join(', ')} (cosigner-sim profiles shows their facts)`;
  if (text === 'latest') return build(releasesOf('sgx').at(-1)!, 'latest');
  const [platformText = '', version, extra] = text.toLowerCase().split('@');
  const platform = PLATFORMS.find((p) => p === platformText);
  if (platform === undefined || extra !== undefined) {
    const near = closest(platformText, PLATFORMS);
    throw new UnknownProfileError(`Unknown profile ${JSON.stringify(spec)}: expected latest or <platform>@<version> with platform ${PLATFORMS.join(', ')}`, {
      hint: near !== undefined && near !== platformText ? `did you mean ${near}@${version ?? '<version>'}? ${listed()}` : listed(),
      field: 'profile',
    });
  }
  const releases = releasesOf(platform);
  if (version === undefined || version === '' || version === 'latest') return build(releases.at(-1)!, text);
  if (parseVersion(version) === undefined) {
    throw new UnknownProfileError(`Invalid profile version ${JSON.stringify(version)} in ${JSON.stringify(spec)}: expected dotted numbers (3.7.1, 2025.12.11)`, {
      hint: listed(),
      field: 'profile',
    });
  }
  const at = releases.filter((r) => compareVersions(r.version, version) <= 0).at(-1);
  if (at === undefined) {
    throw new UnknownProfileError(`No profile for ${platform}@${version}: the oldest ${platform} profile is ${platform}@${releases[0]!.version}`, {
      hint: `cosigner-sim models ${platform} Co-signers from ${releases[0]!.version} on; ${listed()}`,
      field: 'profile',
    });
  }
  return build(at, `${platform}@${version}`);
}

/** True when the profile has the feature (an unconfirmed option counts as present). */
export function hasFeature(profile: Profile, feature: ProfileFeature): boolean {
  return profile.features.has(feature);
}

/** Whether a profile offers a security option: yes, no, or unconfirmed ([U], a warning). */
export function optionAvailability(profile: Profile, option: SecurityOptionNumber): 'yes' | 'no' | 'unconfirmed' {
  const origin = profile.features.get(`option-${option}`);
  if (origin === undefined) return 'no';
  return origin.fact.availability === 'unconfirmed' ? 'unconfirmed' : 'yes';
}

/** The first profile (any platform, SGX first) that offers the option for sure, if any. */
export function firstProfileWith(feature: ProfileFeature, platform?: Platform): Profile | undefined {
  for (const p of allProfiles()) {
    if (platform !== undefined && p.platform !== platform) continue;
    const origin = p.features.get(feature);
    if (origin !== undefined && origin.fact.availability !== 'unconfirmed') return p;
  }
  return undefined;
}

/**
 * Throw when the profile lacks the option (exit 2), naming the first version that has it. An
 * unconfirmed option returns `'unconfirmed'` for the caller to warn `profile-unconfirmed`.
 *
 * @example
 * requireOption(resolveProfile('sgx@3.7.1'), 4) // throws: option 4 needs sgx@2025.12.11
 */
export function requireOption(profile: Profile, option: SecurityOptionNumber): 'yes' | 'unconfirmed' {
  const availability = optionAvailability(profile, option);
  if (availability !== 'no') return availability;
  const samePlatform = firstProfileWith(`option-${option}`, profile.platform);
  const anywhere = firstProfileWith(`option-${option}`);
  const label = `option ${option} (${SECURITY_OPTIONS[option].label})`;
  const first = samePlatform ?? anywhere;
  throw new OptionUnavailableError(
    samePlatform !== undefined
      ? `${label} arrived with ${samePlatform.id}; this run simulates ${profile.id}`
      : `${label} is not offered by any ${profile.platform} Co-signer${first === undefined ? '' : ` (it arrived with ${first.id})`}; this run simulates ${profile.id}`,
    {
      hint: `pick a profile that has it (--profile ${first?.id ?? 'latest'}), or another --option; cosigner-sim profiles lists which options each profile offers`,
      field: 'profile',
    },
  );
}

/**
 * Config-change types beyond the documented 13 [protocol.md §14.5]: their callback `type`
 * strings are not documented, so these are our names, marked as the docs mark them.
 */
export const PROFILE_CONFIG_TYPES = [
  { type: 'PROTECTED_TAG_CHANGE', feature: 'protected-tags', mark: 'unknown' },
  { type: 'POLICY_CHANGE', feature: 'policy-change', mark: 'inferred' },
] as const satisfies readonly { type: string; feature: ProfileFeature; mark: FactMark }[];

/** Every config-change type any profile can send: the documented 13, then the newer ones. */
export const ALL_CONFIG_TYPES: readonly string[] = [...CONFIG_CHANGE_TYPES, ...PROFILE_CONFIG_TYPES.map((t) => t.type)];

/** The config-change types a Co-signer of this profile sends. */
export function configTypesOf(profile: Profile): string[] {
  return [...CONFIG_CHANGE_TYPES, ...PROFILE_CONFIG_TYPES.filter((t) => hasFeature(profile, t.feature)).map((t) => t.type)];
}

/** The profile feature a newer config-change type needs, if it is one. */
export function configTypeFeature(type: string): ProfileFeature | undefined {
  return PROFILE_CONFIG_TYPES.find((t) => t.type === type)?.feature;
}

/**
 * Why a Co-signer of this profile would not send a config-change `type`, when it would not: one
 * that arrived later (`unavailable`, naming the first version with it), or none any profile sends
 * (`unknown`, with the nearest of the profile's own types for a typo). `--allow-unknown-type` and
 * `allowUnknownType:` send it anyway.
 *
 * @example
 * configTypeProblem(resolveProfile('sgx@3.7.1'), 'POLICY_CHANGE')?.message // 'POLICY_CHANGE arrived with sgx@2026.03.02; ...'
 * configTypeProblem(resolveProfile('latest'), 'ADD_USR')?.near            // 'ADD_USER'
 */
export function configTypeProblem(profile: Profile, type: string): { kind: 'unavailable' | 'unknown'; message: string; hint: string; near?: string } | undefined {
  const types = configTypesOf(profile);
  if (types.includes(type)) return undefined;
  const feature = configTypeFeature(type);
  if (feature !== undefined) {
    const first = firstProfileWith(feature, profile.platform) ?? firstProfileWith(feature);
    return {
      kind: 'unavailable',
      message: `${type} arrived with ${first?.id ?? 'a later Co-signer'}; this run simulates ${profile.id}, which never sends it`,
      hint: `pick a profile that has it (--profile ${first?.id ?? 'latest'} or later), or send it anyway as an unknown type (allowUnknownType); cosigner-sim profiles lists each profile's types`,
    };
  }
  const near = closest(type, types);
  return {
    kind: 'unknown',
    message: `${JSON.stringify(type)} is not a configuration change type a ${profile.id} Co-signer sends`,
    hint: `its types: ${types.join(', ')}; to send another on purpose (a future type) allow unknown types`,
    ...(near !== undefined ? { near } : {}),
  };
}

/** Which field set the profile's payloads carry [protocol.md §14.4]: 2022 or 2024. */
export function wireOf(profile: Profile): '2022' | '2024' {
  return hasFeature(profile, 'wire-2024') ? '2024' : '2022';
}

/** Why an answer is not legal under this profile, when it is not. */
export interface IllegalAction {
  /** One line for the failed `action` check, with the version. */
  message: string;
  /** `RETRY arrived with sgx@3.6.5`: the version part of it, for the consequence line. */
  arrived: string;
  hint: string;
  mark: FactMark;
  source: ProfileSource;
}

/**
 * Whether a Co-signer of this profile honours the handler's action. RETRY before sgx@3.6.5 fails
 * the request [I, D-arch]; RETRY on an exchange withdrawal before 2025.12.11 is, most likely, not
 * honoured either [I, D-ver]. Every other answer is legal wherever the protocol allows it (IGNORE
 * at the approval stage is the `action` check's own rule).
 *
 * @example
 * illegalAction(resolveProfile('sgx@3.5.0'), 'RETRY', {})?.message // 'RETRY arrived with sgx@3.6.5; ...'
 */
export function illegalAction(profile: Profile, action: unknown, request: { sourceType?: unknown }): IllegalAction | undefined {
  if (action !== 'RETRY') return undefined;
  if (!hasFeature(profile, 'retry')) {
    const first = firstProfileWith('retry', profile.platform) ?? firstProfileWith('retry');
    const arrived = `RETRY arrived with ${first?.id ?? 'sgx@3.6.5'}`;
    return {
      message: `${arrived}: a ${profile.id} Co-signer fails the request when the handler answers RETRY`,
      arrived,
      hint: `answer APPROVE or REJECT for Co-signers older than ${first?.id ?? 'sgx@3.6.5'}, or run with the --profile your Co-signer has`,
      mark: 'inferred',
      source: 'D-arch',
    };
  }
  if (request.sourceType === 'EXCHANGE' && !hasFeature(profile, 'retry-exchange-withdrawal')) {
    const first = firstProfileWith('retry-exchange-withdrawal', profile.platform) ?? firstProfileWith('retry-exchange-withdrawal');
    const arrived = `RETRY on an exchange withdrawal arrived with ${first?.id ?? 'sgx@2025.12.11'}`;
    return {
      message: `${arrived}: a ${profile.id} Co-signer most likely fails it`,
      arrived,
      hint: `answer APPROVE or REJECT on withdrawals from an exchange account before ${first?.id ?? 'sgx@2025.12.11'}`,
      mark: 'inferred',
      source: 'D-ver',
    };
  }
  return undefined;
}

/**
 * The User-Agent the simulator sends. The real Co-signer's format is unknown [U, protocol.md
 * §14.6], so this one says plainly that it is the simulator's own, and which Co-signer it plays.
 *
 * @example
 * userAgentOf(resolveProfile('sgx@3.7.1'), '0.2.0') // 'cosigner-sim/0.2.0 (simulating sgx/3.7.1)'
 */
export function userAgentOf(profile: Profile, simulatorVersion: string): string {
  return `cosigner-sim/${simulatorVersion} (simulating ${profile.platform}/${profile.version})`;
}
