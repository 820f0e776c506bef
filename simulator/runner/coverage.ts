/**
 * What a run exercised and what it never did: the answers the handler gave, the request kinds
 * and stages, the operations, configuration-change types and destination types it was sent,
 * and whether it ever met several destinations, a batched request or a request without its
 * optional fields. A green suite that never tried RETRY or the approval stage says so here.
 *
 * Only exchanges that got a readable answer count (the handler's `action` could be read): a
 * request the handler never answered proves nothing about how it decides. The denominators come
 * from the profile the run simulates (its config-change types) and the documented operations and
 * destination types [protocol.md §4.5, §6]. Pure: no I/O.
 */
import { configTypesOf, resolveProfile, type Profile } from '../protocol/profiles.js';
import { DEST_TYPES } from '../protocol/tx-templates.js';
import { ACTIONS, TX_OPERATIONS, type Action, type CallbackResult } from '../protocol/types.js';
import type { ScenarioResult } from './types.js';

/** The request kinds and stages a handler can be sent [protocol.md §4.7, §6]. */
export const REQUEST_KINDS = ['tx-approval', 'tx-signing', 'config-change'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

const KIND_TEXT: Readonly<Record<RequestKind, string>> = { 'tx-approval': 'the approval stage of transactions', 'tx-signing': 'the signing stage', 'config-change': 'configuration changes' };

/** How often each value was seen, over the values that could be: every one of them is a key. */
export type Tally<K extends string> = Record<K, number>;

/** One dimension whose values come from a list: how many were seen, and which never were. */
export interface CoverageSet {
  /** Count per value, every value of the list present (0 when never seen). */
  seen: Record<string, number>;
  /** Values seen that the list does not hold (a `--type` of your own, an override), with counts. */
  other?: Record<string, number>;
  never: string[];
}

/** The `coverage` object of the run report. */
export interface Coverage {
  /** The profile whose lists gave the denominators. */
  profile: string;
  /** Exchanges that got a readable answer: the ones counted. */
  exchanges: number;
  /** Exchanges left out: no response, or no `action` could be read from it. */
  unreadable: number;
  actions: Tally<Action>;
  kinds: Tally<RequestKind>;
  operations: CoverageSet;
  configTypes: CoverageSet;
  destinationTypes: CoverageSet;
  /** Transaction requests with more than one destination. */
  severalDestinations: number;
  /** Requests whose `requestId` carries a batch suffix (it differs from `txId`). */
  batched: number;
  /** Requests sent without one or more optional fields. */
  optionalFieldsMissing: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function tally<K extends string>(keys: readonly K[]): Tally<K> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Tally<K>;
}

function counter(list: readonly string[]): { add(value: unknown): void; done(): CoverageSet } {
  const seen: Record<string, number> = Object.fromEntries(list.map((v) => [v, 0]));
  const other: Record<string, number> = {};
  return {
    add(value) {
      if (typeof value !== 'string') return;
      if (value in seen) seen[value]!++;
      else other[value] = (other[value] ?? 0) + 1;
    },
    done: () => ({ seen, ...(Object.keys(other).length > 0 ? { other } : {}), never: list.filter((v) => seen[v] === 0) }),
  };
}

/** The handler's action when it could be read, else undefined. */
function readableAction(ex: CallbackResult): string | undefined {
  return ex.response && typeof ex.decision.action === 'string' ? ex.decision.action : undefined;
}

/**
 * Count what the run's exchanges exercised: every attempt of every step of every scenario.
 *
 * @example
 * const c = computeCoverage(report.results, resolveProfile('latest'));
 * c.actions.RETRY; // 0: the suite never saw a RETRY answer
 */
export function computeCoverage(results: readonly ScenarioResult[], profile: Profile = resolveProfile('latest')): Coverage {
  const actions = tally(ACTIONS);
  const kinds = tally(REQUEST_KINDS);
  const operations = counter(TX_OPERATIONS);
  const configTypes = counter(configTypesOf(profile));
  const destinationTypes = counter(DEST_TYPES);
  let exchanges = 0;
  let unreadable = 0;
  let severalDestinations = 0;
  let batched = 0;
  let optionalFieldsMissing = 0;
  for (const ex of results.flatMap((r) => r.steps.flatMap((s) => s.attempts))) {
    const action = readableAction(ex);
    if (action === undefined) {
      unreadable++;
      continue;
    }
    exchanges++;
    if ((ACTIONS as readonly string[]).includes(action)) actions[action as Action]++;
    const { request } = ex;
    const payload = isObject(request.payload) ? request.payload : {};
    if (request.omittedFields?.length) optionalFieldsMissing++;
    if (request.endpoint === 'config_change_sign_request') {
      kinds['config-change']++;
      configTypes.add(payload['type']);
      continue;
    }
    kinds[request.stage === 'approval' ? 'tx-approval' : 'tx-signing']++;
    operations.add(payload['operation']);
    const destinations = Array.isArray(payload['destinations']) ? payload['destinations'] : [];
    // Each type once per request: five UNMANAGED destinations are one request to an unmanaged wallet.
    const types = new Set(destinations.map((d) => (isObject(d) ? d['dstType'] : undefined)));
    if (types.size === 0) types.add(payload['destType']);
    for (const t of types) destinationTypes.add(t);
    if (destinations.length > 1) severalDestinations++;
    if (request.txId !== undefined && request.requestId !== request.txId) batched++;
  }
  return {
    profile: profile.id,
    exchanges,
    unreadable,
    actions,
    kinds,
    operations: operations.done(),
    configTypes: configTypes.done(),
    destinationTypes: destinationTypes.done(),
    severalDestinations,
    batched,
    optionalFieldsMissing,
  };
}

function ofList(set: CoverageSet, noun: string): string {
  const total = Object.keys(set.seen).length;
  return `${noun}: ${set.never.length} of ${total} never sent (${set.never.join(', ')})`;
}

function seenList(set: CoverageSet, noun: string): string {
  const total = Object.keys(set.seen).length;
  return `${total - set.never.length} of ${total} ${noun}`;
}

/**
 * The summary in a few lines: what was counted, what was exercised, what never was. The first
 * line is the headline; each "never" list that names values gets its own line.
 *
 * @example
 * coverageLines(computeCoverage(results)).join('\n');
 * // 'exercised: 3 exchanges with a readable answer · APPROVE 3 · the signing stage 3 · 1 of 9 operations · …'
 * // 'never exercised: RETRY answers, IGNORE answers, REJECT answers; the approval stage; …'
 * // 'config types: 13 of 13 never sent (UNMANAGED_WALLET, …)'
 */
export function coverageLines(c: Coverage): string[] {
  const answered = ACTIONS.filter((a) => c.actions[a] > 0).map((a) => `${a} ${c.actions[a]}`);
  const kinds = REQUEST_KINDS.filter((k) => c.kinds[k] > 0).map((k) => `${KIND_TEXT[k]} ${c.kinds[k]}`);
  const exercised = [
    `${c.exchanges} exchange${c.exchanges === 1 ? '' : 's'} with a readable answer${c.unreadable > 0 ? ` (${c.unreadable} without one, not counted)` : ''}`,
    ...(answered.length > 0 ? [answered.join(', ')] : []),
    ...(kinds.length > 0 ? [kinds.join(', ')] : []),
    seenList(c.operations, 'operations'),
    seenList(c.configTypes, 'config types'),
    seenList(c.destinationTypes, 'destination types'),
  ];
  const never = [
    ACTIONS.filter((a) => c.actions[a] === 0).map((a) => `${a} answers`).join(', '),
    REQUEST_KINDS.filter((k) => c.kinds[k] === 0).map((k) => KIND_TEXT[k]).join(', '),
    ...(c.severalDestinations === 0 ? ['several destinations'] : []),
    ...(c.batched === 0 ? ['batched requests'] : []),
    ...(c.optionalFieldsMissing === 0 ? ['requests missing optional fields'] : []),
  ].filter((s) => s !== '');
  const lists = ([
    [c.operations, 'operations'],
    [c.configTypes, 'config types'],
    [c.destinationTypes, 'destination types'],
  ] as const).filter(([set]) => set.never.length > 0).map(([set, noun]) => ofList(set, noun));
  if (never.length === 0 && lists.length === 0) return [`exercised: ${exercised.join(' · ')}`, 'never exercised: nothing: every answer, stage, operation, type and shape was sent'];
  return [`exercised: ${exercised.join(' · ')}`, `never exercised: ${never.length > 0 ? never.join('; ') : 'every answer, stage and shape was seen; these values were not:'}`, ...lists];
}
