import { InvalidArgumentError } from '../errors.js';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** What a duration looks like, for messages: the same words in the loader, the schema and the CLI. */
export const DURATION_EXPECTED = 'a duration like 500ms, 2s or 1m (a bare number means milliseconds)';

/**
 * Read a duration: `500ms`, `2s`, `1.5s`, `1m`, or a bare number (or numeric string) of
 * milliseconds. Returns whole milliseconds.
 *
 * Throws InvalidArgumentError (`CSIM_INVALID_ARGUMENT`) for anything else; callers wrap it with
 * their own context (the loader names the file, line and field; the CLI names the flag).
 *
 * @example
 * parseDuration('2s');   // 2000
 * parseDuration(250);    // 250
 * parseDuration('1m');   // 60000
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  } else if (typeof value === 'string') {
    const m = DURATION.exec(value.trim());
    if (m) {
      const unit = (m[2] ?? 'ms') as keyof typeof UNIT_MS;
      return Math.round(Number(m[1]) * UNIT_MS[unit]);
    }
  }
  throw new InvalidArgumentError(`invalid duration ${describeValue(value)}: expected ${DURATION_EXPECTED}`, {
    hint: 'write a non-negative number followed by ms, s or m, e.g. 500ms, 2s, 1m',
  });
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : String(value);
}
