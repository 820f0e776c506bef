import { describe, expect, it } from 'vitest';
import { configExtraInfo } from './config-templates.js';
import { createRequestFactory, type RequestFactory } from './factory.js';
import { orderConfigPayload, orderTxPayload } from './key-order.js';
import { resolveProfile } from './profiles.js';
import { serializePayload } from './serialize.js';
import { DEFAULT_PLAYERS, destinationIdentity, SECURITY_ENRICHMENT, TWO_TIER_GROUPS } from './tx-templates.js';

// The builders merge overrides into their payload in place and keep templates, rules, identities
// and extraInfo made once: a payload must still share no object with a template, a cache or
// another request, or one build's overrides (or a caller's edits) would leak into the next.

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Change every leaf and add a key everywhere: what a careless caller might do to its payload. */
function scramble(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => (v !== null && typeof v === 'object' ? scramble(v) : (value[i] = 'X')));
    value.push('junk');
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (o[k] !== null && typeof o[k] === 'object') scramble(o[k]);
      else o[k] = 'X';
    }
    o.zzz = 1;
  }
}

// Overrides that reach into every nested object a build could take from a template.
const DEEP_OVERRIDES = [
  {
    operation: 'TYPED_MESSAGE',
    payload: { 'extraParameters.rawMessageData.messages.0.content.domain.name': 'Evil', 'extraParameters.securityEnrichment.x': 1 },
  },
  {
    policyAction: '2-TIER',
    destinations: 2,
    payload: {
      'destinations.0.authorizationGroups.groups.0.th': 9,
      'destinations.1.authorizationGroups.groups.0.users.0': 'mallory',
      'destinations.0.actionInfo.capturedRule': '{}',
      'destinations.1.dstName': 'Z',
      players: ['p'],
    },
  },
  { destType: 'EXCHANGE', payload: { 'destinations.0.dstId': 'x', destAddress: 'y' }, unset: ['destinations.0.dstName'] },
] as const;

const PLAIN = [{ operation: 'TYPED_MESSAGE' }, { policyAction: '2-TIER', destinations: 2 }, { destType: 'EXCHANGE' }] as const;

