import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigInvalidError, FileNotFoundError } from '../errors.js';
import { suggest } from './options.js';

/** File names picked up from the working folder, in this order, when `--config` is not given. */
export const CONFIG_FILE_NAMES = ['cosigner-sim.config.json', 'cosigner-sim.config.yaml', 'cosigner-sim.config.yml', 'cosigner-sim.config.mjs'] as const;

/**
 * The keys a config file may hold: the flags' long names in camelCase. Send-only and run-only
 * keys are allowed in one shared file; each command reads the ones it knows.
 */
export const CONFIG_KEYS = [
  'url',
  'option',
  'kit',
  'cosignerKey',
  'handlerPublicKey',
  'pinnedCert',
  'ca',
  'checkHostname',
  'contentType',
  'timeout',
  'seed',
  'reporter',
  'strict',
  'showSecrets',
  'color',
  'paths',
  'grep',
  'tag',
  'bail',
  'concurrency',
  'stage',
  'type',
  'set',
  'unset',
  'batched',
  'skip',
  'slowFraction',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Keys whose values are file paths: a config file's paths are relative to the config file. */
const PATH_KEYS: readonly ConfigKey[] = ['kit', 'cosignerKey', 'handlerPublicKey', 'pinnedCert', 'ca'];

export interface LoadedConfig {
  /** The file as the user would name it (relative to the working folder when inside it). */
  file: string;
  values: Partial<Record<ConfigKey, unknown>>;
}

/** Show a path relative to the working folder when it is inside it, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * Find and read the config file: `--config <file>`, else the first of CONFIG_FILE_NAMES in the
 * working folder, else none. Unknown keys are refused with a did-you-mean; path values are
 * rebased onto the working folder.
 *
 * @example
 * const config = await loadConfig('/repo', undefined); // reads /repo/cosigner-sim.config.yaml if present
 */
export async function loadConfig(cwd: string, explicit: string | undefined): Promise<LoadedConfig | undefined> {
  let abs: string | undefined;
  if (explicit !== undefined) {
    abs = resolve(cwd, explicit);
    if (!existsSync(abs)) {
      throw new FileNotFoundError(`${explicit}: no such config file`, {
        file: explicit,
        hint: `check the --config path (relative to ${cwd}), or drop --config to use ${CONFIG_FILE_NAMES.slice(0, 2).join(' or ')} in the working folder`,
      });
    }
  } else {
    abs = CONFIG_FILE_NAMES.map((n) => join(cwd, n)).find((p) => existsSync(p));
    if (abs === undefined) return undefined;
  }
  const file = displayPath(cwd, abs);
  const raw = await readConfigValue(abs, file);
  if (raw === null || raw === undefined) return { file, values: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigInvalidError(`${file}: expected a mapping of option names to values, found ${Array.isArray(raw) ? 'a list' : typeof raw}`, {
      file,
      hint: 'write e.g. `option: 4` and `kit: keys/` (YAML) or {"option": 4, "kit": "keys/"} (JSON)',
    });
  }
  const values: Partial<Record<ConfigKey, unknown>> = {};
  const base = dirname(abs);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      const near = suggest(key, CONFIG_KEYS) ?? suggest(kebabToCamel(key), CONFIG_KEYS);
      throw new ConfigInvalidError(`${file}: unknown key "${key}"${near ? `. Did you mean "${near}"?` : ''}`, {
        file,
        field: key,
        hint: near ? `rename it to "${near}"` : `known keys: ${CONFIG_KEYS.join(', ')}`,
      });
    }
    const k = key as ConfigKey;
    values[k] = PATH_KEYS.includes(k) && typeof value === 'string' ? displayPath(cwd, resolve(base, value)) : value;
  }
  if (Array.isArray(values.paths)) {
    values.paths = values.paths.map((p: unknown) => (typeof p === 'string' ? displayPath(cwd, resolve(base, p)) : p));
  } else if (typeof values.paths === 'string') {
    values.paths = displayPath(cwd, resolve(base, values.paths));
  }
  return { file, values };
}

function kebabToCamel(s: string): string {
  return s.replace(/[-_]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

async function readConfigValue(abs: string, file: string): Promise<unknown> {
  if (abs.endsWith('.mjs') || abs.endsWith('.js')) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
    } catch (cause) {
      throw new ConfigInvalidError(`${file}: cannot load the module (${firstLine(cause)})`, { file, cause, hint: 'the file must be an ES module with `export default { ... }`' });
    }
    if (mod.default === undefined) {
      throw new ConfigInvalidError(`${file}: the module has no default export`, { file, hint: 'write `export default { option: 4, kit: "keys/" }`' });
    }
    return mod.default;
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (cause) {
    throw new FileNotFoundError(`${file}: cannot read the config file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { file, cause });
  }
  if (abs.endsWith('.json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new ConfigInvalidError(`${file}: not valid JSON (${firstLine(cause)})`, { file, cause, hint: 'check for trailing commas and unquoted keys' });
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true }) as unknown;
  } catch (cause) {
    const where = cause instanceof YAMLParseError && cause.linePos ? `:${cause.linePos[0].line}` : '';
    throw new ConfigInvalidError(`${file}${where}: not valid YAML (${firstLine(cause)})`, { file, cause, hint: 'YAML is indentation-sensitive: check the line above the one named' });
  }
}

function firstLine(error: unknown): string {
  const msg = error instanceof Error ? error.message : String(error);
  return (msg.split('\n')[0] ?? msg).trim();
}
