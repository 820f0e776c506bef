/**
 * Flags plus the config file → the typed, validated options of one command. Everything here is
 * checked before any file is read, key generated or server started (the order of validation in
 * the README): the value of each key by its kind in option-table.ts, then the rules that tie
 * keys together (`--option all` with `--url`, a key or certificate the option never uses, a
 * `--set` path the request does not have).
 */
import { assertMaterialFits } from '../client/material.js';
import type { RequestContentType } from '../client/cosigner.js';
import { ConfigInvalidError, CsimError, InternalError, InvalidArgumentError, InvalidOptionError, UsageError, isCsimError } from '../errors.js';
import { closest, osaDistance } from '../lib/did-you-mean.js';
import { DURATION_EXPECTED, parseDuration } from '../lib/duration.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import type { OptionalFieldsMode } from '../protocol/context.js';
import { createRequestFactory } from '../protocol/factory.js';
import { convertValue, fieldType, readTypedText } from '../protocol/field-types.js';
import { SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../protocol/options.js';
import { DEFAULT_PROFILE, configTypeProblem, configTypesOf, optionAvailability, requireOption, resolveProfile, type Profile } from '../protocol/profiles.js';
import { parsePath } from '../protocol/overrides.js';
import { resolveSeed } from '../protocol/rng.js';
import { CONFIG_CHANGE_TYPES, type Endpoint, type Stage } from '../protocol/types.js';
import { PROBE_GROUPS, type EndpointScope } from '../conformance/table.js';
import { WARNING_IDS } from '../checks/warnings.js';
import type { ConfigKey, LoadedConfig } from './config.js';
import { parseMix, type MixEntry } from '../load/mix.js';
import { mixPreset, presetMode, type MixPreset } from '../load/presets.js';
import type { LoadMode, LoadStop } from '../load/run.js';
import { CONFIG_SECTIONS, REPORTER_NAMES, flagName, optionSpec, type CommandName, type OptionKey, type OptionSpec, type ReporterName } from './option-table.js';

export { CONTENT_TYPES, REPORTER_NAMES, type ReporterName } from './option-table.js';

/** One `--reporter <name>[:<file>]`; no file means stdout. */
export interface ReporterSpec {
  name: ReporterName;
  file?: string;
}

/** The chosen security option, or every one in turn (embedded handler only). */
export type OptionChoice = SecurityOptionNumber | 'all';

/** Options shared by `run`, `send` and `conformance`, typed and validated. */
export interface CommonOptions {
  /** The handler's base URL; absent means the embedded reference handler. */
  url?: string;
  /** `--start`: the shell command that starts the handler at `url` (which may hold `{port}`). */
  start?: string;
  /** `--ready-timeout`: how long a started handler may take to accept a TLS connection. */
  readyTimeoutMs: number;
  /** `--image`: the handler's Docker image, run with testcontainers; with `port` (the container's), `mountKeys` and `network`. */
  image?: string;
  port?: number;
  mountKeys: string;
  network: 'bridge' | 'host';
  /** `--env KEY=VALUE`: extra variables for a handler cosigner-sim starts (`--start`, `--image`). */
  env: Record<string, string>;
  /** `--ready-path`: with --start, ready once GET of this path gets any HTTP answer. */
  readyPath?: string;
  /** `--cwd`: with --start, the folder the command runs in (relative to the command's cwd). */
  cwd?: string;
  /** `--keep-kit`: with --start, a generated kit's temporary folder is kept. */
  keepKit: boolean;
  /** `--marker`: text put into externalTxId and note of every tx request. */
  marker?: string;
  /** `--proxy`: the HTTP CONNECT proxy requests go through (validated URL). */
  proxy?: string;
  /** `--dry-run` (run, send): print what would be sent and the request bound; send nothing. */
  dryRun: boolean;
  /** `--handler`: the handler module cosigner-sim loads in a worker thread and serves (no `url`). */
  handler?: string;
  option: OptionChoice;
  kit?: string;
  /** `--cosigner-key`, repeatable: Co-signer 1, 2, ... in the order given (never empty when set). */
  cosignerKey?: string[];
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
  /** Warning ids that do not fail a `--strict` run (`--accept-warning`); they are still reported. */
  acceptWarning: string[];
  showSecrets: boolean;
  color: boolean;
  /** `--verbose`: the pretty reporter shows the full exchange under every scenario. */
  verbose: boolean;
  /** The config file that was read, if any. */
  configFile?: string;
  /** Which optional fields requests carry: `all` (default), `none`, or `random` per seed. */
  optionalFields: OptionalFieldsMode;
  /** `--profile`: the Co-signer version simulated (default `latest`), resolved to a listed release. */
  profile: Profile;
}

/** `run`'s options, typed and validated (the library's `RunOptions` is runner/run.ts's). */
export interface RunCommandOptions extends CommonOptions {
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
  /** `--set`: fields of the base tx request, converted to each field's wire type. */
  set: Record<string, unknown>;
  /** `--base <file>[#name]`, as given (resolved by suite/base.ts when the command runs). */
  base: string[];
  /** `--endpoints`: the routes the handler serves. */
  endpoints: EndpointScope;
  /** `knownFailures` and `--expect-fail`, together. */
  knownFailures: string[];
  /** `--battery-concurrency`: requests in flight at most. */
  batteryConcurrency: number;
}

export interface SendOptions extends CommonOptions {
  kind: 'tx' | 'config';
  /** tx only; default signing. */
  stage: Stage;
  /** config only: the configuration change type (a documented one, unless `allowUnknownType`). */
  type?: string;
  /** `--allow-unknown-type`: send a `--type` that is not documented (a future type). */
  allowUnknownType: boolean;
  /**
   * `--set` overrides as dotted paths → values, converted to each field's wire type, plus the
   * `--set-json` ones as written.
   */
  set: Record<string, unknown>;
  /** The keys of `set` that came from `--set-json`: the builder sends them without conversion. */
  verbatim: string[];
  unset: string[];
  batched: boolean;
  /** `--base <file>[#name]`, as given: the request starts from that scenario's (the flags win). */
  base: string[];
  /** True when `stage` was given (flag or config), so it wins over a base scenario's stage. */
  stageGiven: boolean;
  /** `--cosigner n`: send as Co-signer n (absent: Co-signer 1). */
  cosigner?: number;
}

/** `load`'s options, typed and validated (simulator/load/ takes the mode, stop and mix as they are). */
export interface LoadCliOptions extends CommonOptions {
  option: SecurityOptionNumber;
  mode: LoadMode;
  stop: LoadStop;
  /** `--mix` as typed, and read. */
  mixText: string;
  mix: MixEntry[];
  /** The named `--mix` (`cosigner-burst`): its Co-signers, bursts and re-send policy; `mode` is its bursts. */
  preset?: MixPreset;
  /** `--reuse-connections`: kept-alive connections instead of a fresh TLS handshake per request. */
  reuseConnections: boolean;
  /** `--base <file>[#name]`, as given (resolved by suite/base.ts when the command runs). */
  base: string[];
  warmupMs: number;
  maxErrorRate: number;
  histogramOut?: string;
}

export interface SelftestCliOptions {
  /** Run every battery handler under every option it applies to (slower). */
  allOptions: boolean;
  /** `--reporter`: each gets its report (one result per row of the table); default the table only. */
  reporters?: ReporterSpec[];
}

export const DEFAULT_PATHS = ['scenarios/'];

/** Where a raw value came from, so an error can name the flag or the config file key. */
type Origin = { kind: 'flag' } | { kind: 'default' } | { kind: 'config'; file: string; field: string };

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

/** The error for a bad value: a UsageError (or `Cls`) naming the flag, or a ConfigInvalidError naming file and key. */
function invalid(spec: OptionSpec, raw: RawValue, detail: string, hint?: string, Cls: typeof CsimError = UsageError): CsimError {
  const h = hint !== undefined ? { hint } : {};
  if (raw.origin.kind === 'config') {
    return new ConfigInvalidError(`${raw.origin.file}: invalid value for "${raw.origin.field}": ${detail}`, { file: raw.origin.file, field: raw.origin.field, ...h });
  }
  return new Cls(`Invalid value for ${flagName(spec)}: ${detail}`, { field: spec.key, ...h });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

const absent = (raw: RawValue) => raw.value === undefined || raw.value === null;

// --- One reader per kind: (row, raw value) → typed value, or a CsimError naming where it came from.

function readString(spec: OptionSpec, raw: RawValue): string | undefined {
  if (absent(raw)) return undefined;
  if (typeof raw.value !== 'string') throw invalid(spec, raw, `expected a string, got ${describe(raw.value)}.`);
  // `--url --option 2` makes commander take "--option" as the URL: say what happened instead.
  if (raw.origin.kind === 'flag' && /^--?[a-z]/i.test(raw.value)) {
    throw new UsageError(`${flagName(spec)} needs a value, but the next argument is the flag ${raw.value}`, {
      field: spec.key,
      hint: `write ${flagName(spec)} <value>; run \`cosigner-sim <command> --help\` for the options`,
    });
  }
  if (raw.value.trim() === '') throw invalid(spec, raw, 'expected a non-empty string.');
  return raw.value;
}

function readBoolean(spec: OptionSpec, raw: RawValue): boolean {
  // `--no-color` declares `color`, true unless given.
  if (absent(raw)) return spec.flag?.startsWith('--no-') === true;
  if (typeof raw.value !== 'boolean') throw invalid(spec, raw, `expected true or false, got ${describe(raw.value)}.`);
  return raw.value;
}

function withDefault(spec: OptionSpec, raw: RawValue): unknown {
  return absent(raw) ? spec.default?.value : raw.value;
}

function readOption(spec: OptionSpec, raw: RawValue): OptionChoice {
  const v = withDefault(spec, raw) ?? '1';
  if (v === 'all') return 'all';
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (n === 1 || n === 2 || n === 3 || n === 4 || n === 5) return n;
  throw invalid(
    spec,
    raw,
    `${typeof v === 'string' ? v : describe(v)}. Expected one of: 1, 2, 3, 4, 5, all.`,
    Object.values(SECURITY_OPTIONS)
      .map((o) => `${o.option} ${o.label}`)
      .join(', '),
    InvalidOptionError,
  );
}

function readDuration(spec: OptionSpec, raw: RawValue): number {
  const value = withDefault(spec, raw);
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    throw invalid(spec, raw, `${describe(value)}. Expected ${DURATION_EXPECTED}.`, spec.key === 'timeout' ? 'e.g. --timeout 30s (the Co-signer waits 30 s)' : `e.g. ${flagName(spec)} ${String(spec.example)}`);
  }
  if (ms <= 0) {
    if (spec.key !== 'timeout') throw invalid(spec, raw, `${describe(value)}. It must be more than 0.`, `e.g. ${flagName(spec)} ${String(spec.example)}, or leave it out`);
    throw invalid(spec, raw, `${describe(value)}. The timeout must be more than 0.`, 'e.g. --timeout 30s');
  }
  return ms;
}

function readSeed(spec: OptionSpec, raw: RawValue): number {
  if (absent(raw)) return resolveSeed();
  if (typeof raw.value !== 'string' && typeof raw.value !== 'number') throw invalid(spec, raw, `expected a number, got ${describe(raw.value)}.`);
  if (typeof raw.value === 'string' && raw.value.trim() === '') throw invalid(spec, raw, 'expected a number, got an empty string.');
  try {
    return resolveSeed(raw.value);
  } catch (e) {
    throw invalid(spec, raw, `${describe(raw.value)}. Expected an integer (or any word, which is hashed to one).`, isCsimError(e) ? e.hint : undefined);
  }
}

function readEnum(spec: OptionSpec, raw: RawValue, values: readonly string[]): string | undefined {
  const v = withDefault(spec, raw);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !values.includes(v)) {
    const near = typeof v === 'string' ? closest(v, values) : undefined;
    throw invalid(spec, raw, `${describe(v)}. Expected one of: ${values.join(', ')}.${near ? ` Did you mean ${near}?` : ''}`);
  }
  return v;
}

