import { InvalidArgumentError } from '../errors.js';
import { isPlainObject } from './overrides.js';
import type { Endpoint } from './types.js';

/**
 * The JSON type a field has on the wire. `json` is free-form data (the typed-message content,
 * unknown keys of `extraParameters`): taken as given, never converted and never warned about.
 */
export type WireType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'json';

/**
 * The wire type of every field a `tx_sign_request` carries [protocol.md §4.1, §4.2, §4.3, §4.4],
 * by normalized path: array elements are `[]` (`destinations[].dstId`), and `P.*` covers every
 * key under `P` that has no entry of its own. protocol/field-types.test.ts holds this table equal
 * to what the templates produce: every field of every operation, destination type and stage has
 * an entry here, with the type the template gives it.
 *
 * @example
 * TX_FIELD_TYPES.amountStr // 'string'
 * TX_FIELD_TYPES['destinations[].amountUSD'] // 'number'
 */
export const TX_FIELD_TYPES: Readonly<Record<string, WireType>> = {
  txId: 'string',
  operation: 'string',
  sourceType: 'string',
  sourceId: 'string',
  destType: 'string',
  destId: 'string',
  asset: 'string',
  amount: 'number',
  amountStr: 'string',
  requestedAmount: 'number',
  requestedAmountStr: 'string',
  fee: 'string',
  destAddressType: 'string',
  destAddress: 'string',
  destinations: 'array',
  'destinations[]': 'object',
  'destinations[].amountNative': 'number',
  'destinations[].amountNativeStr': 'string',
  'destinations[].amountUSD': 'number',
  'destinations[].dstAddress': 'string',
  'destinations[].dstAddressType': 'string',
  'destinations[].dstId': 'string',
  'destinations[].dstTag': 'string', // 2024 wire [protocol.md §14.4]
  'destinations[].dstWalletId': 'string',
  'destinations[].dstName': 'string',
  'destinations[].dstSubType': 'string',
  'destinations[].dstType': 'string',
  'destinations[].displayDstAddress': 'string',
  'destinations[].displayDstTag': 'string',
  'destinations[].action': 'string',
  'destinations[].actionInfo': 'object',
  'destinations[].actionInfo.capturedRuleNum': 'number',
  'destinations[].actionInfo.rulesSnapshotId': 'number',
  'destinations[].actionInfo.byGlobalPolicy': 'boolean',
  'destinations[].actionInfo.byRule': 'boolean',
  'destinations[].actionInfo.ruleType': 'string',
  'destinations[].actionInfo.capturedRule': 'string', // a JSON-encoded rule [protocol.md §4.2]
  'destinations[].authorizationGroups': 'object', // 2024 wire [protocol.md §14.4]
  'destinations[].authorizationGroups.logic': 'string',
  'destinations[].authorizationGroups.groups': 'array',
  'destinations[].authorizationGroups.groups[]': 'object',
  'destinations[].authorizationGroups.groups[].th': 'number',
  'destinations[].authorizationGroups.groups[].users': 'array',
  'destinations[].authorizationGroups.groups[].users[]': 'string',
  'destinations[].authorizationGroups.groups[].usersGroups': 'array',
  'destinations[].authorizationGroups.groups[].usersGroups[]': 'string',
  'destinations[].authorizationGroups.allowOperatorAsAuthorizer': 'boolean',
  extraParameters: 'object',
  'extraParameters.*': 'json', // free-form [protocol.md §4.1]
  'extraParameters.contractCallData': 'string',
  'extraParameters.programCallData': 'string',
  'extraParameters.rawMessageData': 'object',
  'extraParameters.rawMessageData.algorithm': 'string',
  'extraParameters.rawMessageData.messages': 'array',
  'extraParameters.rawMessageData.messages[]': 'object',
  'extraParameters.rawMessageData.messages[].content': 'json', // a hash, or an EIP-712 object [protocol.md §4.4]
  'extraParameters.rawMessageData.messages[].index': 'number',
  'extraParameters.rawMessageData.messages[].type': 'string',
  externalTxId: 'string',
  rawTx: 'array',
  'rawTx[]': 'object',
  'rawTx[].keyDerivationPath': 'string',
  'rawTx[].rawTx': 'string',
  'rawTx[].payload': 'string',
  players: 'array',
  'players[]': 'string',
  note: 'string', // 2024 wire [protocol.md §14.4]
  signerId: 'string',
  requestId: 'string',
};

