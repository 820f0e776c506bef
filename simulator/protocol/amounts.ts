import { InvalidArgumentError } from '../errors.js';
import {
  type Decimal,
  decimalFromNumber,
  decimalToNumber,
  formatDecimal,
  mulDecimal,
  parseDecimal,
  rescale,
  splitDecimal,
  sumDecimals,
} from './decimal.js';
import type { Wire } from './key-order.js';
import type { AssetInfo } from './prices.js';

/**
 * The four top-level amount fields of a `tx_sign_request` [protocol.md §4.1].
 *
 * @example
 * const a: TopAmounts = topAmounts(assetInfo('ETH'), parseDecimal('0.01')!);
 */
export interface TopAmounts {
  amount: number;
  amountStr: string;
  requestedAmount: number;
  requestedAmountStr: string;
}

/**
 * The amount fields of one `destinations[]` entry [protocol.md §4.2].
 *
 * @example
 * const [d]: DestinationAmounts[] = destinationAmounts(assetInfo('BTC'), [parseDecimal('0.5')!]);
 */
export interface DestinationAmounts {
  amountNative: number;
  amountNativeStr: string;
  amountUSD: number;
  /** The amount in the asset's smallest unit (wei, satoshi), for raw transactions. */
  baseUnits: bigint;
}

/**
 * The top-level amounts for a total, formatted as the Co-signer does: on the 2022 wire `amountStr`
 * padded to the asset's decimals (`"0.010000000000000000"` for ETH; never cut if the input has
 * more digits), on the 2024 wire unpadded like `requestedAmountStr` (`"0.001"`) [C-wire §14.4];
 * `requestedAmountStr` as requested, without trailing zeros (`"0.01"`); the numeric fields are the
 * same value as numbers [protocol.md §4.1, §10.1].
 *
 * @example
 * topAmounts(assetInfo('ETH'), parseDecimal('0.01')!)
 * // { amount: 0.01, amountStr: '0.010000000000000000', requestedAmount: 0.01, requestedAmountStr: '0.01' }
 * topAmounts(assetInfo('ETH'), parseDecimal('0.01')!, '2024').amountStr // '0.01'
 */
export function topAmounts(asset: AssetInfo, total: Decimal, wire: Wire = '2022'): TopAmounts {
  const value = decimalToNumber(total);
  return {
    amount: value,
    amountStr: wire === '2024' ? formatDecimal(total, { trim: true }) : formatDecimal(total, { minScale: asset.decimals }),
    requestedAmount: value,
    requestedAmountStr: formatDecimal(total, { trim: true }),
  };
}

// The parsed price of each price text seen: the asset table's few, read for every destination.
const PRICES = new Map<string, Decimal>();
const ZERO: Decimal = { units: 0n, scale: 0 };

function priceOf(text: string): Decimal {
  let price = PRICES.get(text);
  if (price === undefined) {
    price = parseDecimal(text) ?? ZERO;
    if (PRICES.size < 256) PRICES.set(text, price);
  }
  return price;
}

/**
 * USD value of an amount at the table's made-up price, rounded to 8 decimals (the precision the
 * Co-signer prints numbers with [protocol.md §4.6]).
 *
 * @example
 * usdValue(assetInfo('ETH'), parseDecimal('0.01')!) // 18.74292937
 */
export function usdValue(asset: AssetInfo, amount: Decimal): number {
  const price = priceOf(asset.usdPrice);
  return decimalToNumber(rescale(mulDecimal(amount, price), 8));
}

/**
 * The amount fields of each destination. `amountNativeStr` is unpadded like `requestedAmountStr`
 * (`"0.0041"`), `amountUSD` comes from the price table [protocol.md §4.2].
 *
 * @example
 * destinationAmounts(assetInfo('ETH'), [parseDecimal('0.01')!])
 * // [{ amountNative: 0.01, amountNativeStr: '0.01', amountUSD: 18.74292937, baseUnits: 10000000000000000n }]
 */
export function destinationAmounts(asset: AssetInfo, parts: readonly Decimal[]): DestinationAmounts[] {
  return parts.map((part) => ({
    amountNative: decimalToNumber(part),
    amountNativeStr: formatDecimal(part, { trim: true }),
    amountUSD: usdValue(asset, part),
    baseUnits: rescale(part, asset.decimals).units,
  }));
}

/**
 * Split a transaction's total between `n` destinations: each gets total ÷ n rounded down to the
 * asset's smallest unit, and the first destinations get one unit more until the remainder is used
 * up, so the destination amounts always add up to the total exactly.
 *
 * @example
 * splitAmount(assetInfo('BTC'), parseDecimal('1')!, 3).map((d) => formatDecimal(d, { trim: true }))
 * // ['0.33333334', '0.33333333', '0.33333333']
 */
export function splitAmount(asset: AssetInfo, total: Decimal, n: number): Decimal[] {
  return splitDecimal(total, n, asset.decimals);
}

/**
 * Per-destination amounts given explicitly (all or none), and the total they add up to.
 *
 * @example
 * explicitParts(['0.1', '0.2']) // { parts: [0.1, 0.2], total: 0.3 } as Decimals
 */
export function explicitParts(amounts: readonly (string | undefined)[]): { parts: Decimal[]; total: Decimal } | undefined {
  const given = amounts.filter((a): a is string => a !== undefined);
  if (given.length === 0) return undefined;
  if (given.length !== amounts.length) {
    throw new InvalidArgumentError('Some destinations have an amountStr and some do not.', {
      hint: 'give amountStr for every destination (the total is their sum) or for none (the total is split evenly)',
    });
  }
  const parts = given.map((a) => {
    const d = parseDecimal(a);
    if (d === undefined) {
      throw new InvalidArgumentError(`Invalid destination amountStr: ${JSON.stringify(a)}. Expected a decimal string such as "0.5".`);
    }
    return d;
  });
  return { parts, total: sumDecimals(parts) };
}

/**
 * The total a partial payload asks for, from the first of `amountStr`, `requestedAmountStr`,
 * `amount`, `requestedAmount` that holds a readable decimal. Undefined when none does (a deliberately
 * bad value such as `amountStr: "abc"` is then sent as given and the other fields keep the
 * template's amount).
 *
 * @example
 * amountFromOverrides({ amountStr: '0.5' }) // { units: 5n, scale: 1 }
 * amountFromOverrides({ amount: 2 })        // { units: 2n, scale: 0 }
 */
export function amountFromOverrides(payload: Readonly<Record<string, unknown>>): Decimal | undefined {
  for (const key of ['amountStr', 'requestedAmountStr', 'amount', 'requestedAmount']) {
    const v = payload[key];
    const d = typeof v === 'string' ? parseDecimal(v) : typeof v === 'number' ? decimalFromNumber(v) : undefined;
    if (d !== undefined) return d;
  }
  return undefined;
}
