import { InvalidArgumentError } from '../errors.js';
import { amountFromOverrides, destinationAmounts, explicitParts, splitAmount, topAmounts } from './amounts.js';
import { type BuildContext, type BuiltRequest, OPTIONAL_FIELDS_MODES, type OptionalFieldsMode } from './context.js';
import { type Decimal, parseDecimal } from './decimal.js';
import { convertOverrides, overrideTypeWarning } from './field-types.js';
import { formatBatchRequestId } from './ids.js';
import { orderTxPayload } from './key-order.js';
import { omittedOptionalFields } from './optional-fields.js';
import { cloneJson, mergeOverrides, unsetPaths } from './overrides.js';
import { assetInfo } from './prices.js';
import { hasFeature, wireOf } from './profiles.js';
import { buildRawTx } from './raw-tx.js';
import {
  actionInfo,
  authorizationGroups,
  DEFAULT_DST_TAG,
  DEFAULT_NOTE,
  DEFAULT_PLAYERS,
  DEST_TYPES,
  type DestType,
  defaultEvmCall,
  destinationIdentity,
  OPERATION_TEMPLATES,
  type OperationTemplate,
  POLICY_ACTIONS,
  type PolicyAction,
  SECURITY_ENRICHMENT,
} from './tx-templates.js';
import { type JsonObject, type JsonValue, type Stage, TX_OPERATIONS, type TxOperation, type TxSignRequestPayload } from './types.js';

/**
 * One entry of an explicit destination list: its type (default: the request's `destType`) and,
 * optionally, its amount (give it for every entry or for none).
 *
 * @example
 * const d: DestinationSpec = { type: 'EXCHANGE', amountStr: '0.25' };
 */
export interface DestinationSpec {
  type?: DestType;
  amountStr?: string;
}

/**
 * What to build with `factory.tx()`.
 *
 * @example
 * factory.tx({ stage: 'approval', operation: 'TRANSFER', destType: 'ONE_TIME_ADDRESS', destinations: 2,
 *   payload: { asset: 'BTC', amountStr: '0.5', 'destinations.1.amountUSD': 1 }, unset: ['externalTxId'] });
 */
export interface TxBuildInput {
  /**
   * Default `'signing'`. Signing adds `fee`, `rawTx`?, `players`? and, on the 2022 wire,
   * `destinations[].displayDstAddress` (the 2024 wire sends it at both stages) [protocol.md §4.7,
   * §14.4]. In exact mode the default is `'signing'` when the payload has `fee`, else `'approval'`.
   */
  stage?: Stage;
  /** The template; default TRANSFER (or `payload.operation` when that names a documented operation). */
  operation?: TxOperation;
  /** Default: the operation's (UNMANAGED for TRANSFER), or `payload.destType` when that names a known type. */
  destType?: DestType;
  /**
   * The policy verdict on every destination (`destinations[].action` and the `capturedRule`'s
   * action); `2-TIER` also brings the rule's approvers in `authorizationGroups` on the 2024 wire.
   * Default: the operation template's, `ALLOW` for all of them [protocol.md §4.2, §14.4].
   */
  policyAction?: PolicyAction;
  /** How many destinations (the amount is split between them), or one spec per destination. */
  destinations?: number | readonly DestinationSpec[];
  /**
   * A partial payload merged over the template; dotted keys address nested fields and array
   * elements. Every field given is sent exactly as given. `asset` and the amount (first readable of
   * `amountStr`, `requestedAmountStr`, `amount`, `requestedAmount`) re-derive the fields not given:
   * so `{ requestedAmountStr: '1' }` gives a padded `amountStr`, while `{ amountStr: '1' }` sends
   * `"1"` as is.
   */
  payload?: Readonly<Record<string, unknown>>;
  /** Keys of `payload` sent exactly as written, without the type conversion (`--set-json`). */
  verbatim?: readonly string[];
  /** Dotted paths to delete after merging, e.g. `['destinations.0.dstName', 'signerId']`. */
  unset?: readonly string[];
  /** Which optional fields this request carries; default: the factory's setting. */
  optionalFields?: OptionalFieldsMode;
  /** Send `payload` exactly as given: no template, no derivation, no IDs (for replaying captures). */
  exact?: boolean;
  /** Give `requestId` a batch suffix that `txId` lacks; a number is the batch index `{n}` (`true` = 0). */
  batched?: boolean | number;
  /** Reuse a transaction ID (approval then signing of one transaction). Default: a fresh UUID v4. */
  txId?: string;
}

