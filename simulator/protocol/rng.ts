import { createHash, randomInt } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';

/**
 * A small deterministic random number generator. Everything random in a built request (IDs, the
 * presence of optional fields, nonces) is drawn from one of these, so the same seed and the same
 * sequence of builds give byte-identical payloads.
 *
 * @example
 * const rng: Rng = createRng(7);
 * rng.chance(0.5); // the same answer for seed 7 every time
 */
export interface Rng {
  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A random (version 4, RFC 9562) UUID, lower-case. */
  uuid(): string;
}

/** Largest seed drawn when none is given: seeds are unsigned 32-bit, so they print short. */
const RANDOM_SEED_LIMIT = 2 ** 32;

/**
 * Turn a user-supplied seed into the number the generator starts from. No seed draws a fresh
 * random one (print it so a run can be repeated). A string of digits is read as that number, so
 * `--seed 42` on a command line equals `seed: 42` in code; any other string is hashed (FNV-1a,
 * 32 bits) to a number.
 *
 * @example
 * resolveSeed(42)        // 42
 * resolveSeed('42')      // 42
 * resolveSeed('nightly') // a fixed 32-bit number derived from the text
 * resolveSeed()          // a random 32-bit number
 */
export function resolveSeed(seed?: number | string): number {
  if (seed === undefined) return randomInt(0, RANDOM_SEED_LIMIT);
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new InvalidArgumentError(`Invalid seed: ${String(seed)}. Expected an integer.`, {
        hint: 'use a whole number such as 42 (or any string, which is hashed to a number)',
      });
    }
    return seed;
  }
  if (typeof seed === 'string') {
    const trimmed = seed.trim();
    if (/^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))) return Number(trimmed);
    return fnv1a32(seed);
  }
  throw new InvalidArgumentError(`Invalid seed: ${JSON.stringify(seed)}. Expected a number or a string.`);
}

function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Create a generator from a seed (see {@link resolveSeed}). The algorithm is sfc32, with its state
 * filled by splitmix32 from both 32-bit halves of the seed: fast, tiny and well distributed. It is
 * not cryptographic, which is fine: the IDs only have to look like the Co-signer's and never repeat
 * by accident within a run.
 *
 * @example
 * const rng = createRng(42);
 * rng.uuid(); // the same UUID every time for seed 42
 */
export function createRng(seed: number): Rng {
  const wide = BigInt.asUintN(64, BigInt(Math.trunc(seed)));
  let sm = Number(wide & 0xffffffffn) ^ Math.imul(Number(wide >> 32n), 0x9e3779b1);
  const splitmix32 = (): number => {
    sm = (sm + 0x9e3779b9) | 0;
    let t = sm ^ (sm >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / 2 ** 32;
  const bytes = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = nextUint32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  };
  return {
    nextUint32,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    bytes,
    uuid: () => uuidFromWords(nextUint32(), nextUint32(), nextUint32(), nextUint32()),
  };
}

// Two hex digits per byte value, so a UUID is 16 table reads instead of a Buffer and its hex encoder.
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Byte `j` (0-3) of a word, least significant first: the order {@link Rng.bytes} lays words out in. */
const hexByte = (w: number, j: number): string => HEX[(w >>> (8 * j)) & 0xff] as string;

/**
 * The UUID {@link formatUuidV4} makes of `bytes(16)` when those bytes come from these four words
 * (each word's bytes least significant first), without building the bytes: IDs are drawn on every
 * request.
 */
function uuidFromWords(w0: number, w1: number, w2: number, w3: number): string {
  const b6 = (((w1 >>> 16) & 0x0f) | 0x40) >>> 0; // version 4
  const b8 = ((w2 & 0x3f) | 0x80) >>> 0; // variant 10
  return (
    `${hexByte(w0, 0)}${hexByte(w0, 1)}${hexByte(w0, 2)}${hexByte(w0, 3)}-${hexByte(w1, 0)}${hexByte(w1, 1)}-` +
    `${HEX[b6] as string}${hexByte(w1, 3)}-${HEX[b8] as string}${hexByte(w2, 1)}-` +
    `${hexByte(w2, 2)}${hexByte(w2, 3)}${hexByte(w3, 0)}${hexByte(w3, 1)}${hexByte(w3, 2)}${hexByte(w3, 3)}`
  );
}

/**
 * Format 16 bytes as a version 4 UUID (the version and variant bits are overwritten).
 *
 * @example
 * formatUuidV4(new Uint8Array(16)) // '00000000-0000-4000-8000-000000000000'
 */
export function formatUuidV4(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new InvalidArgumentError(`formatUuidV4 needs 16 bytes, got ${bytes.length}`);
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUID v4 derived from a label by hashing (SHA-256), for identities that must stay the same in
 * every run whatever the seed: a whitelisted wallet's ID, an exchange account's ID.
 *
 * @example
 * stableUuid('exchange-account:0') === stableUuid('exchange-account:0') // true
 */
export function stableUuid(label: string): string {
  return formatUuidV4(createHash('sha256').update(label).digest());
}

/**
 * Matches a lower-case version 4 UUID.
 *
 * @example
 * UUID_V4_RE.test(createRng(1).uuid()) // true
 */
export const UUID_V4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
