import { InvalidArgumentError } from '../errors.js';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** What a duration looks like, for messages: the same words in the loader, the schema and the CLI. */
export const DURATION_EXPECTED = 'a duration like 500ms, 2s or 1m, with its unit (write 30s or 500ms: a bare number is refused, except 0)';

/**
 * The duration syntax as a JSON Schema / RegExp pattern: a number with a unit, or `0`. The config
 * schema (cli/option-table.ts) and schema/scenario.schema.json use the same one.
 */
export const DURATION_PATTERN = '^\\s*(0|\\d+(\\.\\d+)?\\s*(ms|s|m))\\s*$';

/** The fix for a bare number: both readings, so the user picks the one they meant. */
function bareNumberHint(n: string): string {
  return `write 30s or 500ms: a number without a unit is ambiguous (${n}ms or ${n}s?)`;
}

/**
 * Read a duration: `500ms`, `2s`, `1.5s`, `1m`, or `0` (as a number or a string). Returns whole
 * milliseconds.
 *
 * A bare number other than 0 is refused: `--timeout 30` used to mean 30 ms while every message
 * speaks of the Co-signer's 30 s, so the unit is always written (the library's `timeoutMs` options
 * stay numbers of milliseconds; this reads what people type).
 *
 * Throws InvalidArgumentError (`CSIM_INVALID_ARGUMENT`) for anything else; callers wrap it with
 * their own context (the loader names the file, line and field; the CLI names the flag).
 *
 * @example
 * parseDuration('2s');   // 2000
 * parseDuration('1m');   // 60000
 * parseDuration(0);      // 0
 * parseDuration('30');   // throws: write 30s or 500ms
 */
export function parseDuration(value: unknown): number {
  if (value === 0) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    throw new InvalidArgumentError(`invalid duration ${describeValue(value)}: a number without a unit; expected ${DURATION_EXPECTED}`, { hint: bareNumberHint(String(value)) });
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '0') return 0;
    const m = DURATION.exec(text);
    if (m) return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
    if (/^\d+(?:\.\d+)?$/.test(text)) {
      throw new InvalidArgumentError(`invalid duration ${describeValue(value)}: a number without a unit; expected ${DURATION_EXPECTED}`, { hint: bareNumberHint(text) });
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
