import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEST_ADDRESS, DEFAULT_VAULT_ADDRESS } from './addresses.js';
import { keccak256 } from './keccak.js';
import { DEST_KEY_ORDER_2024, TX_KEY_ORDER, TX_KEY_ORDER_2024 } from './key-order.js';
import { createRequestFactory } from './factory.js';
import { resolveProfile } from './profiles.js';
import { UUID_V4_RE } from './rng.js';
import { serializePayload } from './serialize.js';
import { DEFAULT_DEST_WALLET_ID, DEFAULT_NOTE, DEFAULT_PLAYERS, DEST_TYPES, POLICY_ACTIONS } from './tx-templates.js';
import { TX_OPERATIONS, type TxDestination } from './types.js';

// Most of this file pins the 2022 wire (sgx@3.5.0: today's field set, as captured in 2022/2023);
// "the 2024 wire" below holds the latest profile's [protocol.md §14.4].
const P2022 = resolveProfile('sgx@3.5.0');
const P2024 = resolveProfile('latest');
const f = (opts: Parameters<typeof createRequestFactory>[0] = {}) => createRequestFactory({ seed: 1, profile: P2022, ...opts });
const f24 = (opts: Parameters<typeof createRequestFactory>[0] = {}) => createRequestFactory({ seed: 1, profile: P2024, ...opts });
const WIRES = [['2022', f], ['2024', f24]] as const;
const dest = (p: { destinations: TxDestination[] }, i = 0): TxDestination => {
  const d = p.destinations[i];
  if (d === undefined) throw new Error(`no destination ${i}`);
  return d;
};

describe('the default tx_sign_request', () => {
  it('is a signing-stage ETH TRANSFER of 0.01 from vault 0 to the whitelisted wallet', () => {
    const { payload, endpoint, stage } = f({ optionalFields: 'none' }).tx();
    expect(endpoint).toBe('tx_sign_request');
    expect(stage).toBe('signing');
    expect(payload).toMatchObject({
      operation: 'TRANSFER', sourceType: 'VAULT', sourceId: '0', destType: 'UNMANAGED', destId: DEFAULT_DEST_WALLET_ID,
      asset: 'ETH', amount: 0.01, amountStr: '0.010000000000000000', requestedAmount: 0.01, requestedAmountStr: '0.01',
      fee: '0.000584261607657000', destAddressType: 'WHITELISTED', destAddress: DEFAULT_DEST_ADDRESS,
    });
    expect(dest(payload)).toEqual({
      amountNative: 0.01, amountNativeStr: '0.01', amountUSD: 18.74292937, dstAddressType: 'WHITELISTED', dstId: DEFAULT_DEST_WALLET_ID,
      dstName: 'Counterparty A', dstSubType: 'EXTERNAL', dstType: 'UNMANAGED', displayDstAddress: DEFAULT_DEST_ADDRESS, action: 'ALLOW',
      actionInfo: expect.objectContaining({ capturedRuleNum: 5, byRule: true, capturedRule: expect.any(String) }),
    });
    expect(JSON.parse(String(dest(payload).actionInfo.capturedRule))).toMatchObject({ type: 'TRANSFER', applyForApprove: true, action: 'ALLOW' });
  });

  it('has a UUID v4 txId, requestId equal to it, and a signerId before requestId [U]', () => {
    const { payload, requestId, txId } = f().tx();
    expect(payload.txId).toMatch(UUID_V4_RE);
    expect(payload.requestId).toBe(payload.txId);
    expect(requestId).toBe(payload.txId);
    expect(txId).toBe(payload.txId);
    expect(payload.signerId).toMatch(UUID_V4_RE);
    expect(Object.keys(payload).slice(-2)).toEqual(['signerId', 'requestId']);
  });

  it('builds keys in the captured order [protocol.md §4.6]', () => {
    const { payload } = f({ optionalFields: 'all', rawTx: true }).tx();
    expect(Object.keys(payload)).toEqual(TX_KEY_ORDER.filter((k) => k !== 'extraParameters'));
    expect(Object.keys(dest(payload))).toEqual([
      'amountNative', 'amountNativeStr', 'amountUSD', 'dstAddress', 'dstAddressType', 'dstId', 'dstWalletId', 'dstName', 'dstSubType', 'dstType', 'displayDstAddress', 'action', 'actionInfo',
    ]);
  });
});

