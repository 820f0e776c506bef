import { ALL_CONFIG_TYPES } from '../protocol/profiles.js';
import type { Action, Endpoint, Stage } from '../protocol/types.js';

/** The knobs of the reference policy. */
export interface PolicyConfig {
  /** Largest total USD value (sum of `destinations[].amountUSD`) that is approved. */
  limitUsd: number;
  /** Non-vault destination addresses that are approved; compared case-insensitively. */
  allowList: readonly string[];
}

/**
 * The defaults: a 100 000 USD limit, and the two destination addresses seen in the captured
 * Co-signer requests and the docs example [protocol.md §0.2, §10.1].
 */
export const DEFAULT_POLICY: Readonly<PolicyConfig> = {
  limitUsd: 100_000,
  allowList: ['0x5dC69B1Fbb13Bafd09af88a782F0F285772Ad5f8', '0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94'],
};

/** What the policy answers: `rejectionReason` is present on REJECT only. */
export interface PolicyDecision {
  action: Action;
  rejectionReason?: string;
}

/**
 * What the policy remembers between requests: how often each RETRY-marked request was seen.
 * One per handler instance; create it with {@link createPolicyState}.
 */
export interface PolicyState {
  /** `endpoint requestId` → number of times seen. */
  readonly seen: Map<string, number>;
}

/** Oldest entries are dropped past this, so a long-running handler does not grow without bound. */
const MAX_REMEMBERED = 10_000;

/**
 * The `externalTxId` marker that asks for RETRY answers: `csim-retry-<N>`, optionally followed by
 * `-anything` to keep ids unique (`csim-retry-2-7f3a`).
 */
export const RETRY_MARKER = /^csim-retry-(\d+)(?:-|$)/;

/** A fresh, empty state. */
export function createPolicyState(): PolicyState {
  return { seen: new Map() };
}

/**
 * The stage of a request: a `tx_sign_request` with a `fee` is a signing request, any other is
 * an approval; configuration changes are always approvals [protocol.md §4.7, §6].
 *
 * @example
 * inferStage('tx_sign_request', { requestId: 'r', fee: '0.0005' }); // 'signing'
 */
export function inferStage(endpoint: Endpoint, payload: Readonly<Record<string, unknown>>): Stage {
  if (endpoint === 'config_change_sign_request') return 'approval';
  return payload['fee'] !== undefined ? 'signing' : 'approval';
}

/**
 * The reference handler's policy: a pure decision from one request payload (plus the retry
 * counts in `state`, which it updates).
 *
 * Rules, in order:
 *
 * 1. **RETRY marker.** When `externalTxId` matches `/^csim-retry-(\d+)(?:-|$)/` (e.g.
 *    `csim-retry-2` or `csim-retry-2-run7`), answer RETRY the first N times this endpoint +
 *    `requestId` is seen, then decide by the rules below. Identical re-sends count, and the
 *    count does not depend on the stage. This lets a scenario exercise the Co-signer's retry
 *    loop, which re-sends the identical request [protocol.md §0.5.4, §7].
 * 2. **`tx_sign_request`, limit.** REJECT when the USD value, the sum of
 *    `destinations[].amountUSD` (a missing or non-numeric value counts as 0), exceeds
 *    `limitUsd` (default 100000): `amount 250000.00 USD exceeds the limit of 100000 USD`.
 * 3. **`tx_sign_request`, allow-list.** REJECT when a destination is not allowed:
 *    `destination 0xabc… is not in the allow-list`. A destination with `dstType` `VAULT` is
 *    internal and always allowed. Any other needs its address, the first non-empty of
 *    `dstAddress`, `displayDstAddress` and the top-level `destAddress` [protocol.md §4.1, §4.2],
 *    in `allowList` (compared case-insensitively). A request without `destinations` is judged
 *    by its top-level `destType` and `destAddress`.
 * 4. **`tx_sign_request`, otherwise** APPROVE.
 * 5. **`config_change_sign_request`.** APPROVE the documented `type`s (`CONFIG_CHANGE_TYPES`,
 *    [protocol.md §6]) and the newer Co-signers' (`PROTECTED_TAG_CHANGE` [U], `POLICY_CHANGE` [I],
 *    §14.5); IGNORE any other type, leaving the decision to other approvers.
 *
 * IGNORE is never answered to a signing request: it is only valid at the approval stage
 * [protocol.md §0.5.5, §4.7], and rule 5 is the only one that gives it (configuration changes
 * are always approvals).
 *
 * @example
 * const state = createPolicyState();
 * decide('tx_sign_request', { requestId: '9c794cee-7e27-46c9-9e9a-ed68295ff06b', destinations: [
 *   { dstType: 'UNMANAGED', dstAddress: '0x000000000000000000000000000000000000dEaD', amountUSD: 10 }] }, state);
 * // { action: 'REJECT', rejectionReason: 'destination 0x000000000000000000000000000000000000dEaD is not in the allow-list' }
 */