function fail(message: string, hint?: string): InvalidArgumentError {
  return new InvalidArgumentError(message, hint === undefined ? {} : { hint });
}

function isOperation(v: unknown): v is TxOperation {
  return typeof v === 'string' && (TX_OPERATIONS as readonly string[]).includes(v);
}

function isDestType(v: unknown): v is DestType {
  return typeof v === 'string' && (DEST_TYPES as readonly string[]).includes(v);
}

function checkStage(stage: unknown): Stage {
  if (stage === 'approval' || stage === 'signing') return stage;
  throw fail(`Invalid stage: ${JSON.stringify(stage)}. Expected one of: approval, signing.`);
}

/** Resolve the destination list: one entry per destination, each with a type. */
function destinationSpecs(o: TxBuildInput, template: OperationTemplate, payload: Readonly<Record<string, unknown>>): { type: DestType; amountStr?: string }[] {
  const fallback = o.destType ?? (isDestType(payload.destType) ? payload.destType : template.destType);
  if (o.destType !== undefined && !isDestType(o.destType)) {
    throw fail(`Invalid destType: ${JSON.stringify(o.destType)}. Expected one of: ${DEST_TYPES.join(', ')}.`);
  }
  if (Array.isArray(o.destinations)) {
    return (o.destinations as readonly DestinationSpec[]).map((d, i) => {
      const type = d.type ?? fallback ?? 'UNMANAGED';
      if (!isDestType(type)) throw fail(`Invalid destinations[${i}].type: ${JSON.stringify(type)}. Expected one of: ${DEST_TYPES.join(', ')}.`);
      return d.amountStr === undefined ? { type } : { type, amountStr: d.amountStr };
    });
  }
  if (o.destinations !== undefined) {
    const n = o.destinations;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw fail(`Invalid destinations: ${JSON.stringify(n)}. Expected a whole number of destinations or a list.`);
    }
    return Array.from({ length: n }, () => ({ type: fallback ?? 'UNMANAGED' }));
  }
  return fallback === undefined ? [] : [{ type: fallback }];
}

/** Draw which optional fields this request carries (always four draws in 'random' mode). */
function drawPresence(ctx: BuildContext, mode: OptionalFieldsMode): { externalTxId: boolean; players: boolean; dstAddress: boolean; dstWalletId: boolean } {
  if (mode === 'all') return { externalTxId: true, players: true, dstAddress: true, dstWalletId: true };
  if (mode === 'none') return { externalTxId: false, players: false, dstAddress: false, dstWalletId: false };
  return { externalTxId: ctx.rng.chance(0.5), players: ctx.rng.chance(0.5), dstAddress: ctx.rng.chance(0.5), dstWalletId: ctx.rng.chance(0.5) };
}

/**
 * Take an exact-mode payload as it is (a deep copy), with IDs read back from it.
 *
 * @example
 * exactRequest('tx_sign_request', JSON.parse(captured), undefined)
 */
export function exactRequest<P>(endpoint: BuiltRequest<P>['endpoint'], payload: Readonly<Record<string, unknown>> | undefined, stage: Stage): BuiltRequest<P> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw fail('Exact mode needs a payload object.', 'pass the whole payload, e.g. { exact: true, payload: JSON.parse(capturedJson) }');
  }
  const copy = cloneJson(payload) as P & Record<string, unknown>;
  const built: BuiltRequest<P> = {
    endpoint,
    stage,
    payload: copy,
    requestId: typeof copy.requestId === 'string' ? copy.requestId : '',
    omittedFields: omittedOptionalFields(endpoint, stage, copy),
  };
  if (typeof copy.txId === 'string') built.txId = copy.txId;
  return built;
}