function readInteger(spec: OptionSpec, raw: RawValue, min: number): number {
  const v = withDefault(spec, raw);
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw invalid(spec, raw, `${describe(v)}. Expected a whole number of at least ${min}.`);
  }
  return n;
}

function readFraction(spec: OptionSpec, raw: RawValue): number {
  const v = withDefault(spec, raw);
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  const zero = spec.kind.type === 'fraction' && spec.kind.zero === true;
  if (typeof n !== 'number' || !Number.isFinite(n) || (zero ? n < 0 : n <= 0) || n > 1) {
    if (zero) throw invalid(spec, raw, `${JSON.stringify(v)}. Expected a number from 0 to 1.`, `e.g. ${flagName(spec)} 0.01 allows one request in a hundred to fail`);
    throw invalid(spec, raw, `${JSON.stringify(v)}. Expected a number above 0 and at most 1.`, 'e.g. --slow-fraction 0.25 warns when an answer takes more than a quarter of the deadline');
  }
  return n;
}

/** A string or a list of strings (repeatable flags). */
function readStrings(spec: OptionSpec, raw: RawValue): string[] {
  if (absent(raw)) return [];
  const list = Array.isArray(raw.value) ? (raw.value as unknown[]) : [raw.value];
  for (const v of list) {
    if (typeof v !== 'string' || v.trim() === '') throw invalid(spec, raw, `expected a string or a list of strings, got ${describe(v)}.`);
  }
  return list as string[];
}

