import { ConfigInvalidError, CsimError, InvalidOptionError, UsageError, isCsimError } from '../errors.js';
import type { RequestContentType } from '../client/cosigner.js';
import { parsePath } from '../protocol/overrides.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import { resolveSeed } from '../protocol/rng.js';
import type { Stage } from '../protocol/types.js';
import { DURATION_EXPECTED, parseDuration } from '../lib/duration.js';
import { closest } from '../lib/did-you-mean.js';
import type { ConfigKey, LoadedConfig } from './config.js';

/** The reporters, by name. */
export const REPORTER_NAMES = ['pretty', 'json', 'junit', 'github'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** One `--reporter <name>[:<file>]`; no file means stdout. */
export interface ReporterSpec {
  name: ReporterName;
  file?: string;
}

/** The chosen security option, or every one in turn (embedded handler only). */
export type OptionChoice = SecurityOptionNumber | 'all';

/** Options shared by `run` and `send`, typed and validated. */
export interface CommonOptions {
  /** The handler's base URL; absent means the embedded reference handler. */
  url?: string;
  option: OptionChoice;
  kit?: string;
  cosignerKey?: string;
  handlerPublicKey?: string;
  pinnedCert?: string;
  ca?: string;
  /** Options 3 and 5: false only when `--no-check-hostname` was given. */
  checkHostname: boolean;
  contentType?: RequestContentType;
  timeoutMs: number;
  /** Always set: drawn at random when not given, and printed so a run can be repeated. */
  seed: number;
  reporters: ReporterSpec[];
  strict: boolean;
  showSecrets: boolean;
  color: boolean;
  /** The config file that was read, if any. */
  configFile?: string;
}

export interface RunOptions extends CommonOptions {
  paths: string[];
  grep?: string;
  tag?: string;
  bail: boolean;
  concurrency: number;
}

export interface ConformanceCliOptions extends CommonOptions {
  /** Probe ids or whole groups to leave out (`--skip robustness/huge-body`). */
  skip: string[];
  /** Warn when the battery's latency passes this fraction of the deadline (default 0.5). */
  slowFraction: number;
}

export interface SendOptions extends CommonOptions {
  kind: 'tx' | 'config';
  /** tx only; default signing. */
  stage: Stage;
  /** config only: the configuration change type (any string: unknown types are allowed). */
  type?: string;
  /** `--set` overrides as dotted paths → values. */
  set: Record<string, unknown>;
  unset: string[];
  batched: boolean;
}

/**
 * The request Content-Types, as client/cosigner.ts defines them. Listed here rather than imported
 * so that parsing flags does not load the HTTP client (undici, jose): usage errors and --help stay
 * fast. The two types below fail to compile if the lists drift apart.
 */
const CONTENT_TYPES = ['text/plain', 'application/jwt', 'application/json', 'none'] as const satisfies readonly RequestContentType[];
export type MissingContentTypes = Exclude<RequestContentType, (typeof CONTENT_TYPES)[number]>;
export const CONTENT_TYPES_COMPLETE: MissingContentTypes extends never ? true : never = true;

export const DEFAULT_PATHS = ['scenarios/'];
export const DEFAULT_TIMEOUT = '30s';

/** Where a raw value came from, so an error can name the flag or the config file key. */
type Origin = { kind: 'flag' } | { kind: 'default' } | { kind: 'config'; file: string };

interface RawValue {
  value: unknown;
  origin: Origin;
}

/**
 * The raw values of one command line: commander's values and which of them the user typed.
 * (`source(key) === 'cli'` means typed; anything else is a default the config file may replace.)
 */
export interface RawFlags {
  values: Record<string, unknown>;
  typed(key: string): boolean;
}

const FLAG_NAMES: Partial<Record<ConfigKey, string>> = { checkHostname: '--no-check-hostname', color: '--no-color' };

function flagName(key: string): string {
  return FLAG_NAMES[key as ConfigKey] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Reads flag-or-config values and raises errors that name where the bad value came from. */
class Inputs {
  private readonly flags: RawFlags;
  private readonly config: LoadedConfig | undefined;

  constructor(flags: RawFlags, config: LoadedConfig | undefined) {
    this.flags = flags;
    this.config = config;
  }

  /** Flags typed on the command line win; then the config file; then commander's default. */
  get(key: ConfigKey): RawValue {
    if (this.flags.typed(key)) return { value: this.flags.values[key], origin: { kind: 'flag' } };
    if (this.config && key in this.config.values) return { value: this.config.values[key], origin: { kind: 'config', file: this.config.file } };
    return { value: this.flags.values[key], origin: { kind: 'default' } };
  }

  /** The error for a bad value: a UsageError naming the flag, or a ConfigInvalidError naming file and key. */
  invalid(key: ConfigKey, raw: RawValue, detail: string, hint?: string, Cls: typeof CsimError = UsageError): Error {
    if (raw.origin.kind === 'config') {
      return new ConfigInvalidError(`${raw.origin.file}: invalid value for "${key}": ${detail}`, {
        file: raw.origin.file,
        field: key,
        ...(hint !== undefined ? { hint } : {}),
      });
    }
    return new Cls(`Invalid value for ${flagName(key)}: ${detail}`, { field: key, ...(hint !== undefined ? { hint } : {}) });
  }

  string(key: ConfigKey): string | undefined {
    const raw = this.get(key);
    if (raw.value === undefined || raw.value === null) return undefined;
    if (typeof raw.value !== 'string') throw this.invalid(key, raw, `expected a string, got ${describe(raw.value)}.`);
    // `--url --option 2` makes commander take "--option" as the URL: say what happened instead.
    if (raw.origin.kind === 'flag' && /^--?[a-z]/i.test(raw.value)) {
      throw new UsageError(`${flagName(key)} needs a value, but the next argument is the flag ${raw.value}`, {
        field: key,
        hint: `write ${flagName(key)} <value>; run \`cosigner-sim --help\` for the options`,
      });
    }
    if (raw.value.trim() === '') throw this.invalid(key, raw, 'expected a non-empty string.');
    return raw.value;
  }

  boolean(key: ConfigKey, fallback: boolean): boolean {
    const raw = this.get(key);
    if (raw.value === undefined || raw.value === null) return fallback;
    if (typeof raw.value !== 'boolean') throw this.invalid(key, raw, `expected true or false, got ${describe(raw.value)}.`);
    return raw.value;
  }

  /** A string or a list of strings (repeatable flags). */
  strings(key: ConfigKey): string[] {
    const raw = this.get(key);
    if (raw.value === undefined || raw.value === null) return [];
    const list = Array.isArray(raw.value) ? (raw.value as unknown[]) : [raw.value];
    for (const v of list) {
      if (typeof v !== 'string' || v.trim() === '') throw this.invalid(key, raw, `expected a string or a list of strings, got ${describe(v)}.`);
    }
    return list as string[];
  }
}

/** A did-you-mean: the runner's edit-distance match, or a candidate with the same letters (a transposition such as jsno → json). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const sorted = (w: string) => [...w.toLowerCase()].sort().join('');
  return closest(word, candidates) ?? candidates.find((c) => c.length === word.length && sorted(c) === sorted(word));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** Parse `--option`: 1..5 or `all`. */
function readOption(inputs: Inputs): OptionChoice {
  const raw = inputs.get('option');
  const v = raw.value ?? '1';
  if (v === 'all') return 'all';
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (n === 1 || n === 2 || n === 3 || n === 4 || n === 5) return n;
  throw inputs.invalid(
    'option',
    raw,
    `${typeof v === 'string' ? v : describe(v)}. Expected one of: 1, 2, 3, 4, 5, all.`,
    Object.values(SECURITY_OPTIONS)
      .map((o) => `${o.option} ${o.label}`)
      .join(', '),
    InvalidOptionError,
  );
}

function readTimeout(inputs: Inputs): number {
  const raw = inputs.get('timeout');
  const value = raw.value ?? DEFAULT_TIMEOUT;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    throw inputs.invalid('timeout', raw, `${describe(value)}. Expected ${DURATION_EXPECTED}.`, 'e.g. --timeout 30s (the Co-signer waits 30 s)');
  }
  if (ms <= 0) throw inputs.invalid('timeout', raw, `${describe(value)}. The timeout must be more than 0.`, 'e.g. --timeout 30s');
  return ms;
}

function readSeed(inputs: Inputs): number {
  const raw = inputs.get('seed');
  if (raw.value === undefined || raw.value === null) return resolveSeed();
  if (typeof raw.value !== 'string' && typeof raw.value !== 'number') throw inputs.invalid('seed', raw, `expected a number, got ${describe(raw.value)}.`);
  if (typeof raw.value === 'string' && raw.value.trim() === '') throw inputs.invalid('seed', raw, 'expected a number, got an empty string.');
  try {
    return resolveSeed(raw.value);
  } catch (e) {
    throw inputs.invalid('seed', raw, `${describe(raw.value)}. Expected an integer (or any word, which is hashed to one).`, isCsimError(e) ? e.hint : undefined);
  }
}

function readContentType(inputs: Inputs): RequestContentType | undefined {
  const value = inputs.string('contentType');
  if (value === undefined) return undefined;
  if (!(CONTENT_TYPES as readonly string[]).includes(value)) {
    const near = suggest(value, CONTENT_TYPES);
    throw inputs.invalid('contentType', inputs.get('contentType'), `${value}. Expected one of: ${CONTENT_TYPES.join(', ')}.${near ? ` Did you mean ${near}?` : ''}`);
  }
  return value as RequestContentType;
}

/**
 * Parse `--reporter` values: `name` or `name:file`, at most one without a file (it owns stdout).
 *
 * @example
 * parseReporters(['json', 'junit:report.xml']) // [{ name: 'json' }, { name: 'junit', file: 'report.xml' }]
 */
function readReporters(inputs: Inputs): ReporterSpec[] {
  const raw = inputs.get('reporter');
  const list = inputs.strings('reporter');
  const specs: ReporterSpec[] = [];
  for (const item of list) {
    const colon = item.indexOf(':');
    const name = colon === -1 ? item : item.slice(0, colon);
    const file = colon === -1 ? undefined : item.slice(colon + 1);
    if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
      const near = suggest(name, REPORTER_NAMES);
      throw inputs.invalid('reporter', raw, `${JSON.stringify(item)}. Expected one of: ${REPORTER_NAMES.join(', ')}, optionally followed by :<file>.${near ? ` Did you mean ${near}?` : ''}`, 'e.g. --reporter json or --reporter junit:report.xml');
    }
    if (file !== undefined && file.trim() === '') {
      throw inputs.invalid('reporter', raw, `${JSON.stringify(item)}: the file name after ":" is empty.`, `write ${name}:<file>, or just ${name} for stdout`);
    }
    specs.push({ name: name as ReporterName, ...(file !== undefined ? { file } : {}) });
  }
  const toStdout = specs.filter((s) => s.file === undefined);
  if (toStdout.length > 1) {
    throw inputs.invalid(
      'reporter',
      raw,
      `${toStdout.map((s) => s.name).join(' and ')} would both write to stdout; at most one reporter may go without a file.`,
      `give the others a file, e.g. --reporter ${toStdout[0]!.name} --reporter ${toStdout[1]!.name}:report.${toStdout[1]!.name === 'junit' ? 'xml' : toStdout[1]!.name === 'json' ? 'json' : 'txt'}`,
    );
  }
  return specs;
}