describe('builds share no object with templates, caches or each other', () => {
  for (const profile of ['latest', 'sgx@3.5.0']) {
    const make = (): RequestFactory => createRequestFactory({ seed: 11, profile: resolveProfile(profile) });

    it(`${profile}: builds with different overrides, then edited by the caller, leave the next builds as if they had none`, () => {
      const dirty = make();
      const clean = make(); // same seed: the same IDs, build for build
      const overridden = DEEP_OVERRIDES.map((o) => dirty.tx(o));
      const plain = PLAIN.map((o) => clean.tx(o));
      // Each override landed, and only in its own build.
      expect(overridden[0]?.payload.extraParameters).toMatchObject({ rawMessageData: { messages: [{ content: { domain: { name: 'Evil' } } }] } });
      expect(serializePayload(plain[0]?.payload)).not.toContain('Evil');
      expect(serializePayload(overridden[1]?.payload)).toContain('mallory');
      for (const b of overridden) scramble(b.payload);
      const cfgDirty = dirty.configChange({ type: 'EXCHANGE', payload: { 'extraInfo.accountName': 'OKX' } });
      scramble(cfgDirty.payload);
      clean.configChange({ type: 'EXCHANGE' });
      // Both factories read the same module-level templates and caches, so check those by value too.
      const again = PLAIN.map((o) => dirty.tx(o).payload);
      expect(again[0]?.extraParameters).toMatchObject({ rawMessageData: { messages: [{ content: { domain: { name: 'Ether Mail' } } }] } });
      expect(again[1]?.destinations[0]).toMatchObject({ actionInfo: { capturedRule: expect.stringContaining('"2-TIER"') } });
      if (profile === 'latest') expect(again[1]?.destinations[0]).toMatchObject({ authorizationGroups: { groups: [{ th: 2, users: [expect.stringMatching(/^[0-9a-f-]{36}$/)] }] } });
      expect(again[2]?.destinations[0]).toMatchObject({ dstName: 'Binance Main', dstId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(dirty.configChange({ type: 'EXCHANGE' }).payload.extraInfo).toMatchObject({ accountName: 'Binance Main' });
      PLAIN.forEach((o) => clean.tx(o));
      clean.configChange({ type: 'EXCHANGE' });
      // The same builds again, and a default one: byte for byte what the untouched factory gives.
      for (const o of [...PLAIN, {}]) expect(serializePayload(dirty.tx(o).payload)).toBe(serializePayload(clean.tx(o).payload));
      expect(serializePayload(dirty.configChange({ type: 'EXCHANGE' }).payload)).toBe(serializePayload(clean.configChange({ type: 'EXCHANGE' }).payload));
    });
  }

  it('copies the shared constants instead of merging into them (frozen here: a write would throw)', () => {
    deepFreeze(TWO_TIER_GROUPS);
    deepFreeze(SECURITY_ENRICHMENT);
    deepFreeze(DEFAULT_PLAYERS);
    const f = createRequestFactory({ seed: 3 });
    for (const o of DEEP_OVERRIDES) expect(() => f.tx(o)).not.toThrow();
    expect(f.tx({ payload: { 'players.0': 'p' } }).payload.players?.[0]).toBe('p');
    expect(TWO_TIER_GROUPS).toMatchObject({ groups: [{ th: 2 }] });
    expect(SECURITY_ENRICHMENT).toEqual({ securityEnrichment: {} });
  });

  it('hands out a copy of each identity and extraInfo it keeps', () => {
    const id = destinationIdentity('EXCHANGE', 'evm', 1);
    id.dstName = 'changed';
    expect(destinationIdentity('EXCHANGE', 'evm', 1).dstName).toBe('Exchange Account 2');
    const info = configExtraInfo('UNMANAGED_WALLET');
    info.walletName = 'changed';
    expect(configExtraInfo('UNMANAGED_WALLET').walletName).toBe('Counterparty A');
  });
});

describe('built payloads come out in wire order', () => {
  // Not a matter of bytes (ordering settles them anyway) but of cost: ordering a payload that is
  // in order already copies nothing, and the builders create their keys in that order.
  it('so ordering them again returns them as they are, at both wires and stages', () => {
    for (const [profile, wire] of [['latest', '2024'], ['sgx@3.5.0', '2022'], ['sgx@3.3.0', '2022']] as const) {
      const f = createRequestFactory({ seed: 4, profile: resolveProfile(profile), rawTx: true });
      for (const stage of ['approval', 'signing'] as const) {
        for (const operation of ['TRANSFER', 'CONTRACT_CALL', 'RAW'] as const) {
          const { payload } = f.tx({ stage, operation, destinations: 2 });
          expect(orderTxPayload(payload, wire), `${profile} ${stage} ${operation}`).toBe(payload);
        }
      }
      const cfg = f.configChange({ type: 'EXCHANGE' }).payload;
      expect(orderConfigPayload(cfg)).toBe(cfg);
    }
  });

  it('while a payload out of order is reordered into a copy, its input untouched', () => {
    const input = { requestId: 'r', txId: 't', destinations: [{ dstId: 'd', amountNative: 1 }] };
    const out = orderTxPayload(input);
    expect(out).not.toBe(input);
    expect(Object.keys(out)).toEqual(['txId', 'destinations', 'requestId']);
    expect(Object.keys(out.destinations[0] ?? {})).toEqual(['amountNative', 'dstId']);
    expect(Object.keys(input)).toEqual(['requestId', 'txId', 'destinations']);
    expect(Object.keys(input.destinations[0] ?? {})).toEqual(['dstId', 'amountNative']);
  });
});
