import { DEFAULT_DEST_ADDRESS } from './addresses.js';
import { stableUuid } from './rng.js';
import { DEFAULT_DEST_WALLET_ID, DEFAULT_DEST_WALLET_NAME } from './tx-templates.js';
import { CONFIG_CHANGE_TYPES, type ConfigChangeType, type JsonObject } from './types.js';

/**
 * For each documented configuration change type, whether the docs give its `extraInfo` shape
 * [protocol.md §6]. `false` means "shape unknown": the builder sends `extraInfo: {}`.
 *
 * @example
 * CONFIG_EXTRA_INFO_KNOWN.UNMANAGED_WALLET // true
 * CONFIG_EXTRA_INFO_KNOWN.ADD_USER         // false (shape unknown)
 */
export const CONFIG_EXTRA_INFO_KNOWN: Readonly<Record<ConfigChangeType, boolean>> = {
  UNMANAGED_WALLET: true, // AddressInfo
  EXCHANGE: true, // ThirdPartyInfo
  FIAT_ACCOUNT: true, // ThirdPartyInfo
  ADD_USER: false,
  RE_ENROLL_DEVICE: false,
  ENABLE_ONE_TIME_ADDRESS: false,
  CHANGE_QUORUM_THRESHOLD: false,
  ADD_NETWORK_CONNECTION: true, // AddNetworkConnection [I: the type it belongs to]
  SET_NETWORK_CONNECTION_ROUTING_POLICY: true, // NetworkConnectionRoutingPolicy [I]
  SET_NETWORK_ID_POLICY: true, // NetworkIdRoutingPolicy [I]
  UPDATE_APPROVAL_GROUP_MAPPING: false,
  USERS_GROUP_APPROVAL: false,
  POLICY_APPROVAL: false,
};

/**
 * The ID of the network connection the network config changes name (fixed across runs).
 *
 * @example
 * configExtraInfo('ADD_NETWORK_CONNECTION').networkConnectionId === DEFAULT_NETWORK_CONNECTION_ID // true
 */
export const DEFAULT_NETWORK_CONNECTION_ID = stableUuid('network-connection:0');

/**
 * A network routing policy, JSON-encoded as the docs describe `routingPolicy` [protocol.md §6]:
 * crypto routed to the default vault, fiat networks not routed (the schemes of the Fireblocks
 * Network API [I]).
 *
 * @example
 * JSON.parse(ROUTING_POLICY).crypto.scheme // 'DEFAULT'
 */
export const ROUTING_POLICY = JSON.stringify({
  crypto: { scheme: 'DEFAULT' },
  sen: { scheme: 'NONE' },
  signet: { scheme: 'NONE' },
  sen_test: { scheme: 'NONE' },
  signet_test: { scheme: 'NONE' },
});

/**
 * The `extraInfo` of a configuration change of the given type, keys in the documented order
 * [protocol.md §6]; `{}` for types whose shape is unknown, documented or not.
 *
 * - UNMANAGED_WALLET → AddressInfo: the wallet the default `tx_sign_request` pays (same name, ID
 *   and address), so "whitelist it, then pay it" stories line up.
 * - EXCHANGE / FIAT_ACCOUNT → ThirdPartyInfo, with `addresses` a JSON-encoded string.
 * - ADD_NETWORK_CONNECTION → AddNetworkConnection; SET_NETWORK_CONNECTION_ROUTING_POLICY →
 *   NetworkConnectionRoutingPolicy; SET_NETWORK_ID_POLICY → NetworkIdRoutingPolicy
 *   (`routingPolicy` a JSON-encoded string).
 *
 * @example
 * configExtraInfo('EXCHANGE').addresses // '{"ETH":"0x…","BTC":"bc1q…"}'
 * configExtraInfo('ADD_USER')           // {}
 */