function readInteger(inputs: Inputs, key: ConfigKey, fallback: number, min: number): number {
  const raw = inputs.get(key);
  if (raw.value === undefined || raw.value === null) return fallback;
  const n = typeof raw.value === 'string' && /^\s*\d+\s*$/.test(raw.value) ? Number(raw.value) : raw.value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw inputs.invalid(key, raw, `${describe(raw.value)}. Expected a whole number of at least ${min}.`);
  }
  return n;
}

/** Read the options both commands share. */
function readCommon(inputs: Inputs, config: LoadedConfig | undefined): CommonOptions {
  const option = readOption(inputs);
  const url = inputs.string('url');
  if (option === 'all' && url !== undefined) {
    throw new UsageError('--option all runs the embedded reference handler once per option, so it cannot be used with --url', {
      field: 'option',
      hint: 'a real handler serves one option: pass that one, e.g. --option 4',
    });
  }
  const out: CommonOptions = {
    option,
    checkHostname: inputs.boolean('checkHostname', true),
    timeoutMs: readTimeout(inputs),
    seed: readSeed(inputs),
    reporters: readReporters(inputs),
    strict: inputs.boolean('strict', false),
    showSecrets: inputs.boolean('showSecrets', false),
    color: inputs.boolean('color', true),
  };
  if (url !== undefined) out.url = url;
  for (const key of ['kit', 'cosignerKey', 'handlerPublicKey', 'pinnedCert', 'ca'] as const) {
    const v = inputs.string(key);
    if (v !== undefined) out[key] = v;
  }
  const contentType = readContentType(inputs);
  if (contentType !== undefined) out.contentType = contentType;
  if (config) out.configFile = config.file;
  return out;
}

