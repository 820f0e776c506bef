import { createHash } from 'node:crypto';
import { exampleAddress } from './addresses.js';
import type { AssetInfo, ChainFamily } from './prices.js';
import { cloneJson } from './overrides.js';
import { abiCall, type RawTxLeg } from './raw-tx.js';
import { stableUuid } from './rng.js';
import type { Wire } from './key-order.js';
import type { JsonObject, JsonValue, TxOperation } from './types.js';

/**
 * The destination types the builders have templates for. The callback uses the Policy (TAP)
 * vocabulary: `VAULT`, `UNMANAGED` (a whitelisted wallet), `ONE_TIME_ADDRESS`, `EXCHANGE`,
 * `NETWORK_CONNECTION` [protocol.md §4.5].
 *
 * @example
 * DEST_TYPES.includes('ONE_TIME_ADDRESS') // true
 */
export const DEST_TYPES = ['VAULT', 'UNMANAGED', 'ONE_TIME_ADDRESS', 'EXCHANGE', 'NETWORK_CONNECTION'] as const;
/**
 * One of {@link DEST_TYPES}.
 *
 * @example
 * const t: DestType = 'EXCHANGE';
 */
export type DestType = (typeof DEST_TYPES)[number];

/**
 * The ID of the default whitelisted external wallet (`destId`/`dstId` of the default request);
 * a fixed UUID, so allow-lists keyed on wallet IDs work across runs.
 *
 * @example
 * createRequestFactory().tx().payload.destId === DEFAULT_DEST_WALLET_ID // true
 */
export const DEFAULT_DEST_WALLET_ID = stableUuid('unmanaged-wallet:0');

/**
 * The name of the default whitelisted external wallet (also the `walletName` of the default
 * UNMANAGED_WALLET config change, so the two stories match).
 *
 * @example
 * createRequestFactory().tx().payload.destinations[0]?.dstName // 'Counterparty A'
 */
export const DEFAULT_DEST_WALLET_NAME = 'Counterparty A';

/**
 * The MPC players of signing-stage requests: the three IDs every published example carries
 * [protocol.md §0.2, §10] (the third differs between captures; this is the docs' one).
 *
 * @example
 * DEFAULT_PLAYERS.length // 3
 */
export const DEFAULT_PLAYERS: readonly string[] = [
  '21926ecc-4a8a-4614-bbac-7c591aa7efdd',
  '27900737-46f6-4097-a169-d0ff45649ed5',
  'f89cac50-c656-4e74-879f-041aff8d01b5',
];

/**
 * Contracts used by the contract-operation templates (EIP-55 forms of well-known mainnet contracts).
 *
 * @example
 * CONTRACTS.USDC // '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'
 */
export const CONTRACTS = {
  USDC: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
  WETH: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  UNISWAP_V3_ROUTER: '0xE592427A0AEce92De3Edee1F18E0157C05861564',
} as const;

/**
 * The policy verdicts a destination's `action` can carry: `ALLOW`, `BLOCK`, `2-TIER` (the rule
 * asks for approvers) [protocol.md §4.2; C-code fireblocks-sdk-py `PolicyAction`]. `2-TIER` is
 * seen on the 2024 wire [C-wire].
 *
 * @example
 * POLICY_ACTIONS.includes('2-TIER') // true
 */
export const POLICY_ACTIONS = ['ALLOW', '2-TIER', 'BLOCK'] as const;
/**
 * One of {@link POLICY_ACTIONS}.
 *
 * @example
 * const a: PolicyAction = '2-TIER';
 */
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/**
 * The approvers a `2-TIER` rule asks for, shaped as the 2024 capture's (two approvals from one
 * user and one users group, the operator may approve) [C-wire, protocol.md §14.4]; the IDs are
 * fixed so that a handler's allow-lists work across runs.
 *
 * @example
 * TWO_TIER_GROUPS.groups // [{ th: 2, users: ['…'], usersGroups: ['…'] }]
 */