function checkPayloadPath(spec: OptionSpec, raw: RawValue, path: string, shown: string): void {
  try {
    parsePath(path);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw invalid(spec, raw, `${JSON.stringify(shown)}: ${detail}`, isCsimError(e) ? e.hint : undefined);
  }
}

function readList(spec: OptionSpec, raw: RawValue): string[] {
  if (spec.kind.type !== 'list') throw new InternalError(`option-table row ${spec.key} is read as a list but is a ${spec.kind.type}`);
  const list = readStrings(spec, raw);
  const { values, item } = spec.kind;
  for (const v of list) {
    if (values && !values.includes(v)) {
      const near = closest(v, values);
      if (spec.key === 'acceptWarning') {
        throw invalid(
          spec,
          raw,
          `${JSON.stringify(v)} is not a warning id.${near ? ` Did you mean ${near}?` : ''}`,
          `use a warning id as a report prints it after ⚠: ${WARNING_IDS.join(', ')}, or a conformance probe id such as tls/expiry (README#checks lists the warnings)`,
        );
      }
      // `--skip` refused an unknown id as CSIM_INVALID_ARGUMENT before it moved here: keep the code.
      throw invalid(
        spec,
        raw,
        `${JSON.stringify(v)} is not a probe id or group.${near ? ` Did you mean ${near}?` : ''}`,
        `use a probe id such as robustness/huge-body, or a group: ${PROBE_GROUPS.join(', ')} (README#conformance lists every probe)`,
        InvalidArgumentError,
      );
    }
    if (item === 'payload-path') checkPayloadPath(spec, raw, v, v);
  }
  return list;
}

/**
 * Parse `--reporter` values: `name` or `name:file`, at most one without a file (it owns stdout).
 *
 * @example
 * readReporters(spec, { value: ['json', 'junit:report.xml'], ... }) // [{ name: 'json' }, { name: 'junit', file: 'report.xml' }]
 */
function readReporters(spec: OptionSpec, raw: RawValue): ReporterSpec[] {
  const specs: ReporterSpec[] = [];
  for (const item of readStrings(spec, raw)) {
    const colon = item.indexOf(':');
    const name = colon === -1 ? item : item.slice(0, colon);
    const file = colon === -1 ? undefined : item.slice(colon + 1);
    if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
      const near = closest(name, REPORTER_NAMES);
      throw invalid(spec, raw, `${JSON.stringify(item)}. Expected one of: ${REPORTER_NAMES.join(', ')}, optionally followed by :<file>.${near ? ` Did you mean ${near}?` : ''}`, 'e.g. --reporter json or --reporter junit:report.xml');
    }
    if (file !== undefined && file.trim() === '') {
      throw invalid(spec, raw, `${JSON.stringify(item)}: the file name after ":" is empty.`, `write ${name}:<file>, or just ${name} for stdout`);
    }
    specs.push({ name: name as ReporterName, ...(file !== undefined ? { file } : {}) });
  }
  const toStdout = specs.filter((s) => s.file === undefined);
  if (toStdout.length > 1) {
    const second = toStdout[1]!.name;
    throw invalid(
      spec,
      raw,
      `${toStdout.map((s) => s.name).join(' and ')} would both write to stdout; at most one reporter may go without a file.`,
      `give the others a file, e.g. --reporter ${toStdout[0]!.name} --reporter ${second}:report.${second === 'junit' ? 'xml' : second === 'json' ? 'json' : 'txt'}`,
    );
  }
  return specs;
}

/** Parse one `--set` value: JSON when it parses, else the text as a string. */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readOverrides(spec: OptionSpec, raw: RawValue): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (absent(raw)) return out;
  // A config file may write `set:` as a mapping of path → value.
  if (raw.origin.kind === 'config' && typeof raw.value === 'object' && !Array.isArray(raw.value)) {
    for (const [path, value] of Object.entries(raw.value as Record<string, unknown>)) {
      checkPayloadPath(spec, raw, path, path);
      out[path] = value;
    }
    return out;
  }
  for (const item of readStrings(spec, raw)) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw invalid(spec, raw, `${JSON.stringify(item)}. Expected <path>=<value>.`, 'e.g. --set amount=250000 or --set destinations.0.dstAddress=\'"0xabc"\' (the value is read as JSON, else as a string)');
    }
    const path = item.slice(0, eq).trim();
    checkPayloadPath(spec, raw, path, item);
    const text = item.slice(eq + 1);
    if (spec.key === 'setJson') {
      try {
        out[path] = JSON.parse(text) as unknown;
      } catch (e) {
        throw invalid(spec, raw, `${JSON.stringify(item)}: the value is not JSON (${e instanceof Error ? e.message : String(e)}).`, `write the JSON as it should go on the wire, e.g. --set-json amount='"250000"' or --set-json ${path}=null`);
      }
    } else out[path] = parseSetValue(text);
  }
  return out;
}

/** The raw `--set` items of one value (a mapping from a config file gives values, not text). */
function setItems(raw: RawValue): { path: string; text?: string; value?: unknown }[] {
  if (absent(raw)) return [];
  if (raw.origin.kind === 'config' && typeof raw.value === 'object' && raw.value !== null && !Array.isArray(raw.value)) {
    return Object.entries(raw.value as Record<string, unknown>).map(([path, value]) => ({ path, value }));
  }
  const list = Array.isArray(raw.value) ? (raw.value as string[]) : [raw.value as string];
  return list.map((item) => {
    const eq = item.indexOf('=');
    return { path: item.slice(0, eq).trim(), text: item.slice(eq + 1) };
  });
}

/**
 * `--set` converted to the wire type of each field (field-types.ts): `--set amountStr=250000`
 * is the string "250000", `--set amount=abc` exit 2 naming the field. A field the model does
 * not type keeps the JSON-else-string rule (the builder warns `override-type-unknown`).
 */
