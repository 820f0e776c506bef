import { OverridePathError } from '../errors.js';

/** A JSON-like container the override functions walk. */
type Container = Record<string, unknown> | unknown[];

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * True for `{}`-style objects (not arrays, not null, not class instances).
 *
 * @example
 * isPlainObject({ a: 1 }) // true
 * isPlainObject([1])      // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A deep copy of arrays and plain objects (other values are shared), keeping key order.
 *
 * @example
 * const copy = cloneJson({ destinations: [{ dstId: '1' }] }); // a new object, new array, new element
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneJson(v)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out as T;
  }
  return value;
}

/**
 * Split a dotted path (`'destinations.0.dstName'`) into its segments. Empty segments and
 * prototype keys are refused.
 *
 * @example
 * parsePath('destinations.0.amountUSD') // ['destinations', '0', 'amountUSD']
 */
export function parsePath(path: string): string[] {
  const segments = path.split('.');
  for (const s of segments) {
    if (s === '') {
      throw new OverridePathError(`Invalid path "${path}": empty segment.`, {
        field: path,
        hint: 'write paths as dot-separated keys and array indexes, e.g. destinations.0.dstName',
      });
    }
    if (FORBIDDEN.has(s)) throw new OverridePathError(`Invalid path "${path}": "${s}" is not allowed.`, { field: path });
  }
  return segments;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Resolve one segment on an array; throws naming the path when it is not an existing index. */
function arrayIndex(arr: unknown[], seg: string, path: string, prefix: string): number {
  if (!/^\d+$/.test(seg)) {
    throw new OverridePathError(`Invalid path "${path}": "${prefix}" is an array, and "${seg}" is not an index.`, {
      field: path,
      hint: `address array elements by number, e.g. ${prefix}.0`,
    });
  }
  const idx = Number(seg);
  if (idx >= arr.length) {
    throw new OverridePathError(
      `Invalid path "${path}": index ${idx} is past the end of "${prefix}" (${arr.length} element${arr.length === 1 ? '' : 's'}).`,
      {
        field: path,
        hint: `indexes start at 0; to replace the whole array pass "${prefix}" with a new array`,
      },
    );
  }
  return idx;
}

function notContainer(path: string, prefix: string, value: unknown): OverridePathError {
  return new OverridePathError(`Invalid path "${path}": "${prefix}" is ${kind(value)}, not an object or array.`, {
    field: path,
    hint: `set "${prefix}" itself, or unset it first`,
  });
}

/** Deep-merge `source` into `target` in place: objects merge, everything else (arrays too) replaces. */
function mergeInto(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>, at: string): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (FORBIDDEN.has(key)) throw new OverridePathError(`Invalid override key "${at}${key}".`, { field: `${at}${key}` });
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) mergeInto(current, value, `${at}${key}.`);
    else target[key] = cloneJson(value);
  }
}

/**
 * Set one value at a dotted path in place. Missing object keys along the way are created as `{}`;
 * array indexes must exist; a plain-object value merges into a plain object already there.
 *
 * @example
 * const p = { destinations: [{ amountUSD: 1 }] };
 * setPath(p, 'destinations.0.amountUSD', 5); // p.destinations[0].amountUSD === 5
 */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = parsePath(path);
  let cur: Container = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const prefix = segments.slice(0, i).join('.');
    const last = i === segments.length - 1;
    if (Array.isArray(cur)) {
      const idx = arrayIndex(cur, seg, path, prefix);
      if (last) {
        const existing = cur[idx];
        if (isPlainObject(value) && isPlainObject(existing)) mergeInto(existing, value, `${path}.`);
        else cur[idx] = cloneJson(value);
        return;
      }
      const next: unknown = cur[idx];
      if (!isPlainObject(next) && !Array.isArray(next)) throw notContainer(path, segments.slice(0, i + 1).join('.'), next);
      cur = next;
    } else {
      if (last) {
        const existing = cur[seg];
        if (isPlainObject(value) && isPlainObject(existing)) mergeInto(existing, value, `${path}.`);
        else cur[seg] = cloneJson(value);
        return;
      }
      let next: unknown = cur[seg];
      if (next === undefined) {
        next = {};
        cur[seg] = next;
      }
      if (!isPlainObject(next) && !Array.isArray(next)) throw notContainer(path, segments.slice(0, i + 1).join('.'), next);
      cur = next;
    }
  }
}

/**
 * Apply a partial payload to a copy of `base` (the input is not changed) and return the copy.
 *
 * - Keys without a dot deep-merge: nested objects merge key by key, while arrays, strings,
 *   numbers, booleans and `null` replace what was there. `null` is a value, not a deletion; an
 *   `undefined` value is ignored.
 * - Keys with a dot are paths (`'destinations.0.amountUSD'`), applied after the plain keys so
 *   they can refine an array the same override replaced. Numeric segments index arrays and must
 *   name an existing element. Only top-level keys are read as paths.
 * - A path that cannot be followed (an index past the end, a step through a string) throws
 *   `OverridePathError` naming the path.
 *
 * @example
 * applyOverrides(template, { asset: 'BTC', destinations: [d], 'destinations.0.amountUSD': 5 })
 */
export function applyOverrides<T extends object>(base: T, overrides?: Readonly<Record<string, unknown>>): T {
  const out = cloneJson(base);
  mergeOverrides(out as Record<string, unknown>, overrides);
  return out;
}

/**
 * {@link applyOverrides} in place: for a payload the caller has just built and owns entirely (no
 * object in it shared with a template or another request), so copying it first would be wasted
 * work on every request. The values taken from `overrides` are copied, so the result shares
 * nothing with them. On an error `target` may be half merged: throw it away.
 *
 * @example
 * const payload = { txId: 't', destinations: [{ dstName: 'A' }] }; // built just now
 * mergeOverrides(payload, { 'destinations.0.dstName': 'B' });      // payload.destinations[0].dstName === 'B'
 */
export function mergeOverrides(target: Record<string, unknown>, overrides?: Readonly<Record<string, unknown>>): void {
  if (overrides === undefined) return;
  const plain: Record<string, unknown> = {};
  const dotted: [string, unknown][] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (FORBIDDEN.has(key)) throw new OverridePathError(`Invalid override key "${key}".`, { field: key });
    if (key.includes('.')) dotted.push([key, value]);
    else plain[key] = value;
  }
  mergeInto(target, plain, '');
  for (const [path, value] of dotted) {
    if (value !== undefined) setPath(target, path, value);
  }
}

/**
 * Delete the fields at the given dotted paths, in place and in order. Deleting an array element
 * removes it (later elements move up). A path whose last key is already absent is a no-op; an
 * index past the end, or a step through a string, number, boolean or null, throws
 * `OverridePathError` naming the path.
 *
 * @example
 * unsetPaths(payload, ['destinations.0.dstName', 'signerId']);
 */
export function unsetPaths(root: Record<string, unknown>, paths: readonly string[]): void {
  for (const path of paths) {
    const segments = parsePath(path);
    let cur: Container = root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      const prefix = segments.slice(0, i).join('.');
      const last = i === segments.length - 1;
      let next: unknown;
      if (Array.isArray(cur)) {
        const idx = arrayIndex(cur, seg, path, prefix);
        if (last) {
          cur.splice(idx, 1);
          break;
        }
        next = cur[idx];
      } else {
        if (last) {
          delete cur[seg];
          break;
        }
        next = cur[seg];
        if (next === undefined) break;
      }
      if (!isPlainObject(next) && !Array.isArray(next)) throw notContainer(path, segments.slice(0, i + 1).join('.'), next);
      cur = next;
    }
  }
}
