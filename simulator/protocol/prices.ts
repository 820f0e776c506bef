/**
 * The simulator's asset table: decimals, a USD price, the chain family and a typical network fee
 * for each asset it builds requests for.
 *
 * The USD prices are MADE-UP FIXED FIGURES, chosen for reproducibility (the same build always gives
 * the same `amountUSD`), not market data. ETH and ETH_TEST are set so that the captured amounts come
 * out as captured: 0.01 ETH → 18.74292937 USD (docs example, protocol.md §0.2) and 0.0041 ETH_TEST →
 * 13.35859416 USD (mjw-2022 capture, protocol.md §10.1).
 */

/**
 * How addresses, raw transactions and derivation paths look for an asset.
 *
 * @example
 * assetInfo('DOGE').chain // 'doge'
 */
export type ChainFamily = 'evm' | 'btc' | 'btc-test' | 'doge' | 'sol';

/**
 * EVM gas settings: the signing-stage `fee` is `gasLimit × maxFeePerGas` in wei.
 *
 * @example
 * assetInfo('ETH').evm?.gasLimit // 21000
 */
export interface EvmGas {
  readonly chainId: number;
  readonly gasLimit: number;
  /** wei */
  readonly maxFeePerGas: bigint;
  /** wei */
  readonly maxPriorityFeePerGas: bigint;
  /** For tokens: the ERC-20 contract the transfer calls. */
  readonly tokenContract?: string;
}

/**
 * One row of the asset table.
 *
 * @example
 * const eth: AssetInfo = assetInfo('ETH'); // { id: 'ETH', decimals: 18, usdPrice: '1874.292937', … }
 */
export interface AssetInfo {
  /** The Fireblocks asset ID, as in the payload's `asset` field [protocol.md §4.1]. */
  readonly id: string;
  /** `amountStr` is padded to this many decimals [protocol.md §4.1]. */
  readonly decimals: number;
  /** Made-up fixed USD price per whole unit, as a decimal string. */
  readonly usdPrice: string;
  readonly chain: ChainFamily;
  /** SLIP-44 coin type, the second element of `rawTx[].keyDerivationPath` [protocol.md §4.3]. */
  readonly coinType: number;
  /** The asset the fee is paid in (ETH for ERC-20 tokens). */
  readonly feeAsset: string;
  /** The signing-stage `fee` string, as the Co-signer prints it [protocol.md §4.1]. */
  readonly fee: string;
  readonly evm?: EvmGas;
}

function evmFee(gas: EvmGas): string {
  const wei = (BigInt(gas.gasLimit) * gas.maxFeePerGas).toString().padStart(19, '0');
  return `${wei.slice(0, -18)}.${wei.slice(-18)}`;
}

// Gas figures of the docs' ETH raw-tx example: 21000 × 27821981317 wei = "0.000584261607657000"
// [protocol.md §10.2, the docs-eth-2023 capture].
const ETH_GAS: EvmGas = { chainId: 1, gasLimit: 21000, maxFeePerGas: 27821981317n, maxPriorityFeePerGas: 1_000_000_000n };
// 21000 × 30499565483 wei = "0.000640490875143000", the mjw-2022 capture's fee [protocol.md §10.1].
// ETH_TEST was Goerli (chain 5) when that capture was made.
const ETH_TEST_GAS: EvmGas = { chainId: 5, gasLimit: 21000, maxFeePerGas: 30499565483n, maxPriorityFeePerGas: 1_500_000_000n };
const USDC_GAS: EvmGas = {
  chainId: 1,
  gasLimit: 65000,
  maxFeePerGas: 27821981317n,
  maxPriorityFeePerGas: 1_000_000_000n,
  tokenContract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
};

/**
 * The known assets. Anything else falls back to {@link UNKNOWN_ASSET}'s figures.
 *
 * @example
 * ASSETS.ETH?.decimals // 18
 * ASSETS.BTC?.usdPrice // '29384.12' (made up)
 */
export const ASSETS: Readonly<Record<string, AssetInfo>> = {
  ETH: { id: 'ETH', decimals: 18, usdPrice: '1874.292937', chain: 'evm', coinType: 60, feeAsset: 'ETH', fee: evmFee(ETH_GAS), evm: ETH_GAS },
  ETH_TEST: { id: 'ETH_TEST', decimals: 18, usdPrice: '3258.193697', chain: 'evm', coinType: 1, feeAsset: 'ETH_TEST', fee: evmFee(ETH_TEST_GAS), evm: ETH_TEST_GAS },
  USDC: { id: 'USDC', decimals: 6, usdPrice: '1.000120', chain: 'evm', coinType: 60, feeAsset: 'ETH', fee: evmFee(USDC_GAS), evm: USDC_GAS },
  // BTC fee "0.00004164" and DOGE fee "1.00000000" are the values protocol.md §4.1 lists.
  BTC: { id: 'BTC', decimals: 8, usdPrice: '29384.12', chain: 'btc', coinType: 0, feeAsset: 'BTC', fee: '0.00004164' },
  BTC_TEST: { id: 'BTC_TEST', decimals: 8, usdPrice: '29384.12', chain: 'btc-test', coinType: 1, feeAsset: 'BTC_TEST', fee: '0.00001410' },
  DOGE: { id: 'DOGE', decimals: 8, usdPrice: '0.144436', chain: 'doge', coinType: 3, feeAsset: 'DOGE', fee: '1.00000000' },
  SOL: { id: 'SOL', decimals: 9, usdPrice: '21.37', chain: 'sol', coinType: 501, feeAsset: 'SOL', fee: '0.000005000' },
  // USDC on Solana, the asset an ENABLE_ASSET (token account creation) typically enables.
  SOL_USDC_EPJFWDD5AUFQ: { id: 'SOL_USDC_EPJFWDD5AUFQ', decimals: 6, usdPrice: '1.000120', chain: 'sol', coinType: 501, feeAsset: 'SOL', fee: '0.002044280' },
};

/**
 * What an asset the table does not know gets: 18 decimals, a USD price of 0 (so `amountUSD` is 0),
 * EVM-style addresses and ETH's fee.
 *
 * @example
 * assetInfo('FOO').usdPrice // '0'
 */
export const UNKNOWN_ASSET: Omit<AssetInfo, 'id'> = {
  decimals: 18,
  usdPrice: '0',
  chain: 'evm',
  coinType: 60,
  feeAsset: 'ETH',
  fee: evmFee(ETH_GAS),
  evm: ETH_GAS,
};

/**
 * Look an asset up, falling back to {@link UNKNOWN_ASSET} for IDs the table does not list.
 *
 * @example
 * assetInfo('DOGE').decimals // 8
 * assetInfo('NOT_A_COIN').decimals // 18
 */
export function assetInfo(asset: string): AssetInfo {
  return Object.hasOwn(ASSETS, asset) ? (ASSETS[asset] as AssetInfo) : { id: asset, ...UNKNOWN_ASSET };
}