export function decide(
  endpoint: Endpoint,
  payload: Readonly<Record<string, unknown>>,
  state: PolicyState,
  config: Partial<PolicyConfig> = {},
): PolicyDecision {
  const retries = retryMarkerCount(payload['externalTxId']);
  if (retries > 0 && typeof payload['requestId'] === 'string') {
    const key = `${endpoint} ${payload['requestId']}`;
    const seen = (state.seen.get(key) ?? 0) + 1;
    state.seen.delete(key); // re-insert, so the Map's order is least recently seen first
    state.seen.set(key, seen);
    if (state.seen.size > MAX_REMEMBERED) {
      const oldest = state.seen.keys().next().value;
      if (oldest !== undefined) state.seen.delete(oldest);
    }
    if (seen <= retries) return { action: 'RETRY' };
  }

  if (endpoint === 'config_change_sign_request') {
    const type = payload['type'];
    const known = typeof type === 'string' && ALL_CONFIG_TYPES.includes(type);
    return { action: known ? 'APPROVE' : 'IGNORE' };
  }

  const limitUsd = config.limitUsd ?? DEFAULT_POLICY.limitUsd;
  const allowList = (config.allowList ?? DEFAULT_POLICY.allowList).map((a) => a.toLowerCase());
  const destinations = destinationsOf(payload);

  const usd = destinations.reduce((sum, d) => sum + (isFiniteNumber(d['amountUSD']) ? d['amountUSD'] : 0), 0);
  if (usd > limitUsd) {
    return { action: 'REJECT', rejectionReason: `amount ${usd.toFixed(2)} USD exceeds the limit of ${limitUsd} USD` };
  }

  for (const d of destinations) {
    if (d['dstType'] === 'VAULT') continue;
    const address = firstNonEmptyString(d['dstAddress'], d['displayDstAddress'], payload['destAddress']);
    if (address === undefined) {
      return { action: 'REJECT', rejectionReason: 'destination has no address to check against the allow-list' };
    }
    if (!allowList.includes(address.toLowerCase())) {
      return { action: 'REJECT', rejectionReason: `destination ${address} is not in the allow-list` };
    }
  }
  return { action: 'APPROVE' };
}

/** N from a `csim-retry-N` marker, or 0. */
function retryMarkerCount(externalTxId: unknown): number {
  if (typeof externalTxId !== 'string') return 0;
  const m = RETRY_MARKER.exec(externalTxId);
  return m ? Number(m[1]) : 0;
}

/**
 * The destinations to judge. Without a `destinations` array the top level describes the one
 * destination (`destType`, `destAddress`) [protocol.md §4.1].
 */
function destinationsOf(payload: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  const list = payload['destinations'];
  if (Array.isArray(list) && list.length > 0) {
    return list.map((d) => (d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {}));
  }
  return [{ dstType: payload['destType'] }];
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function firstNonEmptyString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