// Each template's amount, read once (a Decimal is immutable, so every request may share it).
const TEMPLATE_TOTALS = Object.fromEntries(
  TX_OPERATIONS.map((op) => [op, parseDecimal(OPERATION_TEMPLATES[op].amountStr) as Decimal]),
) as Readonly<Record<TxOperation, Decimal>>;

const EXACT_CONFLICTS = ['operation', 'destType', 'destinations', 'policyAction', 'unset', 'batched', 'txId', 'optionalFields', 'verbatim'] as const;

/**
 * The per-request optional-fields mode, checked.
 *
 * @example
 * optionalFieldsMode(ctx, 'none') // 'none'
 */
export function optionalFieldsMode(ctx: BuildContext, given: unknown): OptionalFieldsMode {
  if (given === undefined) return ctx.optionalFields;
  if (!OPTIONAL_FIELDS_MODES.includes(given as OptionalFieldsMode)) {
    throw fail(`Invalid optionalFields: ${JSON.stringify(given)}. Expected one of: ${OPTIONAL_FIELDS_MODES.join(', ')}.`);
  }
  return given as OptionalFieldsMode;
}

/**
 * Build a `tx_sign_request` [protocol.md §4]: take the operation's template, resolve asset, amount
 * and destinations (a partial payload's `asset` and `amountStr` re-derive every dependent field
 * unless those are given too), fill in IDs and optional fields from the factory's generator, merge
 * the partial payload, delete the `unset` paths and put the keys in the captured order.
 *
 * The profile's wire decides the field set [protocol.md §4.6, §14.4]: the 2022 wire as captured in
 * 2022/2023; the 2024 wire adds `note`, `extraParameters.securityEnrichment`, per destination
 * `dstTag`, `displayDstTag`, `authorizationGroups` and `actionInfo.ruleType`, sends
 * `displayDstAddress` at both stages, an unpadded `amountStr`, no top-level `destAddressType` for
 * a one-time address, and its own key order. A profile without `signer-id` sends no `signerId`.
 *
 * @example
 * buildTxRequest(ctx, { stage: 'approval', payload: { amountStr: '2.5' } })
 * // 2022 wire: payload.amountStr '2.500000000000000000', requestedAmountStr '2.5', no fee, no displayDstAddress
 * // 2024 wire: payload.amountStr '2.5', displayDstAddress on every destination, note, signerId last
 */