/**
 * The wire type of every field a `config_change_sign_request` carries [protocol.md §6], every
 * documented `extraInfo` shape merged (they share no key with two types).
 *
 * @example
 * CONFIG_FIELD_TYPES['extraInfo.walletId'] // 'string'
 */
export const CONFIG_FIELD_TYPES: Readonly<Record<string, WireType>> = {
  requestId: 'string',
  signerId: 'string',
  type: 'string',
  extraInfo: 'object',
  'extraInfo.subType': 'string',
  'extraInfo.walletName': 'string',
  'extraInfo.walletId': 'string',
  'extraInfo.asset': 'string',
  'extraInfo.address': 'string',
  'extraInfo.tag': 'string',
  'extraInfo.accountName': 'string',
  'extraInfo.accountId': 'string',
  'extraInfo.apiKey': 'string',
  'extraInfo.addresses': 'string', // JSON-encoded [protocol.md §6]
  'extraInfo.networkConnectionId': 'string',
  'extraInfo.note': 'string',
  'extraInfo.localNetworkID': 'string',
  'extraInfo.remoteTenantID': 'string',
  'extraInfo.routingPolicy': 'string', // JSON-encoded [protocol.md §6]
  'extraInfo.connectionId': 'string',
  'extraInfo.networkID': 'string',
};

function tableOf(endpoint: Endpoint): Readonly<Record<string, WireType>> {
  return endpoint === 'tx_sign_request' ? TX_FIELD_TYPES : CONFIG_FIELD_TYPES;
}

/**
 * A dotted override path in the table's form: numeric segments become `[]`.
 *
 * @example
 * normalizeFieldPath('destinations.0.amountUSD') // 'destinations[].amountUSD'
 */
export function normalizeFieldPath(path: string): string {
  return path.split('.').reduce((out, seg) => (/^\d+$/.test(seg) ? `${out}[]` : out === '' ? seg : `${out}.${seg}`), '');
}

/**
 * The wire type of a field, by dotted path (`destinations.0.dstId`), or undefined when the
 * protocol model does not know the field.
 *
 * @example
 * fieldType('tx_sign_request', 'customerRefId') // undefined
 * fieldType('tx_sign_request', 'extraParameters.anything') // 'json'
 */
export function fieldType(endpoint: Endpoint, path: string): WireType | undefined {
  const table = tableOf(endpoint);
  const key = normalizeFieldPath(path);
  const exact = table[key];
  if (exact !== undefined) return exact;
  // A free-form ancestor (`extraParameters.*`, a `json` field) covers everything below it.
  let parent = key;
  for (let cut = parent.lastIndexOf('.'); cut > 0; cut = parent.lastIndexOf('.')) {
    parent = parent.slice(0, cut);
    if (table[parent] === 'json' || table[`${parent}.*`] === 'json') return 'json';
  }
  return undefined;
}

