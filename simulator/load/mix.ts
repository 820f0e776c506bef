import { UsageError } from '../errors.js';

/** One kind of request a load run sends: a tx at one of its two stages, or a config change (always an approval). */
export const LOAD_KINDS = ['tx.approval', 'tx.signing', 'config'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

/** A weighted kind: `tx.signing:6` sends six of these for every one of a `:1` entry. */
export interface MixEntry {
  kind: LoadKind;
  weight: number;
}

/** The default mix: tx requests, both stages equally (a handler may serve no config route). */
export const DEFAULT_MIX_TEXT = 'tx';

/** Weights stay small whole numbers: the mix is a ratio, not a count. */
const MAX_WEIGHT = 1000;

function mixError(text: string, detail: string): UsageError {
  return new UsageError(`Invalid value for --mix: ${JSON.stringify(text)}: ${detail}`, {
    field: 'mix',
    hint: 'write kind:weight pairs separated by commas, e.g. --mix tx.approval:3,tx.signing:6,config:1 (kinds: tx, tx.approval, tx.signing, config; tx alone means both stages equally; a missing :weight is 1)',
  });
}

/**
 * Read `--mix`: `tx.approval:3,tx.signing:6,config:1`. `tx` means both stages equally (its weight
 * split between them: `tx:2,config:1` sends one approval, one signing and one config in every
 * three); a missing weight is 1; a kind given twice adds up. Throws a UsageError naming `--mix` for anything else.
 *
 * @example
 * parseMix('tx:2,config:1'); // [{ kind: 'tx.approval', weight: 1 }, { kind: 'tx.signing', weight: 1 }, { kind: 'config', weight: 1 }]
 */
export function parseMix(text: string): MixEntry[] {
  const weights = new Map<LoadKind, number>();
  const items = text.split(',').map((s) => s.trim());
  if (text.trim() === '' || items.some((s) => s === '')) throw mixError(text, 'an empty entry');
  for (const item of items) {
    const m = /^([a-z.]+)(?::(\d+))?$/.exec(item);
    if (!m) throw mixError(text, `${JSON.stringify(item)} is not kind or kind:weight (the weight a whole number)`);
    const name = m[1]!;
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    if (weight < 1 || weight > MAX_WEIGHT) throw mixError(text, `${JSON.stringify(item)}: the weight must be from 1 to ${MAX_WEIGHT}`);
    // tx alone: both stages equally. Doubling the others keeps whole weights.
    if (name === 'tx') {
      for (const k of ['tx.approval', 'tx.signing'] as const) weights.set(k, (weights.get(k) ?? 0) + weight);
    } else if ((LOAD_KINDS as readonly string[]).includes(name)) {
      weights.set(name as LoadKind, (weights.get(name as LoadKind) ?? 0) + weight * 2);
    } else {
      throw mixError(text, `${JSON.stringify(name)} is not a request kind (tx, tx.approval, tx.signing, config)`);
    }
  }
  return reduce(LOAD_KINDS.filter((k) => weights.has(k)).map((kind) => ({ kind, weight: weights.get(kind)! })));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The smallest whole weights of the same ratio (`tx` doubled the others: `config:1` alone is 1 again). */
function reduce(entries: MixEntry[]): MixEntry[] {
  const g = entries.reduce((acc, e) => gcd(acc, e.weight), 0);
  return entries.map((e) => ({ kind: e.kind, weight: e.weight / g }));
}

/** `tx.approval:3, tx.signing:6, config:1`, for reports. */
export function mixText(mix: readonly MixEntry[]): string {
  return mix.map((e) => `${e.kind}:${e.weight}`).join(',');
}

/**
 * Pick kinds in the mix's ratio, deterministically and evenly spread (smooth weighted round
 * robin, as nginx balances upstreams): every window of sum(weights) picks holds each kind exactly
 * its weight, so a short run keeps the ratio too, and no random draw makes two runs differ.
 *
 * @example
 * const next = mixPicker(parseMix('tx.signing:2,config:1')); next(); next(); next(); // signing, config, signing
 */
export function mixPicker(mix: readonly MixEntry[]): () => LoadKind {
  const total = mix.reduce((s, e) => s + e.weight, 0);
  const current = mix.map(() => 0);
  return () => {
    let best = 0;
    for (let i = 0; i < mix.length; i++) {
      current[i]! += mix[i]!.weight;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    return mix[best]!.kind;
  };
}