export function buildTxRequest(ctx: BuildContext, o: TxBuildInput = {}): BuiltRequest<TxSignRequestPayload> {
  if (o.exact === true) {
    for (const k of EXACT_CONFLICTS) {
      if (o[k] !== undefined) throw fail(`"${k}" cannot be combined with exact mode.`, 'exact mode sends the payload as given; drop the option or build without exact');
    }
    // Without a stage, a payload with `fee` (signing only [protocol.md §4.7]) is read as signing [I].
    const stage = o.stage === undefined ? (o.payload?.fee !== undefined ? 'signing' : 'approval') : checkStage(o.stage);
    return exactRequest<TxSignRequestPayload>('tx_sign_request', o.payload, stage);
  }

  const stage = checkStage(o.stage ?? 'signing');
  const signing = stage === 'signing';
  const wire = wireOf(ctx.profile);
  const w2024 = wire === '2024';
  const mode = optionalFieldsMode(ctx, o.optionalFields);
  // Converted first, so the amount and asset derivation below reads wire-typed values.
  const converted = convertOverrides('tx_sign_request', o.payload ?? {}, o.verbatim);
  const overrides = converted.payload;
  if (o.operation !== undefined && !isOperation(o.operation)) {
    throw fail(`Invalid operation: ${JSON.stringify(o.operation)}. Expected one of: ${TX_OPERATIONS.join(', ')}.`, 'for an undocumented operation, set payload.operation instead');
  }
  const operation: TxOperation = o.operation ?? (isOperation(overrides.operation) ? overrides.operation : 'TRANSFER');
  const template = OPERATION_TEMPLATES[operation];
  if (o.policyAction !== undefined && !POLICY_ACTIONS.includes(o.policyAction)) {
    throw fail(`Invalid policyAction: ${JSON.stringify(o.policyAction)}. Expected one of: ${POLICY_ACTIONS.join(', ')}.`);
  }
  const policyAction: PolicyAction = o.policyAction ?? template.action ?? 'ALLOW';
  const asset = assetInfo(typeof overrides.asset === 'string' ? overrides.asset : template.asset);
  const specs = destinationSpecs(o, template, overrides);

  // Amounts [protocol.md §4.1, §4.2]: the total comes from the payload's amount fields, else from
  // per-destination amounts, else from the template; destinations split it (see splitAmount).
  const explicit = explicitParts(specs.map((s) => s.amountStr));
  const total: Decimal = amountFromOverrides(overrides) ?? explicit?.total ?? TEMPLATE_TOTALS[operation];
  const parts = explicit?.parts ?? splitAmount(asset, total, specs.length);
  const amounts = destinationAmounts(asset, parts);

  const txId = o.txId ?? ctx.rng.uuid();
  if (typeof txId !== 'string') throw fail(`Invalid txId: ${JSON.stringify(txId)}. Expected a string.`);
  let requestId = txId;
  if (o.batched !== undefined && o.batched !== false) {
    const n = o.batched === true ? 0 : o.batched;
    if (!Number.isInteger(n) || n < 0) throw fail(`Invalid batched: ${JSON.stringify(o.batched)}. Expected true or a batch index.`);
    requestId = formatBatchRequestId(ctx.batchSuffix, txId, n);
  }
  const present = drawPresence(ctx, mode);
  const externalTxId = `fire_tx_${ctx.rng.int(1, 9999)}_0`;
  const nonce = ctx.rng.int(0, 999);

  const identities = specs.map((s, i) => {
    const id = destinationIdentity(s.type, asset.chain, i);
    const contract = template.contractDestination;
    if (i === 0 && contract !== undefined && s.type === template.destType && asset.chain === 'evm') {
      return { ...id, dstId: contract.dstId, dstName: contract.dstName, dstSubType: contract.dstSubType, address: contract.address };
    }
    return id;
  });
  // Fresh from its template (the overrides are merged into this payload in place).
  const own = template.extraParameters?.(txId);
  // Fireblocks' own keys join the operation's on the 2024 wire [protocol.md §14.4].
  const extraParameters = w2024 ? Object.assign(own ?? {}, cloneJson(SECURITY_ENRICHMENT)) : own;

  // Destination keys in the wire's order [protocol.md §4.2, §4.6, §14.4]: orderTxPayload then
  // has nothing to move (it settles the keys an override adds).
  const destinations: JsonObject[] = identities.map((id, i) => {
    const a = amounts[i];
    const d: JsonObject = { amountNative: a?.amountNative ?? 0, amountNativeStr: a?.amountNativeStr ?? '0', amountUSD: a?.amountUSD ?? 0 };
    if (present.dstAddress) d.dstAddress = id.address;
    d.dstAddressType = id.dstAddressType;
    d.dstId = id.dstId;
    if (present.dstWalletId) d.dstWalletId = '';
    if (id.dstName !== undefined) d.dstName = id.dstName;
    if (id.dstSubType !== undefined) d.dstSubType = id.dstSubType;
    if (w2024) d.dstTag = DEFAULT_DST_TAG; // [C-wire §14.4]
    d.dstType = id.dstType;
    // Signing stage only in 2022 [protocol.md §4.7]; in the 2024 approval capture too [§14.4].
    if (signing || w2024) d.displayDstAddress = id.address;
    if (w2024) d.displayDstTag = DEFAULT_DST_TAG;
    d.action = policyAction;
    d.actionInfo = actionInfo(operation, policyAction, wire);
    if (w2024) d.authorizationGroups = authorizationGroups(policyAction); // [C-wire §14.4]
    return d;
  });

  const first = identities[0];
  const top = topAmounts(asset, total, wire);
  // Top-level keys in the wire's order [protocol.md §4.6, §14.4]; with several destinations the top-level
  // destination fields describe the first one [U].
  const payload: Record<string, JsonValue> = {
    txId,
    operation,
    sourceType: 'VAULT',
    sourceId: '0',
    destType: first?.dstType ?? '',
    destId: first?.dstId ?? '',
    asset: asset.id,
    amount: top.amount,
    amountStr: top.amountStr,
    requestedAmount: top.requestedAmount,
    requestedAmountStr: top.requestedAmountStr,
  };
  if (signing) payload.fee = asset.fee; // signing stage only [protocol.md §4.1, §4.7]
  // The 2024 capture sends none for a one-time address, only destinations[].dstAddressType [C-wire §14.4].
  if (!(w2024 && first?.dstAddressType === 'ONE_TIME')) payload.destAddressType = first?.dstAddressType ?? '';
  payload.destAddress = first?.address ?? '';
  // Position [U] in 2022 (after destinations), after destAddress in 2024 [C-wire].
  if (w2024 && extraParameters !== undefined) payload.extraParameters = extraParameters;
  payload.destinations = destinations;
  if (!w2024 && extraParameters !== undefined) payload.extraParameters = extraParameters;
  if (present.externalTxId) payload.externalTxId = externalTxId; // only when the tx has one [protocol.md §4.1]
  if (signing && ctx.rawTx) {
    // Workspace opt-in, signing stage only [protocol.md §4.3].
    payload.rawTx = buildRawTx({
      asset,
      sourceId: '0',
      nonce,
      rng: ctx.rng,
      ...(template.messages !== undefined && specs.length === 0
        ? { legs: [], messages: template.messages(txId, extraParameters) }
        : {
            legs: identities.map((id, i) =>
              (template.evmCall ?? defaultEvmCall)({ asset, to: id.address, units: amounts[i]?.baseUnits ?? 0n, extraParameters }),
            ),
          }),
    });
  }
  if (signing && present.players) payload.players = [...DEFAULT_PLAYERS]; // optional [protocol.md §4.1]
  if (w2024) payload.note = DEFAULT_NOTE; // [C-wire §14.4]
  // signerId: SGX 3.5.0 on [protocol.md §14.1]; before requestId in 2022 [U], last in 2024 [C-wire §14.4].
  // requestId == txId outside batches [protocol.md §4.1].
  const signerId = hasFeature(ctx.profile, 'signer-id');
  if (signerId && !w2024) payload.signerId = ctx.signerId;
  payload.requestId = requestId;
  if (signerId && w2024) payload.signerId = ctx.signerId;

  // In place: every object in `payload` was made by this call (see extraParameters above).
  mergeOverrides(payload, overrides);
  if (o.unset !== undefined) unsetPaths(payload, o.unset);
  const final = orderTxPayload(payload, wire) as TxSignRequestPayload;
  const built: BuiltRequest<TxSignRequestPayload> = {
    endpoint: 'tx_sign_request',
    stage,
    payload: final,
    requestId: typeof final.requestId === 'string' ? final.requestId : '',
    omittedFields: omittedOptionalFields('tx_sign_request', stage, final),
    optionalFields: mode,
  };
  if (converted.unknown.length > 0) built.warnings = [overrideTypeWarning(converted.unknown)];
  if (typeof final.txId === 'string') built.txId = final.txId;
  return built;
}
