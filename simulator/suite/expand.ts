import { closest } from '../lib/did-you-mean.js';

/** A problem found while filling placeholders, at a path inside the scenario; the message follows the field name. */
export class SubstitutionProblem extends Error {
  readonly path: (string | number)[];
  readonly hint: string | undefined;
  constructor(path: (string | number)[], message: string, hint?: string) {
    super(message);
    this.name = 'SubstitutionProblem';
    this.path = path;
    this.hint = hint;
  }
}

/** `${name}`, or `$${name}` for a literal `${name}`. */
const PLACEHOLDER = /(\$?)\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Fill `${var}` placeholders from one `each:` row, in every string of `value` (mapping values and
 * list items, never keys). Rules:
 *
 * - a string that is exactly `${var}` becomes the row's value with its type (a number stays a
 *   number, a mapping stays a mapping);
 * - otherwise each `${var}` is replaced by the value's text (numbers, booleans, null, strings;
 *   a list or mapping inside a longer string is an error);
 * - `$${var}` is a literal `${var}`;
 * - a variable the row does not define is an error (with a suggestion).
 *
 * Pure: returns a new value, never changes `value` or `row`.
 *
 * @example
 * substitute({ payload: { amountStr: '${amount}' }, note: 'pay ${amount} ${asset}' }, { amount: 5, asset: 'ETH' }, []);
 * // { payload: { amountStr: 5 }, note: 'pay 5 ETH' }
 */
export function substitute(value: unknown, row: Readonly<Record<string, unknown>>, path: (string | number)[]): unknown {
  if (typeof value === 'string') return substituteString(value, row, path);
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, row, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, row, [...path, k]);
    return out;
  }
  return value;
}

function lookup(name: string, row: Readonly<Record<string, unknown>>, path: (string | number)[]): unknown {
  if (!NAME.test(name)) {
    throw new SubstitutionProblem(path, `uses \${${name}}, which is not a valid placeholder`, 'a placeholder is ${name} with letters, digits and _ only (no spaces); write $${…} for a literal ${…}');
  }
  if (!Object.prototype.hasOwnProperty.call(row, name)) {
    const keys = Object.keys(row);
    const guess = closest(name, keys);
    throw new SubstitutionProblem(
      path,
      `uses \${${name}}, which the each row does not define${guess ? `: did you mean \${${guess}}?` : ''}`,
      keys.length > 0 ? `the row defines: ${keys.join(', ')}` : 'the row is empty: give it the keys the placeholders use',
    );
  }
  return row[name];
}

function substituteString(text: string, row: Readonly<Record<string, unknown>>, path: (string | number)[]): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return structuredClone(lookup(whole[1]!, row, path));
  return text.replace(PLACEHOLDER, (_m, escape: string, name: string) => {
    if (escape === '$') return `\${${name}}`;
    const v = lookup(name, row, path);
    if (v !== null && typeof v === 'object') {
      throw new SubstitutionProblem(path, `puts \${${name}}, a ${Array.isArray(v) ? 'list' : 'mapping'}, inside a longer string`, `write the placeholder alone, as "\${${name}}", to insert the whole value`);
    }
    return String(v);
  });
}

/** True when a string holds a `${var}` placeholder (not counting `$${…}` escapes). */
export function hasPlaceholder(text: string): boolean {
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1] !== '$') return true;
  return false;
}