describe('stages [protocol.md §4.7]', () => {
  it('approval has no fee, displayDstAddress, rawTx or players, even with everything switched on', () => {
    const { payload, stage } = f({ optionalFields: 'all', rawTx: true }).tx({ stage: 'approval', destinations: 2 });
    expect(stage).toBe('approval');
    for (const k of ['fee', 'rawTx', 'players']) expect(payload).not.toHaveProperty(k);
    for (const d of payload.destinations) expect(d).not.toHaveProperty('displayDstAddress');
    expect(payload.externalTxId).toMatch(/^fire_tx_\d+_0$/);
  });

  it('signing adds fee and displayDstAddress on every destination', () => {
    const { payload } = f({ optionalFields: 'none' }).tx({ stage: 'signing', destinations: 2 });
    expect(payload.fee).toBe('0.000584261607657000');
    for (const d of payload.destinations) expect(d.displayDstAddress).toBeTypeOf('string');
  });

  it('rawTx is off by default and only sent on signing when the workspace opted in', () => {
    expect(f({ optionalFields: 'all' }).tx().payload).not.toHaveProperty('rawTx');
    const { payload } = f({ optionalFields: 'all', rawTx: true }).tx();
    expect(payload.rawTx).toHaveLength(1);
  });

  it('players are optional on signing', () => {
    expect(f({ optionalFields: 'all' }).tx().payload.players).toEqual(DEFAULT_PLAYERS);
    expect(f({ optionalFields: 'none' }).tx().payload).not.toHaveProperty('players');
  });

  it('refuses an unknown stage', () => {
    expect(() => f().tx({ stage: 'sign' as 'signing' })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('"sign"') }));
  });
});

describe('rawTx content', () => {
  it('encodes the ETH transfer the payload describes, payload = keccak256(rawTx)', () => {
    const { payload } = f({ rawTx: true }).tx({ destType: 'VAULT', payload: { amountStr: '0.01' } });
    const el = payload.rawTx?.[0] ?? {};
    const raw = String(el.rawTx);
    expect(raw).toMatch(/^02/);
    expect(raw).toContain(DEFAULT_VAULT_ADDRESS.slice(2).toLowerCase());
    expect(raw).toContain('872386f26fc10000'); // 0.01 ETH in wei
    expect(el.payload).toBe(Buffer.from(keccak256(Buffer.from(raw, 'hex'))).toString('hex'));
    expect(el.keyDerivationPath).toBe('[ 44, 60, 0, 0, 0 ]');
  });
});

