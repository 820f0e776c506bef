import { describe, expect, it } from 'vitest';
import { CONFIG_FIELD_TYPES, convertOverrides, convertValue, fieldType, normalizeFieldPath, readTypedText, TX_FIELD_TYPES, type WireType } from './field-types.js';
import { createRequestFactory } from './factory.js';
import { resolveProfile } from './profiles.js';
import { DEST_TYPES, POLICY_ACTIONS } from './tx-templates.js';
import { CONFIG_CHANGE_TYPES, type Endpoint, TX_OPERATIONS } from './types.js';

function wireType(v: unknown): WireType {
  return Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : (typeof v as WireType);
}

/** Every field path the templates produce, with the JSON type found there. */
function templateFields(): { endpoint: Endpoint; path: string; type: WireType }[] {
  const out: { endpoint: Endpoint; path: string; type: WireType }[] = [];
  const walk = (endpoint: Endpoint, v: unknown, path: string) => {
    if (path !== '') out.push({ endpoint, path, type: wireType(v) });
    if (Array.isArray(v)) v.forEach((x, i) => walk(endpoint, x, `${path}.${i}`));
    else if (wireType(v) === 'object') for (const [k, x] of Object.entries(v as object)) walk(endpoint, x, path === '' ? k : `${path}.${k}`);
  };
  // Both wires: the 2022 field set (sgx@3.5.0) and the 2024 one (latest) [protocol.md §14.4].
  for (const profile of ['sgx@3.5.0', 'latest']) {
    const f = createRequestFactory({ seed: 1, optionalFields: 'all', rawTx: true, profile: resolveProfile(profile) });
    for (const operation of TX_OPERATIONS) {
      for (const destType of DEST_TYPES) {
        for (const stage of ['approval', 'signing'] as const) {
          for (const asset of ['ETH', 'BTC', 'USDC', 'SOL']) walk('tx_sign_request', f.tx({ operation, destType, stage, destinations: 2, payload: { asset } }).payload, '');
        }
      }
    }
    for (const policyAction of POLICY_ACTIONS) walk('tx_sign_request', f.tx({ policyAction }).payload, '');
    for (const type of CONFIG_CHANGE_TYPES) walk('config_change_sign_request', f.configChange({ type }).payload, '');
  }
  return out;
}

describe('the field type table', () => {
  const fields = templateFields();

  it('types every field the templates produce, with the type the template gives it', () => {
    const missing = fields.filter((f) => fieldType(f.endpoint, f.path) === undefined).map((f) => `${f.endpoint} ${normalizeFieldPath(f.path)}`);
    expect([...new Set(missing)]).toEqual([]);
    const wrong = fields.filter((f) => {
      const t = fieldType(f.endpoint, f.path);
      return t !== 'json' && t !== f.type;
    });
    expect(wrong.map((f) => `${f.path}: ${f.type} vs ${fieldType(f.endpoint, f.path)}`)).toEqual([]);
  });

  it('has no entry the templates never produce (free-form wildcards aside)', () => {
    const produced = { tx_sign_request: new Set<string>(), config_change_sign_request: new Set<string>() };
    for (const f of fields) produced[f.endpoint].add(normalizeFieldPath(f.path));
    const stale = (table: Readonly<Record<string, WireType>>, seen: Set<string>) => Object.keys(table).filter((k) => !k.endsWith('.*') && !seen.has(k));
    expect(stale(TX_FIELD_TYPES, produced.tx_sign_request)).toEqual([]);
    expect(stale(CONFIG_FIELD_TYPES, produced.config_change_sign_request)).toEqual([]);
  });

  it('knows amountStr, destId and note-like fields as strings and amount as a number', () => {
    expect(fieldType('tx_sign_request', 'amountStr')).toBe('string');
    expect(fieldType('tx_sign_request', 'destId')).toBe('string');
    expect(fieldType('config_change_sign_request', 'extraInfo.note')).toBe('string');
    expect(fieldType('tx_sign_request', 'amount')).toBe('number');
    expect(fieldType('tx_sign_request', 'destinations.3.amountUSD')).toBe('number');
    expect(fieldType('tx_sign_request', 'extraParameters.csimPadding')).toBe('json');
    expect(fieldType('tx_sign_request', 'note')).toBe('string');
    expect(fieldType('tx_sign_request', 'customerRefId')).toBeUndefined();
  });
});

