import { describe, expect, it } from 'vitest';
import { DEFAULT_DEST_ADDRESS } from './addresses.js';
import { toChecksumAddress } from './keccak.js';
import { assetInfo } from './prices.js';
import { UUID_V4_RE } from './rng.js';
import {
  actionInfo,
  authorizationGroups,
  capturedRule,
  CONTRACTS,
  DEFAULT_DEST_WALLET_ID,
  DEFAULT_PLAYERS,
  defaultEvmCall,
  DEST_TYPES,
  destinationIdentity,
  OPERATION_TEMPLATES,
  storedRuleOrder,
  TWO_TIER_GROUPS,
} from './tx-templates.js';
import { TX_OPERATIONS } from './types.js';

describe('OPERATION_TEMPLATES', () => {
  it('has exactly one template per documented operation', () => {
    expect(Object.keys(OPERATION_TEMPLATES).sort()).toEqual([...TX_OPERATIONS].sort());
    for (const op of TX_OPERATIONS) expect(OPERATION_TEMPLATES[op].operation).toBe(op);
  });

  it('gives RAW and TYPED_MESSAGE a rawMessageData with messages[].content [protocol.md §4.4]', () => {
    for (const op of ['RAW', 'TYPED_MESSAGE'] as const) {
      const extra = OPERATION_TEMPLATES[op].extraParameters?.('tx') ?? {};
      const rmd = extra.rawMessageData as { messages: { content: unknown }[] };
      expect(rmd.messages.length).toBeGreaterThan(0);
      expect(rmd.messages[0]?.content).toBeDefined();
    }
    const typed = OPERATION_TEMPLATES.TYPED_MESSAGE.extraParameters?.('tx').rawMessageData as { messages: { type: string }[] };
    expect(typed.messages[0]?.type).toBe('EIP712');
  });

  it('uses valid EIP-55 contract addresses', () => {
    for (const a of Object.values(CONTRACTS)) expect(toChecksumAddress(a)).toBe(a);
  });
});

describe('destinationIdentity', () => {
  it('covers every destination type', () => {
    for (const t of DEST_TYPES) expect(destinationIdentity(t, 'evm', 0).dstType).toBe(t);
  });

  it('describes the default whitelisted wallet and gives others stable distinct IDs', () => {
    expect(destinationIdentity('UNMANAGED', 'evm', 0)).toEqual({
      dstType: 'UNMANAGED', dstAddressType: 'WHITELISTED', dstId: DEFAULT_DEST_WALLET_ID, dstName: 'Counterparty A', dstSubType: 'EXTERNAL', address: DEFAULT_DEST_ADDRESS,
    });
    const second = destinationIdentity('UNMANAGED', 'evm', 1);
    expect(second.dstId).toMatch(UUID_V4_RE);
    expect(second.dstId).not.toBe(DEFAULT_DEST_WALLET_ID);
    expect(second.dstName).toBe('Counterparty B');
    expect(destinationIdentity('UNMANAGED', 'evm', 1)).toEqual(second);
  });

  it('gives ONE_TIME_ADDRESS no name and no sub-type', () => {
    const id = destinationIdentity('ONE_TIME_ADDRESS', 'doge', 0);
    expect(id).toEqual({ dstType: 'ONE_TIME_ADDRESS', dstAddressType: 'ONE_TIME', dstId: '', address: expect.stringMatching(/^D/) });
  });

  it('numbers vault destinations from 1', () => {
    expect([0, 1, 2].map((i) => destinationIdentity('VAULT', 'evm', i).dstId)).toEqual(['1', '2', '3']);
  });
});

describe('captured rule, players, EVM calls', () => {
  it('JSON-encodes the TAP rule as a string, in the docs key order', () => {
    const rule = capturedRule('TRANSFER');
    expect(rule).toBe(
      '{"type":"TRANSFER","transactionType":"TRANSFER","asset":"*","amount":0,"operators":{"wildcard":"*"},"applyForApprove":true,"action":"ALLOW","src":{"ids":[["*"]]},"dst":{"ids":[["*"]]},"dstAddressType":"*","amountCurrency":"USD","amountScope":"SINGLE_TX","periodSec":0}',
    );
    expect(actionInfo('TRANSFER')).toEqual({ capturedRuleNum: 5, rulesSnapshotId: 8164, byGlobalPolicy: false, byRule: true, capturedRule: rule });
  });

  it('on the 2024 wire: ruleType TENANT, the rule in stored (jsonb) key order, a 2-TIER rule with its approvers [protocol.md §14.4]', () => {
    const info = actionInfo('TRANSFER', '2-TIER', '2024');
    expect(Object.keys(info)).toEqual(['capturedRuleNum', 'rulesSnapshotId', 'byGlobalPolicy', 'byRule', 'ruleType', 'capturedRule']);
    expect(info.ruleType).toBe('TENANT');
    const rule = JSON.parse(String(info.capturedRule)) as Record<string, unknown>;
    expect(Object.keys(rule).slice(0, 6)).toEqual(['dst', 'src', 'type', 'asset', 'action', 'amount']);
    expect(rule).toMatchObject({ action: '2-TIER', authorizationGroups: TWO_TIER_GROUPS });
    expect(authorizationGroups('2-TIER')).toEqual(TWO_TIER_GROUPS);
    expect(authorizationGroups('ALLOW')).toEqual({ logic: 'OR', groups: [], allowOperatorAsAuthorizer: false });
    expect(JSON.parse(capturedRule('TRANSFER', 'ALLOW', '2024'))).not.toHaveProperty('authorizationGroups');
    expect(Object.keys(storedRuleOrder({ amountCurrency: 1, dst: { b: 1, a: 2 }, type: 3, action: 4, amount: 5 }) as object)).toEqual(['dst', 'type', 'action', 'amount', 'amountCurrency']);
  });

  it('uses the three published player IDs', () => {
    expect(DEFAULT_PLAYERS).toHaveLength(3);
    for (const p of DEFAULT_PLAYERS) expect(p).toMatch(UUID_V4_RE);
  });

  it('makes native transfers plain and token transfers ERC-20 calls', () => {
    expect(defaultEvmCall({ asset: assetInfo('ETH'), to: DEFAULT_DEST_ADDRESS, units: 5n, extraParameters: undefined })).toEqual({ to: DEFAULT_DEST_ADDRESS, value: 5n });
    const token = defaultEvmCall({ asset: assetInfo('USDC'), to: DEFAULT_DEST_ADDRESS, units: 5n, extraParameters: undefined });
    expect(token.to).toBe(CONTRACTS.USDC);
    expect(token.value).toBe(0n);
    expect(Buffer.from(token.data ?? new Uint8Array()).toString('hex').slice(0, 8)).toBe('a9059cbb');
  });
});
