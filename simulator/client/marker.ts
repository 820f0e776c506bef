import { DEFAULT_NOTE } from '../protocol/tx-templates.js';
import type { JsonObject, JsonValue } from '../protocol/types.js';

/**
 * Where a missing externalTxId goes: before the first of these, as the Co-signer orders it
 * (2022 and the merged 2024 order alike: `externalTxId` follows `destinations`) [protocol.md §4.6, §14.4].
 */
const AFTER_EXTERNAL_TX_ID = ['rawTx', 'players', 'note', 'signerId', 'requestId'];

/** A copy of `obj` with `key: value` inserted before the first key of `obj` that `before` accepts (or last). */
function insertBefore(obj: JsonObject, key: string, value: JsonValue, before: (k: string) => boolean): JsonObject {
  const out: JsonObject = {};
  let placed = false;
  for (const [k, v] of Object.entries(obj)) {
    if (!placed && before(k)) {
      out[key] = value;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out[key] = value;
  return out;
}

/**
 * A tx payload with `marker` in `externalTxId` and `note` (`--marker`), so smoke traffic can be
 * told apart in a handler's logs. An existing value keeps its text and its place and gets the
 * marker appended (`-<marker>` for externalTxId: the reference handler's `csim-retry-<N>` RETRY
 * marker reads up to a `-`, so it still works); a missing one, or the builders' placeholder note
 * ({@link DEFAULT_NOTE}), is the marker alone, `externalTxId` in its wire place and a new `note`
 * just after it (the 2024 wire's payloads already carry `note`, just before `requestId`).
 * Returns a new object.
 *
 * @example
 * markTxPayload({ txId: 't', externalTxId: 'fire_tx_1_0', requestId: 't' }, 'smoke-42')
 * // { txId: 't', externalTxId: 'fire_tx_1_0-smoke-42', note: 'smoke-42', requestId: 't' }
 */
export function markTxPayload(payload: JsonObject, marker: string): JsonObject {
  const ext = typeof payload.externalTxId === 'string' && payload.externalTxId !== '' ? `${payload.externalTxId}-${marker}` : marker;
  // The builders' placeholder note (2024 wire) gives way to the marker; a note of the user's keeps its text.
  const own = typeof payload.note === 'string' && payload.note !== '' && payload.note !== DEFAULT_NOTE;
  const note = own ? `${String(payload.note)} ${marker}` : marker;
  const present = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)) as JsonObject;
  let out = 'externalTxId' in present ? { ...present, externalTxId: ext } : insertBefore(present, 'externalTxId', ext, (k) => AFTER_EXTERNAL_TX_ID.includes(k));
  if ('note' in out) out.note = note;
  else {
    const keys = Object.keys(out);
    const next = keys[keys.indexOf('externalTxId') + 1];
    out = insertBefore(out, 'note', note, (k) => k === next);
  }
  return out;
}
