/**
 * The wire model of the Co-signer → Callback Handler protocol: request builders with realistic
 * defaults, the faithful serializer, the endpoint URL rules. Pure: no file, network or TLS I/O.
 *
 * @example
 * import { createRequestFactory, serializePayload, buildEndpointUrl } from './protocol/index.js';
 * const f = createRequestFactory({ seed: 1 });
 * const req = f.tx({ stage: 'approval' });
 * const url = buildEndpointUrl('https://handler.example.com/cb', 4, req.endpoint);
 * const body = serializePayload(req.payload);
 */
export type { BuildContext, BuildOptions, BuiltRequest, OptionalFieldsMode } from './context.js';
export { OPTIONAL_FIELDS_MODES } from './context.js';
export { createRequestFactory, type RequestFactory } from './factory.js';
export { buildTxRequest, exactRequest, type DestinationSpec, type TxBuildInput } from './build-tx.js';
export { buildConfigRequest, type ConfigBuildInput } from './build-config.js';
export {
  actionInfo,
  capturedRule,
  CONTRACTS,
  DEFAULT_DEST_WALLET_ID,
  DEFAULT_DEST_WALLET_NAME,
  DEFAULT_PLAYERS,
  DEST_TYPES,
  type DestType,
  destinationIdentity,
  type DestinationIdentity,
  OPERATION_TEMPLATES,
  type OperationTemplate,
  POLICY_ACTIONS,
  type PolicyAction,
} from './tx-templates.js';
export {
  CONFIG_EXTRA_INFO_KNOWN,
  configExtraInfo,
  DEFAULT_NETWORK_CONNECTION_ID,
  isConfigChangeType,
  ROUTING_POLICY,
} from './config-templates.js';
export { DEFAULT_DEST_ADDRESS, DEFAULT_VAULT_ADDRESS, exampleAddress } from './addresses.js';
export { ASSETS, assetInfo, type AssetInfo, type ChainFamily, UNKNOWN_ASSET } from './prices.js';
export { applyOverrides, parsePath, setPath, unsetPaths } from './overrides.js';
export {
  COSIGNER_JWT_HEADER,
  COSIGNER_JWT_HEADER_B64,
  DECIMAL_KEYS,
  serializePayload,
  type WireMode,
} from './serialize.js';
export { CONFIG_KEY_ORDER, DEST_KEY_ORDER, DEST_KEY_ORDER_2024, orderConfigPayload, orderTxPayload, TX_KEY_ORDER, TX_KEY_ORDER_2024, type Wire } from './key-order.js';
export { DEFAULT_BATCH_SUFFIX, formatBatchRequestId, validateBatchSuffix } from './ids.js';
export { createRng, resolveSeed, type Rng, stableUuid } from './rng.js';
export { buildEndpointUrl, endpointPath, ENDPOINTS, validateBaseUrl, type ValidatedBaseUrl } from './endpoints.js';
export { keccak256, toChecksumAddress } from './keccak.js';
export * from './types.js';
export * from './options.js';
