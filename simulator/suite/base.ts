/**
 * Base requests: what a valid request looks like to the handler under test, given as `--set
 * path=value` and/or `--base <scenario file>[#name]`. One resolver for every command that sends
 * requests it did not read from a scenario (`send`, `conformance`, a future load mode), so that
 * `--base` means the same thing everywhere.
 */
import { ScenarioInvalidError, UsageError } from '../errors.js';
import type { Profile } from '../protocol/profiles.js';
import type { Stage } from '../protocol/types.js';
import { loadScenarioFile } from './load.js';
import { checkBaseConfigType } from './profile-check.js';
import type { DestinationSpec, Scenario } from './types.js';

/** The request of one endpoint that every derived request starts from. */
export interface BaseRequest {
  kind: 'tx' | 'config';
  /** Where it came from, for messages: `--set`, `scenarios/approve.yaml#big transfer`, or both. */
  source: string;
  /** tx only: the scenario's stage, if it says one. */
  stage?: Stage;
  /** config only: the change type. */
  configType?: string;
  /** tx only. */
  operation?: string;
  destType?: string;
  destinations?: number | DestinationSpec[];
  /** Deep overrides (dotted paths) merged over the default payload. */
  payload: Record<string, unknown>;
  /** Keys of `payload` sent as written (`--set-json`). */
  verbatim: string[];
  unset: string[];
}

/** At most one base per endpoint. */
export interface BaseRequests {
  tx?: BaseRequest;
  config?: BaseRequest;
}

/** What the CLI (or a config file) gives. */
export interface BaseInput {
  /** `--set` overrides, already typed (dotted path → value): they shape the tx base. */
  set?: Record<string, unknown>;
  /** The keys of `set` sent as written. */
  verbatim?: readonly string[];
  /** `--base <file>[#name]`, repeatable: at most one tx and one config scenario. */
  base?: readonly string[];
  /** The working folder the files are relative to (default: process.cwd()). */
  cwd?: string;
  /**
   * The Co-signer version the command sends under: a config base whose `configType` it never
   * sends is refused (exit 2) with run's message. Leave it out when the base's type is not sent
   * (`send config --type` wins over it).
   */
  profile?: Profile;
}

/**
 * Split `file#name` at the last `#` (a file name may hold `#` only before the name).
 *
 * @example
 * splitBaseRef('scenarios/tx.yaml#big transfer'); // { file: 'scenarios/tx.yaml', name: 'big transfer' }
 */
export function splitBaseRef(ref: string): { file: string; name?: string } {
  const hash = ref.lastIndexOf('#');
  if (hash <= 0) return { file: ref };
  return { file: ref.slice(0, hash), name: ref.slice(hash + 1) };
}

function pick(ref: string, file: string, name: string | undefined, scenarios: Scenario[]): Scenario {
  const list = scenarios.map((s) => JSON.stringify(s.name)).join(', ');
  if (name === undefined) {
    if (scenarios.length === 1) return scenarios[0]!;
    throw new UsageError(`--base ${ref}: the file holds ${scenarios.length} scenarios, so the base must name one`, {
      field: 'base',
      file,
      hint: `write --base '${file}#<name>' with one of: ${list}`,
    });
  }
  const found = scenarios.filter((s) => s.name === name);
  if (found.length !== 1) {
    throw new UsageError(`--base ${ref}: ${found.length === 0 ? `no scenario named ${JSON.stringify(name)}` : `${found.length} scenarios are named ${JSON.stringify(name)} (an each: table expands to one per row)`} in ${file}`, {
      field: 'base',
      file,
      hint: `the scenarios of ${file}: ${list}`,
    });
  }
  return found[0]!;
}