export const TWO_TIER_GROUPS: JsonObject = {
  logic: 'OR',
  groups: [{ th: 2, users: [stableUuid('approver:0')], usersGroups: [stableUuid('approvers-group:0')] }],
  allowOperatorAsAuthorizer: true,
};

/**
 * A destination's `authorizationGroups` on the 2024 wire [protocol.md §4.2, §14.4]: the capture's
 * shape for `2-TIER`; for `ALLOW` and `BLOCK`, which need no approver, no groups [I] (the capture
 * shows only a `2-TIER` rule).
 *
 * @example
 * authorizationGroups('ALLOW') // { logic: 'OR', groups: [], allowOperatorAsAuthorizer: false }
 */
export function authorizationGroups(action: PolicyAction): JsonObject {
  return action === '2-TIER' ? cloneJson(TWO_TIER_GROUPS) : { logic: 'OR', groups: [], allowOperatorAsAuthorizer: false };
}

/**
 * The TAP rule a destination was allowed by, JSON-encoded as the Co-signer sends it in
 * `actionInfo.capturedRule` [protocol.md §4.2]: the docs example's catch-all rule, with the
 * operation as `type`/`transactionType` [I for operations other than TRANSFER] and the rule's
 * `action`. On the 2024 wire a `2-TIER` rule embeds its `authorizationGroups`, as captured [C-wire].
 *
 * @example
 * JSON.parse(capturedRule('TRANSFER')).action // 'ALLOW'
 */
export function capturedRule(operation: string, action: PolicyAction = 'ALLOW', wire: Wire = '2022'): string {
  // A pure function of its three arguments, asked for on every destination of every request:
  // the text is built once per rule. Bounded, as any string is accepted as an operation.
  const key = `${wire}|${action}|${operation}`;
  let text = CAPTURED_RULES.get(key);
  if (text === undefined) {
    text = capturedRuleText(operation, action, wire);
    if (CAPTURED_RULES.size < CAPTURED_RULES_LIMIT) CAPTURED_RULES.set(key, text);
  }
  return text;
}

const CAPTURED_RULES = new Map<string, string>();
const CAPTURED_RULES_LIMIT = 512;

function capturedRuleText(operation: string, action: PolicyAction, wire: Wire): string {
  const rule: JsonObject = {
    type: operation,
    transactionType: operation,
    asset: '*',
    amount: 0,
    operators: { wildcard: '*' },
    applyForApprove: true,
    action,
    src: { ids: [['*']] },
    dst: { ids: [['*']] },
    dstAddressType: '*',
    amountCurrency: 'USD',
    amountScope: 'SINGLE_TX',
    periodSec: 0,
    ...(wire === '2024' && action === '2-TIER' ? { authorizationGroups: TWO_TIER_GROUPS } : {}),
  };
  return JSON.stringify(wire === '2024' ? storedRuleOrder(rule) : rule);
}

/**
 * A copy of a JSON value with every object's keys shorter-first, then bytewise: the order of the
 * 2024 capture's `capturedRule` (`dst, src, type, asset, action, amount, …`, and so inside it),
 * which is how a PostgreSQL `jsonb` column returns keys, so the rule is most likely read back
 * from one [I, C-wire].
 *
 * @example
 * Object.keys(storedRuleOrder({ action: 1, dst: 2, type: 3 })) // ['dst', 'type', 'action']
 */
export function storedRuleOrder(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(storedRuleOrder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, storedRuleOrder(value[k] as JsonValue)]));
}

/**
 * A destination's `actionInfo`, with the docs example's rule number and snapshot ID
 * [protocol.md §0.2, §4.2]; the 2024 wire adds `ruleType: "TENANT"` after `byRule`, as captured
 * [C-wire, protocol.md §14.4].
 *
 * @example
 * actionInfo('TRANSFER').capturedRuleNum // 5
 * actionInfo('TRANSFER', 'ALLOW', '2024').ruleType // 'TENANT'
 */
