import { InvalidArgumentError } from '../errors.js';
import { buildConfigRequest, type ConfigBuildInput } from './build-config.js';
import { buildTxRequest, type TxBuildInput } from './build-tx.js';
import { type BuildContext, type BuildOptions, type BuiltRequest, OPTIONAL_FIELDS_MODES } from './context.js';
import { DEFAULT_BATCH_SUFFIX, validateBatchSuffix } from './ids.js';
import { DEFAULT_PROFILE, resolveProfile, type Profile } from './profiles.js';
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
  /** The `signerId` Co-signer 1's requests carry (every request's, unless built as another Co-signer). */
  readonly signerId: string;
  /**
   * The `signerId` of Co-signer `n` (from 1): Co-signer 1's is {@link signerId}; Co-signer n >= 2
   * has its own, derived from the seed and n, so it is the same on every run with that seed and
   * draws nothing from the generator (Co-signer 1's requests stay as they were) [protocol.md §14.2].
   */
  signerIdFor(n: number): string;
  /** A `tx_sign_request` [protocol.md §4]; default: signing stage of 0.01 ETH to a whitelisted wallet. `as.cosigner` builds it as that Co-signer (its `signerId`). */
  tx(options?: TxBuildInput, as?: BuildAs): BuiltRequest<TxSignRequestPayload>;
  /** A `config_change_sign_request` [protocol.md §6]; default: an UNMANAGED_WALLET approval. */
  configChange(options?: ConfigBuildInput, as?: BuildAs): BuiltRequest<ConfigChangeSignRequestPayload>;
  /**
   * The same factory (generator, seed, signerId, settings) building for another Co-signer
   * version: a scenario's own `profile:` draws its IDs from the run's one sequence.
   */
  withProfile(profile: Profile): RequestFactory;
}

/** Which Co-signer a request is built as (default Co-signer 1). */
export interface BuildAs {
  cosigner?: number;
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
  return factoryOf(seed, ctx, new Map<number, string>([[1, ctx.signerId]]));
}

/** A factory over one context; `signerIds` is shared with its withProfile copies, so Co-signer n keeps its signerId. */
function factoryOf(seed: number, ctx: BuildContext, signerIds: Map<number, string>): RequestFactory {
  const signerIdFor = (n: number): string => {
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`Invalid Co-signer number: ${JSON.stringify(n)}. Expected a whole number from 1.`);
    let id = signerIds.get(n);
    if (id === undefined) {
      id = createRng(resolveSeed(`${seed}/cosigner-${n}`)).uuid();
      signerIds.set(n, id);
    }
    return id;
  };
  const ctxFor = (as: BuildAs | undefined): BuildContext => (as?.cosigner === undefined || as.cosigner === 1 ? ctx : { ...ctx, signerId: signerIdFor(as.cosigner) });
  return {
    seed,
    signerId: ctx.signerId,
    signerIdFor,
    tx: (options, as) => buildTxRequest(ctxFor(as), options),
    configChange: (options, as) => buildConfigRequest(ctxFor(as), options),
    withProfile: (profile) => factoryOf(seed, { ...ctx, profile }, signerIds),
  };
}