function typedOverrides(spec: OptionSpec, raw: RawValue, endpoint: Endpoint): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of setItems(raw)) {
    try {
      if (item.text !== undefined) out[item.path] = readTypedText(endpoint, item.path, item.text).value;
      else {
        const type = fieldType(endpoint, item.path);
        out[item.path] = type === undefined ? item.value : convertValue(item.path, type, item.value);
      }
    } catch (e) {
      if (!isCsimError(e)) throw e;
      throw invalid(spec, raw, e.message.replace(/^Invalid value for /, ''), e.hint);
    }
  }
  return out;
}

/** The documented type nearest to `word`: a typo's fix, else the closest by edit distance. */
function nearestConfigType(word: string, types: readonly string[]): string {
  const typo = closest(word, types);
  if (typo !== undefined) return typo;
  const w = word.toUpperCase();
  let best: string = types[0] ?? CONFIG_CHANGE_TYPES[0];
  let bestD = Infinity;
  for (const t of types) {
    const d = osaDistance(w, t);
    if (d < bestD) [best, bestD] = [t, d];
  }
  return best;
}

/** Check one value by its row's kind (what the schema checks, plus what JSON Schema cannot say). */
function readValue(spec: OptionSpec, raw: RawValue): unknown {
  const kind = spec.kind;
  switch (kind.type) {
    case 'string':
    case 'path':
      return readString(spec, raw);
    case 'boolean':
      return readBoolean(spec, raw);
    case 'duration':
      return readDuration(spec, raw);
    case 'integer':
      return readInteger(spec, raw, kind.min);
    case 'fraction':
      return readFraction(spec, raw);
    case 'enum':
      return readEnum(spec, raw, kind.values);
    case 'security-option':
      return readOption(spec, raw);
    case 'seed':
      return readSeed(spec, raw);
    case 'reporters':
      return readReporters(spec, raw);
    case 'list':
      return readList(spec, raw);
    case 'overrides':
      return readOverrides(spec, raw);
  }
}

/** One value of the file, and where it is (`timeout` or `run.timeout`). */
interface ConfigEntry {
  value: unknown;
  field: string;
}

/** The value `command` reads for `key` from the file: its own section first, then the top level. */
function configEntry(config: LoadedConfig, command: CommandName, key: ConfigKey): ConfigEntry | undefined {
  const section = config.sections[command];
  if (section && key in section) return { value: section[key], field: `${command}.${key}` };
  if (key in config.values) return { value: config.values[key], field: key };
  return undefined;
}

/**
 * Check every value in the config file by its kind, whichever command runs: a bad `send.stage`
 * stops `run` too, as the schema would, so a file is valid or not whatever reads it.
 */
function checkConfigValues(config: LoadedConfig): void {
  const entries: [string, unknown, string][] = Object.entries(config.values).map(([k, v]) => [k, v, k]);
  for (const command of CONFIG_SECTIONS) {
    for (const [k, v] of Object.entries(config.sections[command] ?? {})) entries.push([k, v, `${command}.${k}`]);
  }
  for (const [key, value, field] of entries) readValue(optionSpec(key as OptionKey), { value, origin: { kind: 'config', file: config.file, field } });
}

/** Reads one command's values: typed flags win, then its config section, then the top level, then the default. */
export class Inputs {
  readonly command: CommandName;
  readonly flags: RawFlags;
  readonly config: LoadedConfig | undefined;

  constructor(command: CommandName, flags: RawFlags, config: LoadedConfig | undefined) {
    this.command = command;
    this.flags = flags;
    this.config = config;
    if (config) checkConfigValues(config);
  }

  raw(key: OptionKey): RawValue {
    if (this.flags.typed(key)) return { value: this.flags.values[key], origin: { kind: 'flag' } };
    const entry = this.config && configEntry(this.config, this.command, key);
    if (entry && this.config) return { value: entry.value, origin: { kind: 'config', file: this.config.file, field: entry.field } };
    return { value: this.flags.values[key], origin: { kind: 'default' } };
  }

  read<T>(key: OptionKey): T {
    return readValue(optionSpec(key), this.raw(key)) as T;
  }

  /** True when the value came from the command line, not the file or a default. */
  typed(key: OptionKey): boolean {
    return this.flags.typed(key);
  }
}

/**
 * The options a run covers: one, or for `--option all` every option the profile offers (1-5
 * under `latest`; an option the profile may offer [U] is in, with its warning).
 */
export function optionsOf(o: { option: OptionChoice; profile?: Profile }): SecurityOptionNumber[] {
  if (o.option !== 'all') return [o.option];
  const profile = o.profile;
  return profile === undefined ? [...SECURITY_OPTION_NUMBERS] : SECURITY_OPTION_NUMBERS.filter((n) => optionAvailability(profile, n) !== 'no');
}

/**
 * `--profile` (or the config's `profile:`), resolved before any key is made: an unknown one, or
 * one older than its platform's first, is CSIM_UNKNOWN_PROFILE; the message says where it was set.
 */
function readProfile(inputs: Inputs): Profile {
  const raw = inputs.raw('profile');
  const text = inputs.read<string | undefined>('profile') ?? DEFAULT_PROFILE;
  try {
    return resolveProfile(text);
  } catch (e) {
    if (!isCsimError(e) || raw.origin.kind === 'default') throw e;
    const where = raw.origin.kind === 'config' ? `${raw.origin.file}: "${raw.origin.field}"` : '--profile';
    const Cls = e.constructor as typeof CsimError;
    throw new Cls(`${where}: ${e.message}`, {
      field: raw.origin.kind === 'config' ? raw.origin.field : 'profile',
      ...(raw.origin.kind === 'config' ? { file: raw.origin.file } : {}),
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
    });
  }
}

/**
 * Every option of the run must be one the profile offers (CSIM_OPTION_UNAVAILABLE, naming the
 * first version with it). One it may offer [U] is no error: the client warns `profile-unconfirmed`
 * on each exchange.
 */
function checkProfileOptions(o: { option: OptionChoice; profile: Profile }): void {
  if (o.option === 'all') {
    if (optionsOf(o).length === 0) requireOption(o.profile, 1);
    return;
  }
  requireOption(o.profile, o.option);
}

