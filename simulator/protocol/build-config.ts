import { InvalidArgumentError } from '../errors.js';
import { exactRequest } from './build-tx.js';
import { configExtraInfo } from './config-templates.js';
import type { BuildContext, BuiltRequest } from './context.js';
import { convertOverrides, overrideTypeWarning } from './field-types.js';
import { orderConfigPayload } from './key-order.js';
import { omittedOptionalFields } from './optional-fields.js';
import { mergeOverrides, unsetPaths } from './overrides.js';
import { hasFeature } from './profiles.js';
import type { ConfigChangeSignRequestPayload, JsonValue } from './types.js';

/**
 * What to build with `factory.configChange()`.
 *
 * @example
 * factory.configChange({ type: 'EXCHANGE', payload: { 'extraInfo.accountName': 'OKX' }, unset: ['signerId'] });
 */
export interface ConfigBuildInput {
  /** Default `UNMANAGED_WALLET` (or `payload.type`); any string is accepted, unknown ones get `extraInfo: {}`. */
  type?: string;
  /**
   * A partial payload merged over the template; dotted keys address nested fields. Values are
   * converted to their wire type, as for `factory.tx()` (field-types.ts).
   */
  payload?: Readonly<Record<string, unknown>>;
  /** Keys of `payload` sent exactly as written, without the type conversion (`--set-json`). */
  verbatim?: readonly string[];
  /** Dotted paths to delete after merging. */
  unset?: readonly string[];
  /** Send `payload` exactly as given (no template, no IDs). */
  exact?: boolean;
}

/**
 * Build a `config_change_sign_request` [protocol.md §6]: always an approval, keys `requestId`,
 * `signerId` (not before SGX 3.5.0), `type`, `extraInfo` in that order (the documented table's
 * order; no capture exists [U]). `requestId` is a fresh UUID v4 from the factory's generator.
 *
 * @example
 * buildConfigRequest(ctx, { type: 'FIAT_ACCOUNT' }).payload.extraInfo.subType // 'SIGNET'
 */
export function buildConfigRequest(ctx: BuildContext, o: ConfigBuildInput = {}): BuiltRequest<ConfigChangeSignRequestPayload> {
  if (o.exact === true) {
    for (const k of ['type', 'unset', 'verbatim'] as const) {
      if (o[k] !== undefined) {
        throw new InvalidArgumentError(`"${k}" cannot be combined with exact mode.`, { hint: 'exact mode sends the payload as given' });
      }
    }
    return exactRequest<ConfigChangeSignRequestPayload>('config_change_sign_request', o.payload, 'approval');
  }
  if (o.type !== undefined && typeof o.type !== 'string') {
    throw new InvalidArgumentError(`Invalid config change type: ${JSON.stringify(o.type)}. Expected a string such as "UNMANAGED_WALLET".`);
  }
  const converted = convertOverrides('config_change_sign_request', o.payload ?? {}, o.verbatim);
  const overrides = converted.payload;
  // The payload's type re-derives extraInfo, as a payload's asset re-derives a transaction's amounts.
  const type = o.type ?? (typeof overrides.type === 'string' ? overrides.type : 'UNMANAGED_WALLET');
  const payload: Record<string, JsonValue> = { requestId: ctx.rng.uuid() };
  // Optional in the docs [protocol.md §6]; sent from SGX 3.5.0 on [protocol.md §14.1].
  if (hasFeature(ctx.profile, 'signer-id')) payload.signerId = ctx.signerId;
  payload.type = type;
  payload.extraInfo = configExtraInfo(type);
  // In place: configExtraInfo gives a new object each call, so the payload is this call's own.
  mergeOverrides(payload, overrides);
  if (o.unset !== undefined) unsetPaths(payload, o.unset);
  const final = orderConfigPayload(payload) as ConfigChangeSignRequestPayload;
  return {
    endpoint: 'config_change_sign_request',
    stage: 'approval',
    payload: final,
    requestId: typeof final.requestId === 'string' ? final.requestId : '',
    omittedFields: omittedOptionalFields('config_change_sign_request', 'approval', final),
    // Config changes have no mode-governed field; the mode is the factory's all the same.
    optionalFields: ctx.optionalFields,
    ...(converted.unknown.length > 0 ? { warnings: [overrideTypeWarning(converted.unknown)] } : {}),
  };
}
