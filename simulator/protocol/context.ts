import type { Profile } from './profiles.js';
import type { Rng } from './rng.js';
import type { Endpoint, Stage, Warning } from './types.js';

/**
 * Which optional fields a built request carries [protocol.md §4.1, §4.2]: `all` of them (the
 * default: the full realistic field set, the same whatever the seed), `none`, or a `random`
 * choice per request from the seeded generator. Governs `externalTxId`, `players` (signing stage
 * only), `destinations[].dstAddress` and `destinations[].dstWalletId`. `signerId` is always sent
 * unless unset; `rawTx` only when {@link BuildOptions.rawTx} is on. Whatever the mode, every
 * built request lists the optional fields it lacks in {@link BuiltRequest.omittedFields}.
 *
 * @example
 * createRequestFactory({ seed: 1, optionalFields: 'all' });
 */
export type OptionalFieldsMode = 'all' | 'none' | 'random';

/**
 * The accepted {@link OptionalFieldsMode} values.
 *
 * @example
 * OPTIONAL_FIELDS_MODES.includes('random') // true
 */
export const OPTIONAL_FIELDS_MODES: readonly OptionalFieldsMode[] = ['all', 'none', 'random'];

/**
 * Settings of a request factory (see `createRequestFactory`).
 *
 * @example
 * const opts: BuildOptions = { seed: 'nightly', optionalFields: 'all', rawTx: true, batchSuffix: '{txId}.{n}' };
 */
export interface BuildOptions {
  /** Makes IDs and optional-field presence reproducible. Absent: a random seed (read it back from `factory.seed`). */
  seed?: number | string;
  /** Default `'all'`: no field is left out at random unless asked for. */
  optionalFields?: OptionalFieldsMode;
  /** Send `rawTx` on signing-stage requests: the workspace opted in to raw data [protocol.md §4.3]. Default false. */
  rawTx?: boolean;
  /** `requestId` format of batched requests, with `{txId}` and `{n}`. Default `'{txId}_{n}'` [U]. */
  batchSuffix?: string;
  /** The paired API user's ID sent as `signerId`. Default: a UUID drawn once per factory from the seed. */
  signerId?: string;
  /**
   * The Co-signer version whose payloads to build (`resolveProfile('sgx@3.5.0')`): it decides
   * `signerId`, the 2022 or 2024 field set and `amountStr` formatting [protocol.md §14].
   * Default: the `latest` profile.
   */
  profile?: Profile;
}

/**
 * A request ready to encode and send.
 *
 * @example
 * const built: BuiltRequest<TxSignRequestPayload> = factory.tx();
 * built.endpoint  // 'tx_sign_request'
 * built.requestId // equals built.payload.requestId
 */
export interface BuiltRequest<P> {
  endpoint: Endpoint;
  stage: Stage;
  /** The payload object: encode it with `serializePayload`. */
  payload: P;
  /** `payload.requestId`, or `''` when the payload has none (exact mode). */
  requestId: string;
  /** `payload.txId` for transaction requests. */
  txId?: string;
  /**
   * The optional fields this payload lacks, as dotted paths (`externalTxId`,
   * `destinations.0.dstAddress`): left out by the optional-fields mode, unset, or absent from an
   * exact payload. Empty when every optional field is there.
   */
  omittedFields: string[];
  /** The optional-fields mode the request was built under (absent in exact mode). */
  optionalFields?: OptionalFieldsMode;
  /** Things worth knowing about the build, e.g. `override-type-unknown` for an override field the model does not type. */
  warnings?: Warning[];
}

/**
 * What every builder reads from its factory: the generator and the settings.
 *
 * @example
 * const ctx: BuildContext = { rng: createRng(1), signerId: 'u', optionalFields: 'none', rawTx: false, batchSuffix: '{txId}_{n}', profile: resolveProfile('latest') };
 */
export interface BuildContext {
  readonly rng: Rng;
  readonly signerId: string;
  readonly optionalFields: OptionalFieldsMode;
  readonly rawTx: boolean;
  readonly batchSuffix: string;
  /** The Co-signer version the payloads are built for (see {@link BuildOptions.profile}). */
  readonly profile: Profile;
}