describe('operations [protocol.md §4.5]', () => {
  for (const [wire, make] of WIRES) {
    for (const operation of TX_OPERATIONS) {
      it(`has a template for ${operation} (${wire} wire)`, () => {
        const { payload } = make({ rawTx: true }).tx({ operation });
        expect(payload.operation).toBe(operation);
        expect(payload.requestId).toBe(payload.txId);
        expect(Array.isArray(payload.rawTx)).toBe(true);
        expect(serializePayload(payload)).toContain(`"operation":"${operation}"`);
        expect(Object.keys(payload)).toEqual((wire === '2022' ? TX_KEY_ORDER : TX_KEY_ORDER_2024).filter((k) => k in payload));
      });
    }
  }

  it('RAW carries extraParameters.rawMessageData with an algorithm and message contents [protocol.md §4.4]', () => {
    const { payload } = f().tx({ operation: 'RAW' });
    const rmd = (payload.extraParameters?.rawMessageData ?? {}) as { algorithm?: string; messages?: { content?: string }[] };
    expect(rmd.algorithm).toBe('MPC_ECDSA_SECP256K1');
    expect(rmd.messages?.[0]?.content).toMatch(/^[0-9a-f]{64}$/);
    expect(payload.destinations).toEqual([]);
    expect(Object.keys(payload).indexOf('extraParameters')).toBe(Object.keys(payload).indexOf('destinations') + 1);
  });

  it('TYPED_MESSAGE carries an EIP712 message [protocol.md §4.4]', () => {
    const { payload } = f().tx({ operation: 'TYPED_MESSAGE' });
    const msg = (payload.extraParameters?.rawMessageData as { messages: { content: { primaryType: string }; type: string }[] }).messages[0];
    expect(msg?.type).toBe('EIP712');
    expect(msg?.content.primaryType).toBe('Mail');
  });

  it('contract operations pay a whitelisted contract, CONTRACT_CALL with calldata', () => {
    const { payload } = f().tx({ operation: 'CONTRACT_CALL' });
    expect(dest(payload).dstSubType).toBe('CONTRACT');
    expect(payload.extraParameters).toEqual({ contractCallData: '0xd0e30db0' });
  });

  it('picks the template from payload.operation when it names a documented operation, and sends others literally', () => {
    expect(f().tx({ payload: { operation: 'RAW' } }).payload.extraParameters).toHaveProperty('rawMessageData');
    const odd = f().tx({ payload: { operation: 'STAKE' } }).payload;
    expect(odd.operation).toBe('STAKE');
    expect(odd.asset).toBe('ETH');
    expect(() => f().tx({ operation: 'STAKE' as 'RAW' })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', hint: expect.stringContaining('payload.operation') }));
  });
});

describe('destination types', () => {
  it('has a template for each type, on both wires and at both stages', () => {
    for (const [, make] of WIRES) {
      for (const stage of ['approval', 'signing'] as const) {
        for (const destType of DEST_TYPES) {
          const { payload } = make().tx({ destType, stage });
          expect(payload.destType).toBe(destType);
          expect(dest(payload).dstType).toBe(destType);
          expect(payload.destAddress).toBe(dest(payload).dstAddress);
        }
      }
    }
    for (const destType of DEST_TYPES) expect(f().tx({ destType }).payload.destAddress).toBe(dest(f().tx({ destType }).payload).displayDstAddress);
  });

  it('ONE_TIME_ADDRESS: destAddressType ONE_TIME, destId "", no dstName or dstSubType', () => {
    const { payload } = f({ optionalFields: 'all' }).tx({ destType: 'ONE_TIME_ADDRESS' });
    expect(payload).toMatchObject({ destType: 'ONE_TIME_ADDRESS', destId: '', destAddressType: 'ONE_TIME' });
    const d = dest(payload);
    expect(d).toMatchObject({ dstType: 'ONE_TIME_ADDRESS', dstId: '', dstAddressType: 'ONE_TIME' });
    expect(d).not.toHaveProperty('dstName');
    expect(d).not.toHaveProperty('dstSubType');
  });

  it('UNMANAGED is EXTERNAL, VAULT is vault 1 "Network Deposits", EXCHANGE and NETWORK_CONNECTION are whitelisted', () => {
    expect(dest(f().tx({ destType: 'UNMANAGED' }).payload)).toMatchObject({ dstSubType: 'EXTERNAL', dstAddressType: 'WHITELISTED' });
    expect(f().tx({ destType: 'VAULT' }).payload).toMatchObject({ destId: '1', destAddress: DEFAULT_VAULT_ADDRESS });
    expect(dest(f().tx({ destType: 'VAULT' }).payload)).toMatchObject({ dstName: 'Network Deposits', dstSubType: '' });
    expect(dest(f().tx({ destType: 'EXCHANGE' }).payload)).toMatchObject({ dstSubType: 'BINANCE', dstAddressType: 'WHITELISTED', dstId: expect.stringMatching(UUID_V4_RE) });
    expect(dest(f().tx({ destType: 'NETWORK_CONNECTION' }).payload)).toMatchObject({ dstAddressType: 'WHITELISTED', dstId: expect.stringMatching(UUID_V4_RE) });
  });

  it('refuses an unknown destType', () => {
    expect(() => f().tx({ destType: 'FIAT' as 'VAULT' })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('"FIAT"') }));
  });
});

