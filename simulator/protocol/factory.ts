import { InvalidArgumentError } from '../errors.js';
import { buildConfigRequest, type ConfigBuildInput } from './build-config.js';
import { buildTxRequest, type TxBuildInput } from './build-tx.js';
import { type BuildContext, type BuildOptions, type BuiltRequest, OPTIONAL_FIELDS_MODES } from './context.js';
import { DEFAULT_BATCH_SUFFIX, validateBatchSuffix } from './ids.js';
import { DEFAULT_PROFILE, resolveProfile } from './profiles.js';
import { createRng, resolveSeed } from './rng.js';
import type { ConfigChangeSignRequestPayload, TxSignRequestPayload } from './types.js';

/**
 * Builds requests from one seeded generator: successive builds differ, and the same seed with the
 * same sequence of builds gives identical payloads.
 *
 * @example
 * const f = createRequestFactory({ seed: 42 });
 * const approval = f.tx({ stage: 'approval' });
 * const signing = f.tx({ stage: 'signing', txId: approval.txId });  // same transaction, second stage
 */
export interface RequestFactory {
  /** The seed in use (drawn at random when none was given): print it so a run can be repeated. */
  readonly seed: number;
  /** The `signerId` every request of this factory carries. */
  readonly signerId: string;
  /** A `tx_sign_request` [protocol.md §4]; default: signing stage of 0.01 ETH to a whitelisted wallet. */
  tx(options?: TxBuildInput): BuiltRequest<TxSignRequestPayload>;
  /** A `config_change_sign_request` [protocol.md §6]; default: an UNMANAGED_WALLET approval. */
  configChange(options?: ConfigBuildInput): BuiltRequest<ConfigChangeSignRequestPayload>;
}

/**
 * Create a request factory. It holds the seeded generator: the `signerId` is drawn first (unless
 * given), then each build draws its IDs (and, under `optionalFields: 'random'`, its optional-field
 * choices) in a fixed order.
 *
 * @example
 * const f = createRequestFactory({ seed: 'ci', optionalFields: 'all', rawTx: true });
 * console.log(`seed ${f.seed}`);
 * const { payload, requestId } = f.tx();
 * const body = serializePayload(payload); // faithful wire form
 */
export function createRequestFactory(opts: BuildOptions = {}): RequestFactory {
  const optionalFields = opts.optionalFields ?? 'all';
  if (!OPTIONAL_FIELDS_MODES.includes(optionalFields)) {
    throw new InvalidArgumentError(
      `Invalid optionalFields: ${JSON.stringify(optionalFields)}. Expected one of: ${OPTIONAL_FIELDS_MODES.join(', ')}.`,
    );
  }
  const batchSuffix = opts.batchSuffix ?? DEFAULT_BATCH_SUFFIX;
  validateBatchSuffix(batchSuffix);
  if (opts.signerId !== undefined && typeof opts.signerId !== 'string') {
    throw new InvalidArgumentError(`Invalid signerId: ${JSON.stringify(opts.signerId)}. Expected a string (the API user ID).`);
  }
  const seed = resolveSeed(opts.seed);
  const rng = createRng(seed);
  const ctx: BuildContext = {
    rng,
    signerId: opts.signerId ?? rng.uuid(),
    optionalFields,
    rawTx: opts.rawTx === true,
    batchSuffix,
    profile: opts.profile ?? resolveProfile(DEFAULT_PROFILE),
  };
  return {
    seed,
    signerId: ctx.signerId,
    tx: (options) => buildTxRequest(ctx, options),
    configChange: (options) => buildConfigRequest(ctx, options),
  };
}