/**
 * An HTTP proxy URL: `http://[user:pass@]host[:port]` (HTTPS_PROXY's usual form). https to the
 * proxy itself is not supported: the tunnel is plain CONNECT, the TLS inside it is the handler's.
 *
 * @example
 * checkProxyUrl('http://proxy.internal:3128', '--proxy'); // passes
 */
export function checkProxyUrl(value: string, where: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'http:' || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new UsageError(`Invalid value for ${where}: ${JSON.stringify(value)}. Expected an HTTP proxy URL, http://host:port.`, {
      field: 'proxy',
      hint: 'e.g. --proxy http://proxy.internal:3128 (the requests tunnel through it with CONNECT; TLS to the handler is unchanged)',
    });
  }
}

/** Read the options `run`, `send` and `conformance` share, and check the ones that depend on each other. */
function readCommon(inputs: Inputs): CommonOptions {
  const option = inputs.read<OptionChoice>('option');
  const url = inputs.read<string | undefined>('url');
  const start = inputs.read<string | undefined>('start');
  if (start !== undefined && url === undefined) {
    throw new UsageError('--start needs --url: the address the started handler listens on, which cosigner-sim waits for and sends to', {
      field: 'start',
      hint: `add --url, e.g. --start ${JSON.stringify(start)} --url https://127.0.0.1:{port} ({port} picks a free port, given to the handler as PORT)`,
    });
  }
  const handler = inputs.read<string | undefined>('handler');
  if (handler !== undefined && (url !== undefined || start !== undefined)) {
    throw new UsageError(`--handler cannot be combined with ${start !== undefined ? '--start' : '--url'}: a run has exactly one target (--handler <module>, --start <command> --url <base>, or --url <base>)`, {
      field: 'handler',
      hint: '--handler serves your module on a port cosigner-sim picks, so it takes no --url; drop one of them',
    });
  }
  const image = inputs.read<string | undefined>('image');
  // An integer option with no default: absent is no port, not a bad one.
  const port = inputs.raw('port').value === undefined ? undefined : inputs.read<number>('port');
  // Exactly one kind per run: each of these flags names a handler of its own.
  const kinds = [...(image !== undefined ? ['--image'] : []), ...(handler !== undefined ? ['--handler'] : []), ...(start !== undefined ? ['--start'] : []), ...(url !== undefined && start === undefined ? ['--url'] : [])];
  if (image !== undefined && kinds.length > 1) {
    throw new UsageError(`${kinds.join(' and ')} each name the handler to test; give one per run`, {
      field: 'image',
      hint: '--image runs your image and finds its URL itself: drop --url/--start, or drop --image to test a handler you start yourself',
    });
  }
  if (image !== undefined && port === undefined) {
    throw new UsageError('--image needs --port: the port the handler listens on inside the container', { field: 'port', hint: `e.g. --image ${image} --port 8443` });
  }
  for (const key of ['port', 'mountKeys', 'network'] as const) {
    if (image === undefined && inputs.raw(key).origin.kind !== 'default') {
      throw new UsageError(`${flagName(optionSpec(key))} only applies to --image`, { field: key, hint: 'add --image <name[:tag]>, or drop the flag' });
    }
  }
  if (port !== undefined && port > 65535) throw new UsageError(`Invalid value for --port: ${port} is not a TCP port (1-65535)`, { field: 'port', hint: 'the port the handler listens on inside the container, e.g. --port 8443' });
  const mountKeys = inputs.read<string | undefined>('mountKeys') ?? '/kit';
  if (!mountKeys.startsWith('/')) throw new UsageError(`Invalid value for --mount-keys: ${JSON.stringify(mountKeys)} is not an absolute path`, { field: 'mountKeys', hint: 'a folder inside the container, e.g. --mount-keys /run/secrets/cosigner-sim' });
  const env: Record<string, string> = {};
  for (const item of inputs.read<string[]>('env')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item);
    if (!m) throw new UsageError(`Invalid value for --env: ${JSON.stringify(item)} is not KEY=VALUE`, { field: 'env', hint: 'e.g. --env LOG_LEVEL=debug (the name: letters, digits and _, not starting with a digit)' });
    env[m[1]!] = m[2]!;
  }
  if (Object.keys(env).length > 0 && image === undefined && start === undefined) {
    throw new UsageError('--env sets variables for a handler cosigner-sim starts, and this run starts none', { field: 'env', hint: 'use it with --start or --image; a handler you started yourself has its own environment' });
  }
  for (const key of ['readyPath', 'cwd', 'keepKit'] as const) {
    const v = inputs.read<unknown>(key);
    if (v !== undefined && v !== false && start === undefined) {
      throw new UsageError(`${flagName(optionSpec(key))} is for a handler cosigner-sim starts, and no --start was given`, {
        field: key,
        hint: `add --start "<command>" (e.g. --start "npm start" --url https://127.0.0.1:{port}), or drop ${flagName(optionSpec(key))}`,
      });
    }
  }
  const readyPath = inputs.read<string | undefined>('readyPath');
  if (readyPath !== undefined && !readyPath.startsWith('/')) {
    throw new UsageError(`Invalid value for --ready-path: ${JSON.stringify(readyPath)}. Expected a path starting with /.`, { field: 'readyPath', hint: 'e.g. --ready-path /healthz (asked of the origin of --url)' });
  }
  const proxy = inputs.read<string | undefined>('proxy');
  if (proxy !== undefined) checkProxyUrl(proxy, '--proxy');
  // --start starts a handler per option, so --option all fits it; a running handler serves one option.
  if (option === 'all' && url !== undefined && start === undefined) {
    throw new UsageError('--option all runs the embedded reference handler once per option, so it cannot be used with --url', {
      field: 'option',
      hint: 'a real handler serves one option: pass that one, e.g. --option 4',
    });
  }
  const profile = readProfile(inputs);
  checkProfileOptions({ option, profile });
  const out: CommonOptions = {
    option,
    profile,
    checkHostname: inputs.read('checkHostname'),
    timeoutMs: inputs.read('timeout'),
    readyTimeoutMs: inputs.read('readyTimeout'),
    mountKeys,
    network: inputs.read<'bridge' | 'host' | undefined>('network') ?? 'bridge',
    env,
    seed: inputs.read('seed'),
    reporters: inputs.read('reporter'),
    strict: inputs.read('strict'),
    acceptWarning: inputs.read('acceptWarning'),
    showSecrets: inputs.read('showSecrets'),
    color: inputs.read('color'),
    optionalFields: inputs.read('optionalFields'),
    verbose: inputs.read('verbose'),
    keepKit: inputs.read('keepKit'),
    dryRun: optionSpec('dryRun').commands.includes(inputs.command) ? inputs.read('dryRun') : false,
  };
  if (url !== undefined) out.url = url;
  if (start !== undefined) out.start = start;
  if (image !== undefined) out.image = image;
  if (port !== undefined) out.port = port;
  if (readyPath !== undefined) out.readyPath = readyPath;
  for (const key of ['cwd', 'marker'] as const) {
    const v = inputs.read<string | undefined>(key);
    if (v !== undefined) out[key] = v;
  }
  if (proxy !== undefined) out.proxy = proxy;
  if (handler !== undefined) out.handler = handler;
  for (const key of ['kit', 'handlerPublicKey', 'pinnedCert', 'ca'] as const) {
    const v = inputs.read<string | undefined>(key);
    if (v !== undefined) out[key] = v;
  }
  const cosignerKeys = inputs.read<string[]>('cosignerKey');
  if (cosignerKeys.length > 0) out.cosignerKey = cosignerKeys;
  const contentType = inputs.read<RequestContentType | undefined>('contentType');
  if (contentType !== undefined) out.contentType = contentType;
  if (inputs.config) out.configFile = inputs.config.file;
  // Checked here, not when the target opens: a wrong URL or a key the option never uses must
  // not cost a key generation (seconds) or leave a server starting.
  // The paths stand in for the files (only presence matters) and label the errors.
  const given = Object.fromEntries((['cosignerKey', 'handlerPublicKey', 'pinnedCert', 'ca'] as const).flatMap((k) => (out[k] !== undefined ? [[k, out[k]]] : [])));
  for (const n of optionsOf(out)) {
    // `{port}` is a port cosigner-sim picks when it starts the handler; any port stands in for it here.
    if (url !== undefined) validateBaseUrl(start !== undefined ? url.replaceAll('{port}', '1') : url, n);
    assertMaterialFits({ option: n, ...given, labels: given });
  }
  return out;
}