describe('converting values', () => {
  it('turns numbers into strings for string fields and decimal strings into numbers', () => {
    expect(convertValue('amountStr', 'string', 250000)).toBe('250000');
    expect(convertValue('amount', 'number', '2.5')).toBe(2.5);
    expect(convertValue('byRule', 'boolean', 'false')).toBe(false);
    expect(convertValue('externalTxId', 'string', null)).toBeNull();
  });

  it('refuses a value that cannot be the type, naming the field', () => {
    expect(() => convertValue('amount', 'number', 'lots')).toThrow(/payload field "amount": it is a number on the wire, got string "lots"/);
    expect(() => convertValue('destinations', 'array', { a: 1 })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', field: 'destinations' }));
    expect(() => convertValue('amountStr', 'string', { a: 1 })).toThrow(/amountStr/);
  });

  it('reads --set text by the field type: strings as written, numbers parsed', () => {
    expect(readTypedText('tx_sign_request', 'amountStr', '250000')).toEqual({ value: '250000', known: true });
    expect(readTypedText('tx_sign_request', 'amountStr', '0.10')).toEqual({ value: '0.10', known: true });
    expect(readTypedText('tx_sign_request', 'destId', '"7"')).toEqual({ value: '7', known: true });
    expect(readTypedText('tx_sign_request', 'amount', '250000')).toEqual({ value: 250000, known: true });
    expect(readTypedText('tx_sign_request', 'customerRefId', '1')).toEqual({ value: 1, known: false });
    expect(() => readTypedText('tx_sign_request', 'amount', 'abc')).toThrow(/"amount"/);
  });

  it('converts nested overrides and lists the fields it does not know; verbatim keys stay as written', () => {
    const out = convertOverrides('tx_sign_request', { destinations: [{ amountUSD: '5', dstId: 7 }], 'destinations.0.amountNativeStr': 1, customerRefId: 1, amount: '3' }, ['amount']);
    expect(out.payload).toEqual({ destinations: [{ amountUSD: 5, dstId: '7' }], 'destinations.0.amountNativeStr': '1', customerRefId: 1, amount: '3' });
    expect(out.unknown).toEqual(['customerRefId']);
  });
});

describe('the builders convert overrides', () => {
  const f = () => createRequestFactory({ seed: 1 });
  it('sends amountStr as a string and warns about a field without a known type', () => {
    const built = f().tx({ payload: { amountStr: 250000, customerRefId: 1 } });
    expect(built.payload.amountStr).toBe('250000');
    expect(built.payload.requestedAmountStr).toBe('250000');
    expect(built.warnings?.map((w) => w.id)).toEqual(['override-type-unknown']);
    expect(built.warnings?.[0]?.message).toContain('"customerRefId"');
    expect(f().tx({ payload: { amountStr: '1' } }).warnings).toBeUndefined();
  });

  it('converts config-change overrides and refuses a bad one naming the field', () => {
    expect(f().configChange({ type: 'ADD_NETWORK_CONNECTION', payload: { 'extraInfo.note': 12 } }).payload.extraInfo.note).toBe('12');
    expect(() => f().configChange({ payload: { extraInfo: 'x' } })).toThrow(/"extraInfo"/);
  });

  it('sends a verbatim key exactly as written', () => {
    expect(f().tx({ payload: { amountStr: 250000 }, verbatim: ['amountStr'] }).payload.amountStr).toBe(250000);
  });
});