/**
 * Turn `run`'s flags (plus the config file) into typed, validated options. Throws UsageError,
 * InvalidOptionError or ConfigInvalidError (all exit 2) naming the flag or config key.
 *
 * @example
 * resolveRunOptions(['scenarios/'], flags, undefined).concurrency // 1
 */
export function resolveRunOptions(paths: string[], flags: RawFlags, config: LoadedConfig | undefined): RunOptions {
  const inputs = new Inputs(flags, config);
  const common = readCommon(inputs, config);
  const configPaths = config ? new Inputs({ values: {}, typed: () => false }, config).strings('paths') : [];
  const out: RunOptions = {
    ...common,
    paths: paths.length > 0 ? paths : configPaths.length > 0 ? configPaths : DEFAULT_PATHS,
    bail: inputs.boolean('bail', false),
    concurrency: readInteger(inputs, 'concurrency', 1, 1),
  };
  const grep = inputs.string('grep');
  if (grep !== undefined) out.grep = grep;
  const tag = inputs.string('tag');
  if (tag !== undefined) out.tag = tag;
  return out;
}

/**
 * Turn `conformance`'s flags (plus the config file) into typed, validated options.
 *
 * @example
 * resolveConformanceOptions(flags, undefined).slowFraction // 0.5
 */
export function resolveConformanceOptions(flags: RawFlags, config: LoadedConfig | undefined): ConformanceCliOptions {
  const inputs = new Inputs(flags, config);
  const common = readCommon(inputs, config);
  const raw = inputs.get('slowFraction');
  let slowFraction = 0.5;
  if (raw.value !== undefined && raw.value !== null) {
    const n = typeof raw.value === 'string' && raw.value.trim() !== '' ? Number(raw.value) : raw.value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > 1) {
      throw inputs.invalid('slowFraction', raw, `${JSON.stringify(raw.value)}. Expected a number above 0 and at most 1.`, 'e.g. --slow-fraction 0.25 warns when an answer takes more than a quarter of the deadline');
    }
    slowFraction = n;
  }
  return { ...common, skip: inputs.strings('skip'), slowFraction };
}

