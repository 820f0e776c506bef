import type { ConfigBuildInput, TxBuildInput } from '../protocol/index.js';
import type { ScenarioRequest } from './types.js';

/**
 * What a scenario's request asks the request builder for: the one mapping from a scenario file's
 * `request:` to the builder's input, used by the runner (which sends it) and by `--dry-run`
 * (which only prints it). Transport overrides (`path`, `headers`, `body`, `signWith`) are not
 * the builder's business and stay with the caller.
 *
 * @example
 * txBuildInput({ type: 'tx', stage: 'approval', batched: true }); // { stage: 'approval', batched: true }
 */
export function txBuildInput(r: ScenarioRequest): TxBuildInput {
  const exact = r.payloadMode === 'exact';
  const input: TxBuildInput = {};
  if (r.stage !== undefined) input.stage = r.stage;
  // Exact mode sends the payload as written: no optional fields are added or dropped.
  if (r.optionalFields !== undefined && !exact) input.optionalFields = r.optionalFields;
  if (r.operation !== undefined) input.operation = r.operation as NonNullable<TxBuildInput['operation']>;
  if (r.destType !== undefined) input.destType = r.destType as NonNullable<TxBuildInput['destType']>;
  if (r.destinations !== undefined) input.destinations = r.destinations as NonNullable<TxBuildInput['destinations']>;
  if (r.payload !== undefined) input.payload = r.payload;
  if (r.unset !== undefined) input.unset = r.unset;
  if (r.batched !== undefined) input.batched = r.batched;
  if (exact) input.exact = true;
  return input;
}

/**
 * The builder's input for a scenario's config change request.
 *
 * @example
 * configBuildInput({ type: 'config', configType: 'ADD_USER' }); // { type: 'ADD_USER' }
 */
export function configBuildInput(r: ScenarioRequest): ConfigBuildInput {
  const input: ConfigBuildInput = {};
  if (r.configType !== undefined) input.type = r.configType;
  if (r.payload !== undefined) input.payload = r.payload;
  if (r.unset !== undefined) input.unset = r.unset;
  if (r.payloadMode === 'exact') input.exact = true;
  return input;
}