/**
 * Turn `run`'s flags (plus the config file) into typed, validated options. Throws UsageError,
 * InvalidOptionError or ConfigInvalidError (all exit 2) naming the flag or config key.
 *
 * @example
 * resolveRunOptions(['scenarios/'], flags, undefined).concurrency // 1
 */
export function resolveRunOptions(paths: string[], flags: RawFlags, config: LoadedConfig | undefined): RunCommandOptions {
  const inputs = new Inputs('run', flags, config);
  const common = readCommon(inputs);
  const configPaths = inputs.read<string[]>('paths');
  const out: RunCommandOptions = {
    ...common,
    paths: paths.length > 0 ? paths : configPaths.length > 0 ? configPaths : DEFAULT_PATHS,
    bail: inputs.read('bail'),
    concurrency: inputs.read('concurrency'),
  };
  const grep = inputs.read<string | undefined>('grep');
  if (grep !== undefined) out.grep = grep;
  const tag = inputs.read<string | undefined>('tag');
  if (tag !== undefined) out.tag = tag;
  return out;
}

/**
 * Turn `conformance`'s flags (plus the config file) into typed, validated options; an unknown
 * `--skip` id is refused here, before the battery's keys are made.
 *
 * @example
 * resolveConformanceOptions(flags, undefined).slowFraction // 0.5
 */
export function resolveConformanceOptions(flags: RawFlags, config: LoadedConfig | undefined): ConformanceCliOptions {
  const inputs = new Inputs('conformance', flags, config);
  inputs.read('set'); // checks the syntax of every item (path=value, a valid path)
  const base = inputs.read<string[]>('base');
  return {
    ...readCommon(inputs),
    skip: inputs.read('skip'),
    slowFraction: inputs.read('slowFraction'),
    set: typedOverrides(optionSpec('set'), inputs.raw('set'), 'tx_sign_request'),
    base,
    endpoints: inputs.read('endpoints'),
    knownFailures: [...new Set([...inputs.read<string[]>('knownFailures'), ...inputs.read<string[]>('expectFail')])],
    batteryConcurrency: inputs.read('batteryConcurrency'),
  };
}

/** Every load run is bounded: at most this long, or this many requests. */
export const LOAD_MAX_DURATION_MS = 3_600_000;
export const LOAD_MAX_REQUESTS = 1_000_000;

/** `50/s`, `600/m`, `2.5/s` → requests per second; the unit is always written, as for durations. */
function readRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|m)\s*$/.exec(text);
  const n = m ? Number(m[1]) / (m[2] === 'm' ? 60 : 1) : NaN;
  if (!(n > 0) || n > 10_000) {
    throw new UsageError(`Invalid value for --rate: ${JSON.stringify(text)}. Expected requests per second or minute, like 50/s or 600/m (more than 0, at most 10000/s).`, {
      field: 'rate',
      hint: 'e.g. --rate 50/s; or --concurrency 16 for a closed loop that keeps 16 requests in flight',
    });
  }
  return n;
}

/**
 * Turn `load`'s flags (plus the config file) into typed, validated options: exactly one of
 * --duration and --requests, --rate or --concurrency (not both), a --mix that parses, a single
 * option. Throws UsageError (exit 2) naming the flag.
 *
 * @example
 * resolveLoadOptions(flags, undefined).mode // { kind: 'closed', concurrency: 1 }
 */