export function configExtraInfo(type: string): JsonObject {
  // Made once per type (several hash a label into a UUID); a copy goes out, as the builder merges
  // overrides into it. A shallow copy is a full one: every value is a string or a number.
  let info = EXTRA_INFO.get(type);
  if (info === undefined) {
    info = extraInfoOf(type);
    if (EXTRA_INFO.size < EXTRA_INFO_LIMIT) EXTRA_INFO.set(type, info);
  }
  return { ...info };
}

const EXTRA_INFO = new Map<string, JsonObject>();
const EXTRA_INFO_LIMIT = 256;

function extraInfoOf(type: string): JsonObject {
  switch (type) {
    case 'UNMANAGED_WALLET':
      return { subType: 'EXTERNAL', walletName: DEFAULT_DEST_WALLET_NAME, walletId: DEFAULT_DEST_WALLET_ID, asset: 'ETH', address: DEFAULT_DEST_ADDRESS, tag: '' };
    case 'EXCHANGE':
      return {
        subType: 'BINANCE',
        accountName: 'Binance Main',
        accountId: stableUuid('exchange-account:0'),
        apiKey: 'cosigner-sim-demo-exchange-api-key',
        addresses: JSON.stringify({ ETH: '0x28C6c06298d514Db089934071355E5743bf21d60', BTC: 'bc1qm34lsc65zpw79lxes69zkqmk6ee3ewf0j77s3h' }),
      };
    case 'FIAT_ACCOUNT':
      return {
        subType: 'SIGNET',
        accountName: 'Signet USD',
        accountId: stableUuid('fiat-account:0'),
        apiKey: '',
        addresses: JSON.stringify({ USD: 'signet-0x4a7f3c9e21d84b06' }),
      };
    case 'ADD_NETWORK_CONNECTION':
      return {
        networkConnectionId: DEFAULT_NETWORK_CONNECTION_ID,
        note: 'Counterparty Network',
        localNetworkID: stableUuid('network-id:local'),
        remoteTenantID: stableUuid('tenant:remote'),
        routingPolicy: ROUTING_POLICY,
      };
    case 'SET_NETWORK_CONNECTION_ROUTING_POLICY':
      return { connectionId: DEFAULT_NETWORK_CONNECTION_ID, routingPolicy: ROUTING_POLICY };
    case 'SET_NETWORK_ID_POLICY':
      return { networkID: stableUuid('network-id:local'), routingPolicy: ROUTING_POLICY };
    case 'PROTECTED_TAG_CHANGE':
      // [U]: neither the type string nor the shape is documented [protocol.md §14.5]. Protected
      // Tags are vault-account labels that policy rules refer to: the change names the tag, what
      // happens to it and the vault account it is put on or taken off.
      return {
        tagId: stableUuid('protected-tag:0'),
        tagName: 'treasury-cold',
        description: 'Vaults whose withdrawals need the treasury quorum',
        operation: 'ASSIGN',
        vaultAccountId: '0',
        vaultAccountName: 'Treasury',
      };
    case 'POLICY_CHANGE':
      // [I] type string (the Policy Service v2 name), [U] shape: a new policy version to publish,
      // its rules JSON-encoded as routingPolicy is [protocol.md §14.5].
      return {
        policyId: stableUuid('policy:0'),
        policyType: 'TRANSFER',
        version: 2,
        description: 'Raise the small-transfer limit to 5000 USD',
        rules: JSON.stringify([{ name: 'small transfers', action: 'ALLOW', amount: { max: '5000', currency: 'USD' }, asset: '*' }]),
      };
    default:
      return {}; // shape unknown [U] (CONFIG_EXTRA_INFO_KNOWN is false), or not a documented type
  }
}

/**
 * True when `type` is one of the documented configuration change types.
 *
 * @example
 * isConfigChangeType('EXCHANGE') // true
 */
export function isConfigChangeType(type: unknown): type is ConfigChangeType {
  return typeof type === 'string' && (CONFIG_CHANGE_TYPES as readonly string[]).includes(type);
}