export function actionInfo(operation: string, action: PolicyAction = 'ALLOW', wire: Wire = '2022'): JsonObject {
  return {
    capturedRuleNum: 5,
    rulesSnapshotId: 8164,
    byGlobalPolicy: false,
    byRule: true,
    ...(wire === '2024' ? { ruleType: 'TENANT' } : {}),
    capturedRule: capturedRule(operation, action, wire),
  };
}

/**
 * What Fireblocks itself adds to `extraParameters` on the 2024 wire, merged after the
 * operation's own keys (their relative order is [U]) [C-wire, protocol.md §14.4].
 *
 * @example
 * SECURITY_ENRICHMENT // { securityEnrichment: {} }
 */
export const SECURITY_ENRICHMENT: JsonObject = { securityEnrichment: {} };

/**
 * The `note` of a 2024-wire request (the transaction's note as its creator typed it): a fixed
 * text, so a handler's logs show where the request came from; `--set note=…` or `unset` changes
 * it. The 2022 captures carry no note [C-wire]; whether a request without one sends `""` or no
 * key is unknown [U].
 *
 * @example
 * DEFAULT_NOTE // 'cosigner-sim test transaction'
 */
export const DEFAULT_NOTE = 'cosigner-sim test transaction';

/**
 * A destination's tag or memo (`dstTag`, shown again as `displayDstTag`) on the 2024 wire: none,
 * sent as `""` [I] (the capture's ETH destination has one, `"let's gooo"`) [protocol.md §4.2].
 *
 * @example
 * DEFAULT_DST_TAG // ''
 */
export const DEFAULT_DST_TAG = '';

/**
 * Who a destination is, before amounts and stage-specific fields are added.
 *
 * @example
 * const id: DestinationIdentity = destinationIdentity('VAULT', 'evm', 0); // dstId '1', 'Network Deposits'
 */