describe('multi-destination transfers', () => {
  it('splits the amount between a number of destinations, in base units, extras first', () => {
    const { payload } = f().tx({ destinations: 3, payload: { requestedAmountStr: '1', asset: 'BTC' } });
    expect(payload.amountStr).toBe('1.00000000');
    expect(payload.destinations.map((d) => d.amountNativeStr)).toEqual(['0.33333334', '0.33333333', '0.33333333']);
    expect(new Set(payload.destinations.map((d) => d.displayDstAddress)).size).toBe(3);
    expect(payload.destinations.map((d) => d.amountUSD)).toEqual([9794.70686256, 9794.70656872, 9794.70656872]);
  });

  it('takes a list of destination specs with types and amounts; the total is their sum', () => {
    const { payload } = f().tx({ destinations: [{ type: 'VAULT', amountStr: '0.1' }, { type: 'ONE_TIME_ADDRESS', amountStr: '0.2' }] });
    expect(payload.destinations.map((d) => [d.dstType, d.amountNativeStr])).toEqual([['VAULT', '0.1'], ['ONE_TIME_ADDRESS', '0.2']]);
    expect(payload).toMatchObject({ requestedAmountStr: '0.3', amountStr: '0.300000000000000000', amount: 0.3, destType: 'VAULT' });
  });

  it('refuses amounts on some destinations only, and bad counts', () => {
    expect(() => f().tx({ destinations: [{ amountStr: '1' }, {}] })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => f().tx({ destinations: 1.5 })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(f().tx({ destinations: 0 }).payload.destinations).toEqual([]);
  });
});

describe('amount consistency', () => {
  it('derives every amount field from an amountStr override (which is sent as given)', () => {
    const { payload } = f().tx({ destinations: 2, payload: { amountStr: '2.5' } });
    expect(payload).toMatchObject({ amountStr: '2.5', amount: 2.5, requestedAmount: 2.5, requestedAmountStr: '2.5' });
    expect(payload.destinations.map((d) => [d.amountNative, d.amountNativeStr, d.amountUSD])).toEqual([
      [1.25, '1.25', 2342.86617125],
      [1.25, '1.25', 2342.86617125],
    ]);
  });

  it('keeps fields that are overridden too', () => {
    const { payload } = f().tx({ destinations: 2, payload: { amountStr: '2.5', requestedAmountStr: '3', 'destinations.0.amountUSD': 5 } });
    expect(payload.requestedAmountStr).toBe('3');
    expect(dest(payload, 0).amountUSD).toBe(5);
    expect(dest(payload, 1).amountUSD).toBe(2342.86617125);
  });

  it('re-derives padding, USD values and fee when the asset changes', () => {
    const { payload } = f().tx({ payload: { asset: 'BTC' } });
    expect(payload).toMatchObject({ asset: 'BTC', amountStr: '0.01000000', requestedAmountStr: '0.01', fee: '0.00004164' });
    expect(dest(payload).amountUSD).toBe(293.8412);
    expect(dest(payload).displayDstAddress).toMatch(/^bc1q/);
    expect(f().tx({ payload: { asset: 'USDC', requestedAmountStr: '12.5' } }).payload.amountStr).toBe('12.500000');
  });

  it('pads amountStr when the amount comes from requestedAmountStr or amount', () => {
    expect(f().tx({ payload: { requestedAmountStr: '0.0041', asset: 'ETH_TEST' } }).payload).toMatchObject({ amountStr: '0.004100000000000000', amount: 0.0041 });
    expect(dest(f().tx({ payload: { requestedAmountStr: '0.0041', asset: 'ETH_TEST' } }).payload).amountUSD).toBe(13.35859416);
    expect(f().tx({ payload: { amount: 250000 } }).payload).toMatchObject({ amountStr: '250000.000000000000000000', requestedAmountStr: '250000' });
  });

  it('avoids float garbage', () => {
    const { payload } = f().tx({ destinations: 3, payload: { requestedAmountStr: '0.3' } });
    expect(payload.destinations.map((d) => d.amountNativeStr)).toEqual(['0.1', '0.1', '0.1']);
    expect(serializePayload(payload)).not.toMatch(/\d{9,}[1-9]"/);
  });

  it('sends an unreadable amount as given and keeps the template amounts elsewhere', () => {
    const { payload } = f().tx({ payload: { amountStr: 'abc' } });
    expect(payload).toMatchObject({ amountStr: 'abc', amount: 0.01, requestedAmountStr: '0.01' });
  });
});

describe('overrides and unset', () => {
  it('deletes paths and keeps null as a value', () => {
    const { payload } = f().tx({ payload: { externalTxId: null }, unset: ['destinations.0.dstName', 'signerId'] });
    expect(payload).not.toHaveProperty('signerId');
    expect(dest(payload)).not.toHaveProperty('dstName');
    expect(payload.externalTxId).toBeNull();
  });

  it('replaces arrays wholesale and edits one element with a dotted key', () => {
    expect(f().tx({ payload: { players: ['p1'] } }).payload.players).toEqual(['p1']);
    const { payload } = f().tx({ destinations: 2, payload: { 'destinations.1.dstName': 'Renamed' } });
    expect(payload.destinations.map((d) => d.dstName)).toEqual(['Counterparty A', 'Renamed']);
  });

  it('puts unknown fields before signerId/requestId', () => {
    const { payload } = f().tx({ payload: { note: 'hello' } });
    expect(Object.keys(payload).slice(-3)).toEqual(['note', 'signerId', 'requestId']);
  });

  it('throws OverridePathError naming a bad path', () => {
    expect(() => f().tx({ payload: { 'destinations.3.amountUSD': 1 } })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', message: expect.stringContaining('destinations.3.amountUSD') }));
    expect(() => f().tx({ unset: ['asset.x'] })).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', field: 'asset.x' }));
  });
});

describe('exact mode', () => {
  it('sends the payload as given: no template, no derivation, no IDs', () => {
    const given = { txId: 't', amountStr: '7', requestId: 'r-1', zzz: [1] };
    const built = f().tx({ exact: true, payload: given });
    expect(built.payload).toEqual(given);
    expect(Object.keys(built.payload)).toEqual(Object.keys(given));
    expect(built.payload).not.toBe(given);
    expect(built).toMatchObject({ requestId: 'r-1', txId: 't', endpoint: 'tx_sign_request', stage: 'approval' });
    expect(f().tx({ exact: true, payload: { fee: '1' } }).stage).toBe('signing');
  });

  it('gives requestId "" when the payload has none, and does not throw', () => {
    const built = f().tx({ exact: true, payload: { txId: 't' } });
    expect(built.requestId).toBe('');
  });

  it('draws nothing from the generator', () => {
    const a = f();
    a.tx({ exact: true, payload: {} });
    expect(a.tx().payload).toEqual(f().tx().payload);
  });

  it('refuses options that shape a template, and a missing payload', () => {
    expect(() => f().tx({ exact: true, payload: {}, unset: ['x'] })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('"unset"') }));
    expect(() => f().tx({ exact: true, payload: {}, batched: true })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
    expect(() => f().tx({ exact: true })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('payload') }));
  });
});

