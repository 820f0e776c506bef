import type { Endpoint, Stage } from './types.js';

/**
 * The optional top-level fields of a `tx_sign_request` [protocol.md §4.1]: the docs warn they
 * are not always sent. `players` is a signing-stage field [protocol.md §4.7].
 */
export const OPTIONAL_TX_FIELDS = ['externalTxId', 'players', 'signerId'] as const;
/** The optional fields of each `destinations[]` entry [protocol.md §4.2]. */
export const OPTIONAL_DESTINATION_FIELDS = ['dstAddress', 'dstWalletId'] as const;
/** The optional fields of a `config_change_sign_request` [protocol.md §6]. */
export const OPTIONAL_CONFIG_FIELDS = ['signerId'] as const;

/**
 * The optional fields a payload lacks, as dotted paths in payload order: what a handler that
 * reads them would trip over. Read from the payload itself, so it is true however the field
 * went missing (the optional-fields mode, `unset`, an exact payload).
 *
 * @example
 * omittedOptionalFields('tx_sign_request', 'signing', { destinations: [{}], signerId: 'u' })
 * // ['externalTxId', 'players', 'destinations.0.dstAddress', 'destinations.0.dstWalletId']
 */
export function omittedOptionalFields(endpoint: Endpoint, stage: Stage, payload: Readonly<Record<string, unknown>>): string[] {
  if (endpoint === 'config_change_sign_request') return OPTIONAL_CONFIG_FIELDS.filter((k) => payload[k] === undefined);
  const out: string[] = OPTIONAL_TX_FIELDS.filter((k) => payload[k] === undefined && (k !== 'players' || stage === 'signing'));
  const destinations = payload.destinations;
  if (Array.isArray(destinations)) {
    destinations.forEach((d: unknown, i) => {
      if (d === null || typeof d !== 'object' || Array.isArray(d)) return;
      for (const k of OPTIONAL_DESTINATION_FIELDS) if ((d as Record<string, unknown>)[k] === undefined) out.push(`destinations.${i}.${k}`);
    });
  }
  return out;
}