/** Parse one `--set` value: JSON when it parses, else the text as a string. */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readSet(inputs: Inputs): Record<string, unknown> {
  const raw = inputs.get('set');
  const out: Record<string, unknown> = {};
  if (raw.value === undefined || raw.value === null) return out;
  // A config file may write `set:` as a mapping of path → value.
  if (raw.origin.kind === 'config' && typeof raw.value === 'object' && !Array.isArray(raw.value)) {
    for (const [path, value] of Object.entries(raw.value as Record<string, unknown>)) {
      checkPath(inputs, 'set', raw, path, path);
      out[path] = value;
    }
    return out;
  }
  for (const item of inputs.strings('set')) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw inputs.invalid('set', raw, `${JSON.stringify(item)}. Expected <path>=<value>.`, 'e.g. --set amount=250000 or --set destinations.0.dstAddress=\'"0xabc"\' (the value is read as JSON, else as a string)');
    }
    const path = item.slice(0, eq).trim();
    checkPath(inputs, 'set', raw, path, item);
    out[path] = parseSetValue(item.slice(eq + 1));
  }
  return out;
}

function checkPath(inputs: Inputs, key: 'set' | 'unset', raw: RawValue, path: string, shown: string): void {
  try {
    parsePath(path);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw inputs.invalid(key, raw, `${JSON.stringify(shown)}: ${detail}`, isCsimError(e) ? e.hint : undefined);
  }
}

/**
 * Turn `send`'s flags (plus the config file) into typed, validated options.
 *
 * @example
 * resolveSendOptions('config', flags, undefined).stage // 'approval'
 */
export function resolveSendOptions(kind: 'tx' | 'config', flags: RawFlags, config: LoadedConfig | undefined): SendOptions {
  const inputs = new Inputs(flags, config);
  const common = readCommon(inputs, config);
  const stageRaw = inputs.get('stage');
  const stageValue = inputs.string('stage');
  if (stageValue !== undefined && stageValue !== 'approval' && stageValue !== 'signing') {
    throw inputs.invalid('stage', stageRaw, `${JSON.stringify(stageValue)}. Expected one of: approval, signing.`);
  }
  const type = inputs.string('type');
  const batched = inputs.boolean('batched', false);
  if (kind === 'config') {
    if (stageValue === 'signing' && stageRaw.origin.kind === 'flag') {
      throw new UsageError('--stage signing is for tx requests: configuration changes are always approvals', { field: 'stage', hint: 'drop --stage, or send a tx: cosigner-sim send tx --stage signing' });
    }
    if (batched && flags.typed('batched')) {
      throw new UsageError('--batched is for tx requests: configuration changes are never batched', { field: 'batched', hint: 'drop --batched, or send a tx: cosigner-sim send tx --batched' });
    }
  } else if (type !== undefined && flags.typed('type')) {
    throw new UsageError('--type names a configuration change type, for `send config`', {
      field: 'type',
      hint: 'send config --type ADD_USER; for a transaction operation use --set operation=CONTRACT_CALL',
    });
  }
  const unset = inputs.strings('unset');
  for (const path of unset) checkPath(inputs, 'unset', inputs.get('unset'), path, path);
  const out: SendOptions = {
    ...common,
    kind,
    stage: kind === 'config' ? 'approval' : ((stageValue as Stage | undefined) ?? 'signing'),
    set: readSet(inputs),
    unset,
    batched: kind === 'tx' && batched,
  };
  if (kind === 'config' && type !== undefined) out.type = type;
  return out;
}