describe('IDs', () => {
  it('makes a fresh UUID v4 per request', () => {
    const fac = f();
    const ids = Array.from({ length: 20 }, () => fac.tx().txId);
    expect(new Set(ids).size).toBe(20);
  });

  it('reuses a txId across approval and signing; requestId equals it', () => {
    const fac = f();
    const approval = fac.tx({ stage: 'approval' });
    const signing = fac.tx({ stage: 'signing', txId: approval.txId ?? '' });
    expect(signing.payload.txId).toBe(approval.payload.txId);
    expect(signing.requestId).toBe(approval.requestId);
  });

  it('batched mode gives requestId a suffix txId lacks', () => {
    const a = f().tx({ batched: true });
    expect(a.requestId).toBe(`${a.txId ?? ''}_0`);
    expect(a.payload.requestId).toBe(a.requestId);
    expect(a.payload.txId).toBe(a.txId);
    expect(f().tx({ batched: 2, txId: 'tx' }).requestId).toBe('tx_2');
    expect(f({ batchSuffix: '{txId}.batch{n}' }).tx({ batched: 1, txId: 'tx' }).requestId).toBe('tx.batch1');
    expect(() => f().tx({ batched: -1 })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });
});

describe('reproducibility and optional fields', () => {
  const run = (seed: number | string) => {
    const fac = createRequestFactory({ seed, rawTx: true });
    return [
      fac.tx(),
      fac.tx({ stage: 'approval', destinations: 2 }),
      fac.tx({ operation: 'RAW' }),
      fac.configChange(),
      fac.tx({ payload: { asset: 'BTC' } }),
      fac.tx({ operation: 'PROGRAM_CALL' }),
    ].map((b) => serializePayload(b.payload));
  };

  it('gives identical payloads for the same seed and sequence of builds', () => {
    expect(run(99)).toEqual(run(99));
    expect(run('99')).toEqual(run(99));
    expect(run(100)).not.toEqual(run(99));
  });

  it('random mode varies the presence of each optional field; none and all fix it', () => {
    const fac = createRequestFactory({ seed: 3, optionalFields: 'random' });
    const seen = { externalTxId: new Set<boolean>(), players: new Set<boolean>(), dstAddress: new Set<boolean>(), dstWalletId: new Set<boolean>() };
    for (let i = 0; i < 40; i++) {
      const { payload } = fac.tx();
      seen.externalTxId.add('externalTxId' in payload);
      seen.players.add('players' in payload);
      seen.dstAddress.add('dstAddress' in dest(payload));
      seen.dstWalletId.add('dstWalletId' in dest(payload));
      expect(payload.signerId).toBe(fac.signerId);
      expect(payload).not.toHaveProperty('rawTx');
    }
    for (const s of Object.values(seen)) expect([...s].sort()).toEqual([false, true]);

    const none = f({ optionalFields: 'none' }).tx().payload;
    expect(['externalTxId', 'players'].filter((k) => k in none)).toEqual([]);
    expect(['dstAddress', 'dstWalletId'].filter((k) => k in dest(none))).toEqual([]);
    const all = f({ optionalFields: 'all' }).tx().payload;
    expect(all).toMatchObject({ externalTxId: expect.stringMatching(/^fire_tx_/), players: DEFAULT_PLAYERS });
    expect(dest(all)).toMatchObject({ dstAddress: DEFAULT_DEST_ADDRESS, dstWalletId: '' });
  });
});

/** The 2024 capture (approval stage, TRANSFER to a one-time address) [protocol.md §10.3, §14.4]. */
const GOAT_2024 = JSON.parse(readFileSync(new URL('../../test/fixtures/captured-requests/goat-2024.payload.json', import.meta.url), 'utf8')) as {
  destinations: Record<string, unknown>[];
} & Record<string, unknown>;
const keysOf = (o: unknown): string[] => Object.keys(o as object);

describe('the 2024 wire (latest) [protocol.md §14.4]', () => {
  // The capture's request: approval, TRANSFER, one-time address, a 2-TIER rule. externalTxId and
  // dstWalletId are optional fields the capture lacks.
  const capturedLike = () =>
    f24({ optionalFields: 'all' }).tx({ stage: 'approval', destType: 'ONE_TIME_ADDRESS', policyAction: '2-TIER', unset: ['externalTxId', 'destinations.0.dstWalletId'] }).payload;

  it('builds the capture\'s top-level keys in the capture\'s order', () => {
    expect(keysOf(capturedLike())).toEqual(keysOf(GOAT_2024));
  });

  it('builds the capture\'s destination keys, actionInfo keys and authorizationGroups shape in its order', () => {
    const d = dest(capturedLike());
    const g = GOAT_2024.destinations[0] ?? {};
    expect(keysOf(d)).toEqual(keysOf(g));
    expect(keysOf(d.actionInfo)).toEqual(keysOf(g.actionInfo));
    expect(d.authorizationGroups).toMatchObject({ logic: 'OR', groups: [{ th: 2, users: [expect.any(String)], usersGroups: [expect.any(String)] }], allowOperatorAsAuthorizer: true });
    expect(keysOf(d.authorizationGroups)).toEqual(keysOf(g.authorizationGroups));
    // The captured rule's keys come back shorter-first, as from a jsonb column [I]: so does ours.
    const ours = keysOf(JSON.parse(String(d.actionInfo.capturedRule)));
    const theirs = keysOf(JSON.parse(String((g.actionInfo as Record<string, unknown>).capturedRule)));
    expect(ours).toEqual(theirs.filter((k) => ours.includes(k)));
  });

  it('carries the 2024 fields: note, securityEnrichment, tags, ruleType, an unpadded amountStr, displayDstAddress at approval', () => {
    const p = capturedLike();
    expect(p).toMatchObject({ note: DEFAULT_NOTE, extraParameters: { securityEnrichment: {} }, amountStr: '0.01', requestedAmountStr: '0.01', signerId: expect.stringMatching(UUID_V4_RE) });
    expect(p).not.toHaveProperty('destAddressType');
    expect(dest(p)).toMatchObject({ dstAddressType: 'ONE_TIME', dstTag: '', displayDstTag: '', displayDstAddress: p.destAddress, action: '2-TIER', actionInfo: { ruleType: 'TENANT' } });
    expect(JSON.parse(String(dest(p).actionInfo.capturedRule))).toMatchObject({ action: '2-TIER', authorizationGroups: dest(p).authorizationGroups });
    expect(f24().tx({ stage: 'approval', payload: { asset: 'ETH_TEST5', amountStr: '0.001' } }).payload.amountStr).toBe('0.001');
    expect(f24().tx({ payload: { requestedAmountStr: '1', asset: 'BTC' } }).payload.amountStr).toBe('1');
  });

  it('keeps top-level destAddressType for a whitelisted destination', () => {
    expect(f24().tx({ destType: 'UNMANAGED' }).payload.destAddressType).toBe('WHITELISTED');
  });

  it('puts a signing-stage request in the merged order: signing-only keys at their 2022 places, note before requestId, signerId last', () => {
    const { payload } = f24({ optionalFields: 'all', rawTx: true }).tx();
    expect(keysOf(payload)).toEqual(TX_KEY_ORDER_2024);
    expect(keysOf(payload).slice(-7)).toEqual(['destinations', 'externalTxId', 'rawTx', 'players', 'note', 'requestId', 'signerId']);
    expect(keysOf(dest(payload))).toEqual(DEST_KEY_ORDER_2024);
    // Every 2022 neighbour pair keeps its order in the merged order.
    const common = TX_KEY_ORDER.filter((k) => TX_KEY_ORDER_2024.includes(k) && k !== 'signerId' && k !== 'extraParameters');
    expect(TX_KEY_ORDER_2024.filter((k) => common.includes(k))).toEqual(common);
  });

  it('merges securityEnrichment with the operation\'s own extraParameters and with overrides', () => {
    expect(f24().tx({ operation: 'CONTRACT_CALL' }).payload.extraParameters).toEqual({ contractCallData: '0xd0e30db0', securityEnrichment: {} });
    expect(f24().tx({ payload: { 'extraParameters.message': 'hi' } }).payload.extraParameters).toEqual({ securityEnrichment: {}, message: 'hi' });
    const raw = f24({ rawTx: true }).tx({ operation: 'RAW' }).payload;
    expect(raw.extraParameters).toHaveProperty('rawMessageData');
    expect(raw.rawTx).toHaveLength(1);
  });

  it('makes the policy action choosable, ALLOW by default, and refuses an unknown one', () => {
    expect(dest(f24().tx().payload).action).toBe('ALLOW');
    expect(dest(f24().tx().payload).authorizationGroups).toEqual({ logic: 'OR', groups: [], allowOperatorAsAuthorizer: false });
    for (const policyAction of POLICY_ACTIONS) {
      for (const make of [f, f24]) {
        const d = dest(make().tx({ policyAction }).payload);
        expect(d.action).toBe(policyAction);
        expect(JSON.parse(String(d.actionInfo.capturedRule)).action).toBe(policyAction);
      }
    }
    expect(dest(f().tx({ policyAction: '2-TIER' }).payload)).not.toHaveProperty('authorizationGroups');
    expect(() => f24().tx({ policyAction: 'DENY' as 'ALLOW' })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('"DENY"') }));
    expect(() => f24().tx({ exact: true, payload: {}, policyAction: 'ALLOW' })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });

  it('puts unknown fields before note, and lets note be set or unset', () => {
    expect(keysOf(f24().tx({ payload: { customerRefId: 'c' } }).payload).slice(-4)).toEqual(['customerRefId', 'note', 'requestId', 'signerId']);
    expect(f24().tx({ payload: { note: 'ticket-42' } }).payload.note).toBe('ticket-42');
    expect(f24().tx({ unset: ['note'] }).payload).not.toHaveProperty('note');
  });
});