export function resolveLoadOptions(flags: RawFlags, config: LoadedConfig | undefined): LoadCliOptions {
  const inputs = new Inputs('load', flags, config);
  const common = readCommon(inputs);
  if (common.option === 'all') {
    throw new UsageError('--option all does not apply to load: a load run measures one handler under one option', { field: 'option', hint: 'pass the option your handler serves, e.g. --option 4' });
  }
  for (const r of common.reporters) {
    if (r.name === 'junit' || r.name === 'ctrf') {
      throw new UsageError(`--reporter ${r.name}: load reports figures, not test cases, so it writes pretty, json and github only`, { field: 'reporter', hint: 'use --reporter json:<file> for a machine-readable report' });
    }
  }
  const given = (key: OptionKey) => inputs.raw(key).origin.kind !== 'default';
  const durationMs = given('duration') ? inputs.read<number>('duration') : undefined;
  const requests = given('requests') ? inputs.read<number>('requests') : undefined;
  if ((durationMs === undefined) === (requests === undefined)) {
    throw new UsageError(durationMs === undefined ? 'load needs --duration or --requests: every load run is bounded' : '--duration and --requests both bound the run; give one', {
      field: durationMs === undefined ? 'duration' : 'requests',
      hint: 'e.g. --duration 30s or --requests 5000',
    });
  }
  if (durationMs !== undefined && durationMs > LOAD_MAX_DURATION_MS) throw new UsageError(`Invalid value for --duration: at most 1h (${LOAD_MAX_DURATION_MS} ms)`, { field: 'duration', hint: 'e.g. --duration 5m' });
  if (requests !== undefined && requests > LOAD_MAX_REQUESTS) throw new UsageError(`Invalid value for --requests: at most ${LOAD_MAX_REQUESTS}`, { field: 'requests', hint: 'e.g. --requests 20000' });
  const rateText = inputs.read<string | undefined>('rate');
  const mixText = inputs.read<string | undefined>('mix') ?? 'tx';
  const preset = mixPreset(mixText);
  if (preset && (rateText !== undefined || given('concurrency'))) {
    const flag = rateText !== undefined ? 'rate' : 'concurrency';
    throw new UsageError(`--${flag} does not apply to --mix ${preset.name}: it paces itself (every ${preset.burst.everyMs / 1000}s, each of its ${preset.cosigners} Co-signers sends ${preset.burst.size} requests at once)`, {
      field: flag,
      hint: 'drop --rate and --concurrency; bound the run with --duration or --requests, and --max-in-flight if need be',
    });
  }
  if (rateText !== undefined && given('concurrency')) {
    throw new UsageError('--rate and --concurrency pick two different loops (open at a fixed rate, closed at a fixed count in flight); give one', { field: 'rate', hint: 'e.g. --rate 50/s, or --concurrency 16' });
  }
  if (rateText === undefined && preset === undefined && given('maxInFlight')) {
    throw new UsageError('--max-in-flight bounds the open loop, and no --rate was given', { field: 'maxInFlight', hint: 'add --rate <n/s>; with --concurrency exactly that many are in flight' });
  }
  const mode: LoadMode = preset
    ? presetMode(preset, inputs.read<number>('maxInFlight'))
    : rateText !== undefined
      ? { kind: 'open', ratePerSec: readRate(rateText), maxInFlight: inputs.read<number>('maxInFlight') }
      : { kind: 'closed', concurrency: inputs.read<number>('concurrency') };
  const out: LoadCliOptions = {
    ...common,
    option: common.option,
    mode,
    stop: durationMs !== undefined ? { durationMs } : { requests: requests! },
    mixText,
    mix: parseMix(preset?.mix ?? mixText),
    ...(preset ? { preset } : {}),
    reuseConnections: inputs.read<boolean>('reuseConnections'),
    base: inputs.read<string[]>('base'),
    warmupMs: given('warmup') ? inputs.read<number>('warmup') : 0,
    maxErrorRate: inputs.read<number>('maxErrorRate'),
  };
  const histogramOut = inputs.read<string | undefined>('histogramOut');
  if (histogramOut !== undefined) out.histogramOut = histogramOut;
  return out;
}

/**
 * Turn `selftest`'s flags (plus the config file's `selftest:` section) into its options.
 *
 * @example
 * resolveSelftestOptions(flags, undefined) // { allOptions: false, reporters: [] }
 */
export function resolveSelftestOptions(flags: RawFlags, config: LoadedConfig | undefined): SelftestCliOptions {
  const inputs = new Inputs('selftest', flags, config);
  return { allOptions: inputs.read('allOptions'), reporters: inputs.read('reporter') };
}

/**
 * Turn `send`'s flags (plus the config file) into typed, validated options. The overrides are
 * tried on a request built from the same seed, so a path the payload lacks is exit 2 here.
 *
 * @example
 * resolveSendOptions('config', flags, undefined).stage // 'approval'
 */
export function resolveSendOptions(kind: 'tx' | 'config', flags: RawFlags, config: LoadedConfig | undefined): SendOptions {
  const inputs = new Inputs('send', flags, config);
  const common = readCommon(inputs);
  const stageRaw = inputs.raw('stage');
  const stageValue = inputs.read<Stage | undefined>('stage');
  const type = inputs.read<string | undefined>('type');
  const batched = inputs.read<boolean>('batched');
  if (kind === 'config') {
    if (stageValue === 'signing' && stageRaw.origin.kind === 'flag') {
      throw new UsageError('--stage signing is for tx requests: configuration changes are always approvals', { field: 'stage', hint: 'drop --stage, or send a tx: cosigner-sim send tx --stage signing' });
    }
    if (batched && inputs.typed('batched')) {
      throw new UsageError('--batched is for tx requests: configuration changes are never batched', { field: 'batched', hint: 'drop --batched, or send a tx: cosigner-sim send tx --batched' });
    }
  } else if (type !== undefined && inputs.typed('type')) {
    throw new UsageError('--type names a configuration change type, for `send config`', {
      field: 'type',
      hint: 'send config --type ADD_USER; for a transaction operation use --set operation=CONTRACT_CALL',
    });
  }
  const allowUnknownType = inputs.read<boolean>('allowUnknownType');
  // The types the profile's Co-signer sends: a newer one is exit 2 naming the version it arrived with.
  const problem = kind === 'config' && type !== undefined && !allowUnknownType ? configTypeProblem(common.profile, type) : undefined;
  if (type !== undefined && problem?.kind === 'unavailable') {
    throw invalid(optionSpec('type'), inputs.raw('type'), problem.message, problem.hint.replace('(allowUnknownType)', '(--allow-unknown-type)'));
  }
  if (type !== undefined && problem?.kind === 'unknown') {
    const types = configTypesOf(common.profile);
    throw invalid(
      optionSpec('type'),
      inputs.raw('type'),
      `${JSON.stringify(type)} is not a documented configuration change type. Did you mean ${nearestConfigType(type, types)}?`,
      `the types of ${common.profile.id}: ${types.join(', ')}; to send an undocumented one on purpose (a future type) add --allow-unknown-type`,
    );
  }
  inputs.read('set'); // checks the syntax of every item (path=value, a valid path)
  const json = inputs.read<Record<string, unknown>>('setJson');
  const endpoint: Endpoint = kind === 'config' ? 'config_change_sign_request' : 'tx_sign_request';
  const out: SendOptions = {
    ...common,
    kind,
    stage: kind === 'config' ? 'approval' : (stageValue ?? 'signing'),
    allowUnknownType,
    set: { ...typedOverrides(optionSpec('set'), inputs.raw('set'), endpoint), ...json },
    verbatim: Object.keys(json),
    unset: inputs.read('unset'),
    batched: kind === 'tx' && batched,
    base: inputs.read('base'),
    stageGiven: stageRaw.origin.kind !== 'default',
  };
  if (kind === 'config' && type !== undefined) out.type = type;
  const cosigner = inputs.raw('cosigner').value === undefined ? undefined : inputs.read<number>('cosigner');
  if (cosigner !== undefined) out.cosigner = cosigner;
  // The request the Co-signer will send is built from the seed alone: build it now to try the
  // overrides (an index past the end of an array is CSIM_OVERRIDE_PATH) before anything starts.
  const factory = createRequestFactory({ seed: out.seed, optionalFields: out.optionalFields, profile: out.profile });
  const payload = Object.keys(out.set).length > 0 ? { payload: out.set, verbatim: out.verbatim } : {};
  const unset = out.unset.length > 0 ? { unset: out.unset } : {};
  if (kind === 'config') factory.configChange({ ...(out.type !== undefined ? { type: out.type } : {}), ...payload, ...unset });
  else factory.tx({ stage: out.stage, ...(out.batched ? { batched: true } : {}), ...payload, ...unset });
  return out;
}