export interface DestinationIdentity {
  dstType: DestType;
  dstAddressType: 'WHITELISTED' | 'ONE_TIME';
  dstId: string;
  /** Absent for ONE_TIME_ADDRESS [protocol.md §4.2, C-wire]. */
  dstName?: string;
  /** Absent for ONE_TIME_ADDRESS [protocol.md §4.2, C-wire]. */
  dstSubType?: string;
  address: string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The identity of the `index`-th destination of a type (the same in every run):
 *
 * | type | dstId | dstName | dstSubType | address type |
 * |---|---|---|---|---|
 * | VAULT | `"1"`, `"2"`, … | "Network Deposits", "Vault 2", … | `""` | WHITELISTED [C-doc §0.2] |
 * | UNMANAGED | fixed UUID | "Counterparty A", "Counterparty B", … | `EXTERNAL` | WHITELISTED [C-wire §10.1] |
 * | ONE_TIME_ADDRESS | `""` | — | — | ONE_TIME [C-wire §10.1] |
 * | EXCHANGE | fixed UUID | "Binance Main", "Exchange Account 2", … | `BINANCE` | WHITELISTED [I §4.5] |
 * | NETWORK_CONNECTION | fixed UUID | "Counterparty Network", … | `""` | WHITELISTED [I] |
 *
 * @example
 * destinationIdentity('ONE_TIME_ADDRESS', 'evm', 0) // { dstType: 'ONE_TIME_ADDRESS', dstAddressType: 'ONE_TIME', dstId: '', address: '0x…' }
 */
export function destinationIdentity(destType: DestType, chain: ChainFamily, index: number): DestinationIdentity {
  // Pure, and dear for every destination but the first UNMANAGED one (a SHA-256, and on EVM a
  // Keccak checksum, per address; a SHA-256 per UUID): each identity is made once. A copy goes
  // out, so a caller may change it; its fields are all strings.
  const key = `${destType}|${chain}|${index}`;
  let id = IDENTITIES.get(key);
  if (id === undefined) {
    id = makeIdentity(destType, chain, index);
    if (IDENTITIES.size < IDENTITIES_LIMIT) IDENTITIES.set(key, id);
  }
  return { ...id };
}

const IDENTITIES = new Map<string, DestinationIdentity>();
const IDENTITIES_LIMIT = 4096;

function makeIdentity(destType: DestType, chain: ChainFamily, index: number): DestinationIdentity {
  const address = exampleAddress(chain, `${destType}:${index}`);
  const n = index + 1;
  switch (destType) {
    case 'VAULT':
      return { dstType: destType, dstAddressType: 'WHITELISTED', dstId: String(n), dstName: index === 0 ? 'Network Deposits' : `Vault ${n}`, dstSubType: '', address };
    case 'UNMANAGED':
      return {
        dstType: destType,
        dstAddressType: 'WHITELISTED',
        dstId: index === 0 ? DEFAULT_DEST_WALLET_ID : stableUuid(`unmanaged-wallet:${index}`),
        dstName: index === 0 ? DEFAULT_DEST_WALLET_NAME : `Counterparty ${LETTERS[index % 26] ?? ''}${index >= 26 ? n : ''}`,
        dstSubType: 'EXTERNAL',
        address,
      };
    case 'ONE_TIME_ADDRESS':
      return { dstType: destType, dstAddressType: 'ONE_TIME', dstId: '', address };
    case 'EXCHANGE':
      return { dstType: destType, dstAddressType: 'WHITELISTED', dstId: stableUuid(`exchange-account:${index}`), dstName: index === 0 ? 'Binance Main' : `Exchange Account ${n}`, dstSubType: 'BINANCE', address };
    case 'NETWORK_CONNECTION':
      return { dstType: destType, dstAddressType: 'WHITELISTED', dstId: stableUuid(`network-connection:${index}`), dstName: index === 0 ? 'Counterparty Network' : `Network Connection ${n}`, dstSubType: '', address };
  }
}

/**
 * What a transfer leg needs to become an EVM call in `rawTx`.
 *
 * @example
 * defaultEvmCall({ asset: assetInfo('USDC'), to: DEFAULT_DEST_ADDRESS, units: 1_000_000n, extraParameters: undefined });
 */
export interface EvmLegInput {
  asset: AssetInfo;
  /** Destination address. */
  to: string;
  /** Amount in the asset's smallest unit. */
  units: bigint;
  extraParameters: JsonObject | undefined;
}

/**
 * The template of one `operation` [protocol.md §4.5].
 *
 * @example
 * OPERATION_TEMPLATES.TRANSFER.amountStr // '0.01'
 */
export interface OperationTemplate {
  readonly operation: TxOperation;
  /** What the operation does (Fireblocks API wording, abridged). */
  readonly description: string;
  readonly asset: string;
  readonly amountStr: string;
  /** The default destination type; undefined when the operation has no counterparty. */
  readonly destType: DestType | undefined;
  /** Replaces the first destination's ID, name, sub-type and address (EVM assets only): a whitelisted contract. */
  readonly contractDestination?: { readonly dstId: string; readonly dstName: string; readonly dstSubType: string; readonly address: string };
  /** The policy verdict its destinations carry; default `ALLOW` [protocol.md §4.2]. */
  readonly action?: PolicyAction;
  /**
   * `extraParameters` of the request [protocol.md §4.1, §4.4]: a fresh object on every call, which
   * the builder merges overrides into (copy any shared constant it holds).
   */
  readonly extraParameters?: (txId: string) => JsonObject;
  /** The EVM call of one leg, for `rawTx`; default: a native transfer, or an ERC-20 transfer for tokens. */
  readonly evmCall?: (leg: EvmLegInput) => RawTxLeg;
  /** For operations without a destination: the bytes signed, for `rawTx`. */
  readonly messages?: (txId: string, extraParameters: JsonObject | undefined) => Uint8Array[];
}

const SEL = { transfer: 'a9059cbb', approve: '095ea7b3', mint: '40c10f19', burn: '42966c68', deposit: 'd0e30db0' } as const;

const digest = (label: string): Buffer => createHash('sha256').update(label).digest();

/**
 * The EVM call of a plain transfer: native value, or `transfer(to, amount)` on the token contract.
 *
 * @example
 * defaultEvmCall({ asset: assetInfo('ETH'), to: DEFAULT_DEST_ADDRESS, units: 1n, extraParameters: undefined })
 * // { to: DEFAULT_DEST_ADDRESS, value: 1n }
 */
export function defaultEvmCall(leg: EvmLegInput): RawTxLeg {
  const token = leg.asset.evm?.tokenContract;
  if (token !== undefined) return { to: token, value: 0n, data: abiCall(SEL.transfer, [leg.to, leg.units]) };
  return { to: leg.to, value: leg.units };
}

const tokenCall = (leg: EvmLegInput, data: Uint8Array): RawTxLeg => ({ to: leg.asset.evm?.tokenContract ?? leg.to, value: 0n, data });

const EIP712_MAIL: JsonObject = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' },
    ],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
};