describe('the 2022 wire keeps its field set', () => {
  it('has none of the 2024 fields, a padded amountStr and signerId before requestId', () => {
    const { payload } = f({ optionalFields: 'all' }).tx({ stage: 'approval', destType: 'ONE_TIME_ADDRESS' });
    for (const k of ['note', 'extraParameters']) expect(payload).not.toHaveProperty(k);
    for (const k of ['dstTag', 'displayDstTag', 'authorizationGroups', 'displayDstAddress']) expect(dest(payload)).not.toHaveProperty(k);
    expect(dest(payload).actionInfo).not.toHaveProperty('ruleType');
    expect(payload).toMatchObject({ destAddressType: 'ONE_TIME', amountStr: '0.010000000000000000' });
    expect(keysOf(payload).slice(-2)).toEqual(['signerId', 'requestId']);
  });

  it('sends no signerId under a profile before it (sgx@3.3.0), in transactions and config changes', () => {
    const old = createRequestFactory({ seed: 1, profile: resolveProfile('sgx@3.3.0') });
    expect(old.tx().payload).not.toHaveProperty('signerId');
    expect(old.tx().omittedFields).toContain('signerId');
    expect(old.configChange().payload).not.toHaveProperty('signerId');
    expect(keysOf(old.configChange().payload)).toEqual(['requestId', 'type', 'extraInfo']);
    expect(f().configChange().payload.signerId).toMatch(UUID_V4_RE);
    expect(f24().configChange().payload.signerId).toMatch(UUID_V4_RE);
  });
});