/** `decode`'s options, typed and validated. */
export interface DecodeCliOptions {
  /** The argument: the token or JSON itself, a file that holds it, or `-` for stdin. */
  input: string;
  /** `--key <pem>`: verify with it (public or private PEM). */
  key?: string;
  /** `--request <jwt>`: the request a response answers (text, a file, or `-`). */
  request?: string;
  /** `--save-scenario <file>`: write a scenario that replays the decoded request. */
  saveScenario?: string;
  /** `pretty` (default) or `json`, to stdout. */
  reporter: 'pretty' | 'json';
  showSecrets: boolean;
  color: boolean;
}

/** The reporters decode speaks: one document about one message, to stdout. */
const DECODE_REPORTERS = ['pretty', 'json'] as const;

/**
 * Turn `decode`'s argument and flags (plus the config file's `decode:` section) into its options.
 *
 * @example
 * resolveDecodeOptions('token.jwt', flags, undefined).reporter // 'pretty'
 */
export function resolveDecodeOptions(input: string, flags: RawFlags, config: LoadedConfig | undefined): DecodeCliOptions {
  const inputs = new Inputs('decode', flags, config);
  const spec = optionSpec('reporter');
  const reporterRaw = inputs.raw('reporter');
  // A top-level `reporter:` is for the commands that run scenarios (`junit:reports/x.xml`): decode
  // prints one document, and takes its reporter only from the flag or its own `decode:` section.
  const fromTop = reporterRaw.origin.kind === 'config' && !reporterRaw.origin.field.startsWith('decode.');
  const reporters = fromTop ? [] : inputs.read<ReporterSpec[]>('reporter');
  const bad = reporters.find((r) => !(DECODE_REPORTERS as readonly string[]).includes(r.name) || r.file !== undefined);
  if (bad || reporters.length > 1) {
    throw invalid(
      spec,
      reporterRaw,
      bad ? `${JSON.stringify(bad.file !== undefined ? `${bad.name}:${bad.file}` : bad.name)}: decode reports with pretty or json, to stdout.` : 'decode takes one reporter.',
      'e.g. cosigner-sim decode token.jwt --reporter json > decoded.json',
    );
  }
  const request = inputs.read<string | undefined>('request');
  if (input === '-' && request === '-') {
    throw new UsageError('only one of the input and --request can be read from stdin (-)', { field: 'request', hint: 'put the request in a file: --request request.jwt' });
  }
  const out: DecodeCliOptions = {
    input,
    reporter: reporters[0]?.name === 'json' ? 'json' : 'pretty',
    showSecrets: inputs.read('showSecrets'),
    color: inputs.read('color'),
  };
  const key = inputs.read<string | undefined>('key');
  if (key !== undefined) out.key = key;
  if (request !== undefined) out.request = request;
  const saveScenario = inputs.read<string | undefined>('saveScenario');
  if (saveScenario !== undefined) out.saveScenario = saveScenario;
  return out;
}

/** `init`'s options, typed and validated. */
export interface InitCliOptions {
  /** The folder to write into, as given (relative to the working folder). */
  dir: string;
  /** Decides what the user gives the real Co-signer; absent only with `keysOnly` (a kit serves every option). */
  option?: SecurityOptionNumber;
  keysOnly: boolean;
  /** More names the handler certificates cover. */
  hosts: string[];
  /** A handler private key to reuse, as given. */
  handlerKey?: string;
  force: boolean;
}

/**
 * Turn `init`'s flags into typed options. `init` reads no config file (it writes one), and
 * `--option` is required unless `--keys-only`: it decides what the user gives the real Co-signer.
 *
 * @example
 * resolveInitOptions('.', flags); // { dir: '.', option: 4, keysOnly: false, hosts: [], force: false }
 */
export function resolveInitOptions(dir: string, flags: RawFlags): InitCliOptions {
  if (flags.typed('config')) {
    throw new UsageError('init reads no config file: it writes cosigner-sim.config.yaml into the folder', { field: 'config', hint: 'drop --config; after init, `cosigner-sim run` in that folder reads the written file' });
  }
  const inputs = new Inputs('init', flags, undefined);
  const keysOnly = inputs.read<boolean>('keysOnly');
  const out: InitCliOptions = { dir, keysOnly, hosts: inputs.read('host'), force: inputs.read('force') };
  const handlerKey = inputs.read<string | undefined>('handlerKey');
  if (handlerKey !== undefined) out.handlerKey = handlerKey;
  const options = Object.values(SECURITY_OPTIONS)
    .map((o) => `${o.option} ${o.label}`)
    .join(', ');
  if (!inputs.typed('option')) {
    if (keysOnly) return out;
    throw new UsageError('init needs --option: it decides what you give the real Co-signer (a public key, a certificate to pin, or a Root CA)', {
      field: 'option',
      hint: `e.g. cosigner-sim init --option 1; the options: ${options}. Or --keys-only for just the kit`,
    });
  }
  const option = inputs.read<OptionChoice>('option');
  if (option === 'all') {
    throw new UsageError('init --option all: a real handler serves one option, and init says what to give the Co-signer for that one', { field: 'option', hint: `pass one of: ${options}` });
  }
  out.option = option;
  return out;
}