/** A scenario → its one request as a base; a multi-step or raw-body scenario is refused. */
function fromScenario(ref: string, file: string, s: Scenario): BaseRequest {
  if (s.steps.length !== 1) {
    throw new UsageError(`--base ${ref}: scenario ${JSON.stringify(s.name)} has ${s.steps.length} steps (${s.steps.map((st, i) => st.name ?? `step ${i + 1}`).join(', ')}); a base is one request`, {
      field: 'base',
      file,
      hint: 'name a scenario with one request, or copy that step into a scenario of its own',
    });
  }
  const r = s.steps[0]!.request;
  if (r.body !== undefined || r.payloadMode === 'exact') {
    throw new ScenarioInvalidError(`--base ${ref}: scenario ${JSON.stringify(s.name)} ${r.body !== undefined ? 'sends a raw body:' : 'uses payloadMode: exact;'} probes need a payload they can build fresh requests from`, {
      file: s.line !== undefined ? `${file}:${s.line}` : file,
      hint: 'give the base as request.payload overrides (payloadMode template, the default)',
    });
  }
  const out: BaseRequest = { kind: r.type, source: `${file}#${s.name}`, payload: { ...(r.payload ?? {}) }, verbatim: [], unset: [...(r.unset ?? [])] };
  if (r.type === 'tx') {
    if (r.stage !== undefined) out.stage = r.stage;
    if (r.operation !== undefined) out.operation = r.operation;
    if (r.destType !== undefined) out.destType = r.destType;
    if (r.destinations !== undefined) out.destinations = r.destinations;
  } else if (r.configType !== undefined) out.configType = r.configType;
  return out;
}

/**
 * Resolve `--set` and `--base` into at most one base per endpoint. `--set` shapes the tx base and
 * wins over a tx scenario's payload. Throws (exit 2) for a file that does not load, a `#name`
 * that selects no scenario or several, a multi-step scenario (naming its steps), two
 * scenarios for one endpoint, or (given `profile`) a config type that profile never sends.
 *
 * @example
 * const bases = await resolveBases({ set: { note: 'ticket-42' }, base: ['scenarios/config.yaml#add user'] });
 * bases.tx?.payload.note; // 'ticket-42'
 */
export async function resolveBases(input: BaseInput): Promise<BaseRequests> {
  const out: BaseRequests = {};
  for (const ref of input.base ?? []) {
    const { file, name } = splitBaseRef(ref);
    const scenarios = await loadScenarioFile(file, input.cwd !== undefined ? { cwd: input.cwd } : {});
    const picked = pick(ref, file, name, scenarios);
    if (input.profile) checkBaseConfigType(picked, input.profile);
    const base = fromScenario(ref, file, picked);
    const taken = out[base.kind];
    if (taken) {
      throw new UsageError(`--base ${ref}: a second ${base.kind} base (the first is ${taken.source}); give at most one tx and one config scenario`, {
        field: 'base',
        file,
        hint: 'drop one of them',
      });
    }
    out[base.kind] = base;
  }
  const set = input.set ?? {};
  if (Object.keys(set).length > 0) {
    const tx = out.tx ?? { kind: 'tx' as const, source: '--set', payload: {}, verbatim: [], unset: [] };
    if (out.tx) tx.source = `${tx.source} + --set`;
    // --set wins: drop what the scenario unset at the same path.
    tx.payload = { ...tx.payload, ...set };
    tx.unset = tx.unset.filter((p) => !(p in set));
    tx.verbatim = [...new Set([...tx.verbatim, ...(input.verbatim ?? [])])];
    out.tx = tx;
  }
  return out;
}

/**
 * The dotted fields a base fixes (set or unset): probes keep them as they are.
 *
 * @example
 * baseFields({ kind: 'tx', source: '--set', payload: { note: 'x' }, verbatim: [], unset: ['signerId'] }); // ['note', 'signerId']
 */
export function baseFields(base: BaseRequest | undefined): string[] {
  return base ? [...Object.keys(base.payload), ...base.unset] : [];
}

/**
 * True when two dotted paths touch the same field (equal, or one inside the other).
 *
 * @example
 * overlaps('extraParameters', 'extraParameters.csimPadding'); // true
 */
export function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}
