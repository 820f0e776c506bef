import { describe, expect, it } from 'vitest';
import { createRequestFactory } from '../protocol/factory.js';
import { resolveProfile } from '../protocol/profiles.js';
import type { JsonObject } from '../protocol/types.js';
import { markTxPayload } from './marker.js';

const keys = (o: object): string[] => Object.keys(o);

describe('markTxPayload', () => {
  it('appends the marker to externalTxId and adds note after it (2022 wire: no note)', () => {
    expect(markTxPayload({ txId: 't', externalTxId: 'fire_tx_1_0', requestId: 't' }, 'smoke-42')).toEqual({ txId: 't', externalTxId: 'fire_tx_1_0-smoke-42', note: 'smoke-42', requestId: 't' });
    const out = markTxPayload({ txId: 't', destinations: [], players: [], signerId: 's', requestId: 't' }, 'm');
    expect(keys(out)).toEqual(['txId', 'destinations', 'externalTxId', 'note', 'players', 'signerId', 'requestId']);
    expect(out).toMatchObject({ externalTxId: 'm', note: 'm' });
  });

  it('keeps a 2024 payload in its wire order: note stays just before requestId, signerId last [protocol.md §14.4]', () => {
    const f = createRequestFactory({ seed: 1, optionalFields: 'all', rawTx: true });
    const payload = f.tx().payload as JsonObject;
    const out = markTxPayload(payload, 'smoke-42');
    expect(keys(out)).toEqual(keys(payload));
    expect(out.note).toBe('smoke-42'); // the placeholder note gives way
    expect(markTxPayload({ ...payload, note: 'ticket-42' }, 'smoke-42').note).toBe('ticket-42 smoke-42');
    expect(out.externalTxId).toBe(`${String(payload.externalTxId)}-smoke-42`);
    const bare = f.tx({ optionalFields: 'none', stage: 'approval' }).payload as JsonObject;
    expect(keys(markTxPayload(bare, 'm')).slice(-5)).toEqual(['destinations', 'externalTxId', 'note', 'requestId', 'signerId']);
  });

  it('keeps a 2022 signing payload in its wire order', () => {
    const payload = createRequestFactory({ seed: 1, optionalFields: 'none', profile: resolveProfile('sgx@3.5.0') }).tx().payload as JsonObject;
    expect(keys(markTxPayload(payload, 'm')).slice(-4)).toEqual(['externalTxId', 'note', 'signerId', 'requestId']);
  });
});
