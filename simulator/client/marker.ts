import type { JsonObject } from '../protocol/types.js';

/** Where a missing externalTxId goes: before the first of these, as the Co-signer orders it [protocol.md §4.6]. */
const AFTER_EXTERNAL_TX_ID = ['rawTx', 'players', 'signerId', 'requestId'];

/**
 * A tx payload with `marker` in `externalTxId` and `note` (`--marker`), so smoke traffic can be
 * told apart in a handler's logs. An existing value keeps its text and gets `-<marker>` appended
 * (the reference handler's `csim-retry-<N>` RETRY marker reads up to a `-`, so it still works);
 * a missing one is the marker alone. `note` follows `externalTxId`. Returns a new object.
 *
 * @example
 * markTxPayload({ txId: 't', externalTxId: 'fire_tx_1_0', requestId: 't' }, 'smoke-42')
 * // { txId: 't', externalTxId: 'fire_tx_1_0-smoke-42', note: 'smoke-42', requestId: 't' }
 */
export function markTxPayload(payload: JsonObject, marker: string): JsonObject {
  const ext = typeof payload.externalTxId === 'string' && payload.externalTxId !== '' ? `${payload.externalTxId}-${marker}` : marker;
  const note = typeof payload.note === 'string' && payload.note !== '' ? `${payload.note} ${marker}` : marker;
  const out: JsonObject = {};
  const keys = Object.keys(payload).filter((k) => k !== 'note' && payload[k] !== undefined);
  const at = keys.includes('externalTxId') ? keys.indexOf('externalTxId') : (() => {
    const i = keys.findIndex((k) => AFTER_EXTERNAL_TX_ID.includes(k));
    return i === -1 ? keys.length : i;
  })();
  keys.forEach((k, i) => {
    if (i === at) {
      out.externalTxId = ext;
      out.note = note;
    }
    if (k !== 'externalTxId') out[k] = payload[k]!;
  });
  if (at === keys.length) {
    out.externalTxId = ext;
    out.note = note;
  }
  return out;
}