function messageContents(extra: JsonObject | undefined): unknown[] {
  const rmd = extra?.rawMessageData;
  const messages = rmd !== null && typeof rmd === 'object' && !Array.isArray(rmd) ? rmd.messages : undefined;
  return Array.isArray(messages) ? messages.map((m) => (m !== null && typeof m === 'object' && !Array.isArray(m) ? m.content : undefined)) : [];
}

/**
 * One template per documented operation [protocol.md §4.5]. Only TRANSFER has been seen on the
 * wire; the others are built from the create-transaction API's shapes [I]:
 *
 * - TRANSFER: 0.01 ETH to the whitelisted wallet "Counterparty A" (the default request).
 * - CONTRACT_CALL: 0.01 ETH into WETH's `deposit()`, calldata in `extraParameters.contractCallData`.
 * - APPROVE: a 1000 USDC allowance for the Uniswap V3 router (the destination is the spender).
 * - MINT: 500 USDC minted to vault 1. BURN: 25 USDC burnt at the token contract.
 * - RAW: a 32-byte hash in `extraParameters.rawMessageData.messages[].content` [protocol.md §4.4].
 * - TYPED_MESSAGE: the EIP-712 "Ether Mail" example, `type: 'EIP712'` [protocol.md §4.4].
 * - PROGRAM_CALL: a Solana program call, serialized transaction in `extraParameters.programCallData`.
 * - ENABLE_ASSET: enabling USDC on Solana (a token account); no amount, no counterparty.
 *
 * Operations without a counterparty (RAW, TYPED_MESSAGE, PROGRAM_CALL, ENABLE_ASSET) send
 * `destinations: []` and empty top-level `destType`/`destId`/`destAddressType`/`destAddress` [U].
 *
 * @example
 * OPERATION_TEMPLATES.TYPED_MESSAGE.destType // undefined
 */
