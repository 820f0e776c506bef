import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InternalError } from '../errors.js';
import { closest } from '../lib/did-you-mean.js';
import validateScenario from './scenario-validator.generated.js';

/** Where the schema ships: `schema/scenario.schema.json` at the package root. */
export const SCHEMA_FILE_NAME = 'scenario.schema.json';

/**
 * Find the shipped schema by walking up from this module: `../../schema` from the sources,
 * `../../../schema` from `dist/`. One file serves editors and the loader alike.
 */
export function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schema', SCHEMA_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new InternalError(`cannot find schema/${SCHEMA_FILE_NAME} above ${fileURLToPath(import.meta.url)}`, {
    hint: 'the package is incomplete: reinstall cosigner-sim (its "files" must include schema/)',
  });
}

/**
 * The validator of one scenario (`#/definitions/scenario`). It is compiled ahead by ajv into
 * scenario-validator.generated.ts (a test holds it to the schema), so that loading a suite does
 * not load ajv and compile the schema first.
 */
export function scenarioValidator(): ValidateFunction {
  return validateScenario as unknown as ValidateFunction;
}

/** One schema violation, in the loader's words. */
export interface SchemaProblem {
  /** Path of the offending node (for an unknown key: of the key itself). */
  path: (string | number)[];
  /** True when `path` ends in a key that should not be there (report the key's line). */
  isKey: boolean;
  /** `expect.action must be one of … (got "approve")`, without the file and line. */
  message: string;
  hint?: string;
}

/** Validate one scenario object; undefined when it is valid. */
export function checkScenarioShape(value: unknown): SchemaProblem | undefined {
  const validate = scenarioValidator();
  if (validate(value)) return undefined;
  return describeErrors(validate.errors ?? [], value);
}

function describeErrors(errors: ErrorObject[], root: unknown): SchemaProblem {
  const problem = pickProblem(errors, root);
  if (problem.hint !== undefined) return problem;
  // `approve` for `APPROVE`: say so, whichever error was picked.
  const value = valueAt(root, problem.path);
  if (typeof value === 'string') {
    for (const e of errors) {
      if (e.keyword !== 'enum') continue;
      const same = (e.params as { allowedValues: unknown[] }).allowedValues.find((a) => typeof a === 'string' && a !== value && a.toLowerCase() === value.toLowerCase());
      if (same !== undefined) return { ...problem, hint: `values are case-sensitive: write ${String(same)}` };
    }
  }
  return problem;
}

function pickProblem(errors: ErrorObject[], root: unknown): SchemaProblem {
  // ajv stops at the first failure (allErrors: false), but an anyOf also lists every branch's
  // error before its own. Report the deepest problem: inside a list item that matched a branch,
  // the item's own error says more; at equal depth, the anyOf (with its `x-expected` wording) does.
  const depth = (e: ErrorObject) => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors.filter((e) => depth(e) === deepest);
  const picked =
    candidates.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf') ??
    candidates.find((e) => e.keyword === 'propertyNames') ??
    candidates[0];
  if (!picked) return { path: [], isKey: false, message: 'does not match the scenario schema' };
  const path = pointerToPath(picked.instancePath);
  const field = dotted(path);
  const value = valueAt(root, path);
  const parent = (picked.parentSchema ?? {}) as Record<string, unknown>;
  const wording = typeof parent['x-expected'] === 'string' ? parent['x-expected'] : undefined;
  const got = `(got ${describe(value)})`;

  switch (picked.keyword) {
    case 'additionalProperties': {
      const key = String((picked.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((parent['properties'] ?? {}) as Record<string, unknown>);
      const guess = closest(key, known);
      const full = dotted([...path, key]);
      return {
        path: [...path, key],
        isKey: true,
        message: guess ? `unknown key ${full}: did you mean ${dotted([...path, guess])}?` : `unknown key ${full}`,
        hint: `${field || 'a scenario'} accepts: ${known.join(', ')}`,
      };
    }
    case 'required': {
      const key = String((picked.params as { missingProperty: string }).missingProperty);
      return { path, isKey: false, message: `${dotted([...path, key])} is required (got ${field ? `${field} without it` : 'a scenario without it'})` };
    }
    case 'propertyNames': {
      const key = String((picked.params as { propertyName: string }).propertyName);
      const nested = errors.find((e) => e.keyword !== 'propertyNames');
      const expected = (nested?.parentSchema as Record<string, unknown> | undefined)?.['x-expected'];
      return { path: [...path, key], isKey: true, message: `key ${JSON.stringify(key)} in ${field} must be ${typeof expected === 'string' ? expected : 'a valid name'}` };
    }
    case 'type': {
      const t = (picked.params as { type: string | string[] }).type;
      const types = Array.isArray(t) ? t : String(t).split(',');
      return { path, isKey: false, message: `${field} must be ${types.map(typeWord).join(' or ')} ${got}` };
    }
    case 'enum': {
      const allowed = (picked.params as { allowedValues: unknown[] }).allowedValues;
      return { path, isKey: false, message: `${field} must be ${wording ?? `one of ${allowed.map(String).join(', ')}`} ${got}` };
    }
    case 'minItems':
      return { path, isKey: false, message: `${field} must be a list of at least ${String((picked.params as { limit: number }).limit)} item(s) ${got}` };
    case 'minLength':
      return { path, isKey: false, message: `${field} must be a non-empty string ${got}` };
    case 'uniqueItems': {
      const { i, j } = picked.params as { i: number; j: number };
      return { path, isKey: false, message: `${field} must not repeat an item (items ${j + 1} and ${i + 1} are both ${describe(valueAt(root, [...path, i]))})` };
    }
    case 'minimum':
    case 'maximum': {
      const limit = (picked.params as { limit: number }).limit;
      return { path, isKey: false, message: `${field} must be ${wording ?? `${picked.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}`} ${got}` };
    }
    default:
      return { path, isKey: false, message: `${field || 'the scenario'} must be ${wording ?? (picked.message ?? 'valid').replace(/^must (be )?/, '')} ${got}` };
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `steps[1].request.stage`: the dotted form every message uses. */
export function dotted(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function typeWord(t: string): string {
  switch (t) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'null':
      return 'null';
    default:
      return t;
  }
}

/** A value as the user wrote it, for "(got …)". */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}