const ARTICLE: Readonly<Record<WireType, string>> = { string: 'a string', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list', json: 'any JSON value' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Thrown (as InvalidArgumentError) when a value cannot be the field's wire type; `field` is the path. */
function typeError(path: string, type: WireType, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid value for payload field "${path}": it is ${ARTICLE[type]} on the wire, got ${describe(value)}.`, {
    field: path,
    hint: `give ${ARTICLE[type]}; to send a value of another type on purpose use --set-json ${path}=<json> (or payloadMode: exact in a scenario)`,
  });
}

const DECIMAL = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Convert one value to a wire type: numbers and booleans become strings for a string field, a
 * decimal string becomes a number for a number field, `"true"`/`"false"` a boolean. What cannot
 * be converted throws InvalidArgumentError naming `path`. `null` stays null for every type.
 *
 * @example
 * convertValue('amountStr', 'string', 250000) // '250000'
 * convertValue('amount', 'number', '2.5')     // 2.5
 */
export function convertValue(path: string, type: WireType, value: unknown): unknown {
  // null is the wire's "no value", set on purpose (`externalTxId: null`): kept as a value.
  if (value === null) return value;
  switch (type) {
    case 'json':
      return value;
    case 'string':
      if (typeof value === 'string') return value;
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
      throw typeError(path, type, value);
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
      throw typeError(path, type, value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw typeError(path, type, value);
    case 'object':
      if (isPlainObject(value)) return value;
      throw typeError(path, type, value);
    case 'array':
      if (Array.isArray(value)) return value;
      throw typeError(path, type, value);
  }
}

/**
 * Read the text of `--set path=<text>` as the field's wire type. A string field takes the text
 * as it is (`--set amountStr=0.10` keeps the zero; a JSON string literal `'"x"'` is unquoted);
 * other known types parse it as JSON first. A field the model does not know keeps the old rule,
 * JSON else a string, and comes back with `known: false` so the caller can warn.
 *
 * @example
 * readTypedText('tx_sign_request', 'amountStr', '250000') // { value: '250000', known: true }
 * readTypedText('tx_sign_request', 'customerRefId', '1')            // { value: 1, known: false }
 */
export function readTypedText(endpoint: Endpoint, path: string, text: string): { value: unknown; known: boolean } {
  const type = fieldType(endpoint, path);
  const asJson = (): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  if (type === undefined) return { value: asJson(), known: false };
  if (type === 'string') {
    const quoted = /^\s*".*"\s*$/s.test(text) ? asJson() : text;
    return { value: typeof quoted === 'string' ? quoted : text, known: true };
  }
  return { value: convertValue(path, type, asJson()), known: true };
}

/** The fields of one override that the model does not know, and the converted overrides. */
export interface ConvertedOverrides {
  payload: Record<string, unknown>;
  /** Paths (as written) with no known wire type: sent as given. */
  unknown: string[];
}

function convertTree(endpoint: Endpoint, path: string, value: unknown, unknown: string[]): unknown {
  if (value === undefined) return value;
  const type = fieldType(endpoint, path);
  if (type === undefined) {
    unknown.push(path);
    return value;
  }
  const converted = convertValue(path, type, value);
  if (type === 'object' && isPlainObject(converted)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(converted)) out[k] = convertTree(endpoint, `${path}.${k}`, v, unknown);
    return out;
  }
  if (type === 'array' && Array.isArray(converted)) return converted.map((v, i) => convertTree(endpoint, `${path}.${i}`, v, unknown));
  return converted;
}

/**
 * Convert a partial payload (plain and dotted keys, nested objects and lists) to the wire types
 * of the fields it names. Keys listed in `verbatim` are left exactly as written (`--set-json`).
 * Throws InvalidArgumentError naming the field for a value that cannot be its type.
 *
 * @example
 * convertOverrides('tx_sign_request', { amountStr: 250000, 'destinations.0.amountUSD': '5' }).payload
 * // { amountStr: '250000', 'destinations.0.amountUSD': 5 }
 */
export function convertOverrides(endpoint: Endpoint, overrides: Readonly<Record<string, unknown>>, verbatim: readonly string[] = []): ConvertedOverrides {
  const unknown: string[] = [];
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(overrides)) {
    payload[key] = verbatim.includes(key) ? value : convertTree(endpoint, key, value, unknown);
  }
  return { payload, unknown };
}

/**
 * The warning for override fields without a known wire type (sent by today's rule: as given,
 * or JSON else a string on the command line).
 *
 * @example
 * overrideTypeWarning(['customerRefId']).id // 'override-type-unknown'
 */
export function overrideTypeWarning(paths: readonly string[]): { id: 'override-type-unknown'; message: string; hint: string } {
  const list = paths.map((p) => `"${p}"`).join(', ');
  return {
    id: 'override-type-unknown',
    message: `no known wire type for payload field${paths.length === 1 ? '' : 's'} ${list}: sent as given (on the command line, JSON else a string)`,
    hint: 'check the field name against README#payload-field-types; use --set-json <path>=<json> to fix the type yourself',
  };
}