export const OPERATION_TEMPLATES: Readonly<Record<TxOperation, OperationTemplate>> = {
  TRANSFER: {
    operation: 'TRANSFER',
    description: 'Transfers funds from one account to another.',
    asset: 'ETH',
    amountStr: '0.01',
    destType: 'UNMANAGED',
  },
  BURN: {
    operation: 'BURN',
    description: 'Burns tokens.',
    asset: 'USDC',
    amountStr: '25',
    destType: 'UNMANAGED',
    contractDestination: { dstId: stableUuid('contract-wallet:USDC'), dstName: 'USD Coin (USDC)', dstSubType: 'CONTRACT', address: CONTRACTS.USDC },
    evmCall: (leg) => tokenCall(leg, abiCall(SEL.burn, [leg.units])),
  },
  CONTRACT_CALL: {
    operation: 'CONTRACT_CALL',
    description: 'Calls a smart contract method on an EVM chain.',
    asset: 'ETH',
    amountStr: '0.01',
    destType: 'UNMANAGED',
    contractDestination: { dstId: stableUuid('contract-wallet:WETH'), dstName: 'Wrapped Ether (WETH)', dstSubType: 'CONTRACT', address: CONTRACTS.WETH },
    extraParameters: () => ({ contractCallData: `0x${SEL.deposit}` }),
    evmCall: (leg) => {
      const data = leg.extraParameters?.contractCallData;
      return { to: leg.to, value: leg.units, data: Buffer.from(typeof data === 'string' ? data.replace(/^0x/i, '') : '', 'hex') };
    },
  },
  PROGRAM_CALL: {
    operation: 'PROGRAM_CALL',
    description: 'Calls a program on Solana.',
    asset: 'SOL',
    amountStr: '0',
    destType: undefined,
    extraParameters: (txId) => ({
      programCallData: Buffer.concat([Uint8Array.of(1), digest(`program:${txId}`), digest(`program-2:${txId}`)]).toString('base64'),
    }),
    messages: (_txId, extra) => {
      const data = extra?.programCallData;
      return [Buffer.from(typeof data === 'string' ? data : '', 'base64')];
    },
  },
  MINT: {
    operation: 'MINT',
    description: 'Mints new tokens.',
    asset: 'USDC',
    amountStr: '500',
    destType: 'VAULT',
    evmCall: (leg) => tokenCall(leg, abiCall(SEL.mint, [leg.to, leg.units])),
  },
  RAW: {
    operation: 'RAW',
    description: 'An off-chain message with no predefined format (raw signing).',
    asset: 'ETH',
    amountStr: '0',
    destType: undefined,
    extraParameters: (txId) => ({
      rawMessageData: { algorithm: 'MPC_ECDSA_SECP256K1', messages: [{ content: digest(`raw:${txId}`).toString('hex') }] },
    }),
    messages: (_txId, extra) =>
      messageContents(extra).map((c) => (typeof c === 'string' && /^[0-9a-f]*$/i.test(c) ? Buffer.from(c, 'hex') : Buffer.from(JSON.stringify(c ?? null)))),
  },
  TYPED_MESSAGE: {
    operation: 'TYPED_MESSAGE',
    description: 'An off-chain message in Ethereum Personal Message or EIP-712 format.',
    asset: 'ETH',
    amountStr: '0',
    destType: undefined,
    extraParameters: () => ({ rawMessageData: { messages: [{ content: cloneJson(EIP712_MAIL), index: 0, type: 'EIP712' }] } }),
    messages: (_txId, extra) => messageContents(extra).map((c) => Buffer.from(typeof c === 'string' ? c : JSON.stringify(c ?? null))),
  },
  APPROVE: {
    operation: 'APPROVE',
    description: 'Approves an ERC-20 spending allowance.',
    asset: 'USDC',
    amountStr: '1000',
    destType: 'UNMANAGED',
    contractDestination: { dstId: stableUuid('contract-wallet:UNISWAP_V3_ROUTER'), dstName: 'Uniswap V3 Router', dstSubType: 'CONTRACT', address: CONTRACTS.UNISWAP_V3_ROUTER },
    evmCall: (leg) => tokenCall(leg, abiCall(SEL.approve, [leg.to, leg.units])),
  },
  ENABLE_ASSET: {
    operation: 'ENABLE_ASSET',
    description: 'Creates the on-chain account an asset needs (Algorand, DigitalBits, Solana, Stellar).',
    asset: 'SOL_USDC_EPJFWDD5AUFQ',
    amountStr: '0',
    destType: undefined,
    messages: (txId) => [digest(`enable-asset:${txId}`)],
  },
};
