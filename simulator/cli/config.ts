import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigInvalidError, FileNotFoundError } from '../errors.js';
import { closest } from '../lib/did-you-mean.js';
import { CONFIG_SECTIONS, SPECS, configReaders, findOptionSpec, isShared, listCommands, type CommandName, type OptionKey, type OptionSpec } from './option-table.js';

/** File names picked up from the working folder, in this order, when `--config` is not given. */
export const CONFIG_FILE_NAMES = ['cosigner-sim.config.json', 'cosigner-sim.config.yaml', 'cosigner-sim.config.yml', 'cosigner-sim.config.mjs'] as const;

/** The keys a config file may hold anywhere: the flags' long names in camelCase (option-table.ts). */
export const CONFIG_KEYS: readonly OptionKey[] = SPECS.filter((s) => s.config).map((s) => s.key as OptionKey);
export type ConfigKey = OptionKey;

/** The keys allowed at the top: those more than one command reads. */
export const TOP_LEVEL_KEYS: readonly OptionKey[] = SPECS.filter((s) => s.config && isShared(s)).map((s) => s.key as OptionKey);

/** Keys of one level of the file, as written there (paths already rebased onto the working folder). */
export type ConfigValues = Partial<Record<ConfigKey, unknown>>;

export interface LoadedConfig {
  /** The file as the user would name it (relative to the working folder when inside it). */
  file: string;
  /** The top-level keys: settings several commands share. */
  values: ConfigValues;
  /** The `run:`, `send:`, ... sections: settings of one command, which win over the top level. */
  sections: Partial<Record<CommandName, ConfigValues>>;
}

/** Show a path relative to the working folder when it is inside it, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * Find and read the config file: `--config <file>`, else the first of CONFIG_FILE_NAMES in the
 * working folder, else none. Checks where every key stands (see the README's config section):
 * a key no command reads is refused with a did-you-mean, a key only one command reads must be in
 * that command's section, and a section holds only what its command reads. Path values are
 * rebased onto the working folder. The values' types are checked by options.ts.
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
  const out: LoadedConfig = { file, values: {}, sections: {} };
  if (raw === null || raw === undefined) return out;
  if (!isMapping(raw)) {
    throw new ConfigInvalidError(`${file}: expected a mapping of option names to values, found ${Array.isArray(raw) ? 'a list' : typeof raw}`, {
      file,
      hint: 'write e.g. `option: 4` and `kit: keys/` (YAML) or {"option": 4, "kit": "keys/"} (JSON)',
    });
  }
  const rebase = (spec: OptionSpec, value: unknown) => rebasePaths(spec, value, cwd, dirname(abs));
  for (const [key, value] of Object.entries(raw)) {
    // Editors follow "$schema" in a JSON file; it is not a setting.
    if (key === '$schema') continue;
    if ((CONFIG_SECTIONS as readonly string[]).includes(key)) {
      const command = key as CommandName;
      if (value === null || value === undefined) continue;
      if (!isMapping(value)) {
        throw new ConfigInvalidError(`${file}: "${command}" must be a mapping of ${command}'s settings, found ${Array.isArray(value) ? 'a list' : typeof value}`, {
          file,
          field: command,
          hint: `write e.g.\n${command}:\n  ${exampleLine(command)}`,
        });
      }
      const section: ConfigValues = {};
      for (const [k, v] of Object.entries(value)) {
        const spec = placeInSection(file, command, k);
        section[spec.key as ConfigKey] = rebase(spec, v);
      }
      out.sections[command] = section;
      continue;
    }
    const spec = placeAtTop(file, key);
    out.values[spec.key as ConfigKey] = rebase(spec, value);
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exampleLine(command: CommandName): string {
  const spec = SPECS.find((s) => configReaders(s).includes(command) && !isShared(s));
  return spec ? `${spec.key}: ${JSON.stringify(spec.example)}` : 'timeout: 5s';
}

/** A did-you-mean over every config key and section name (also for kebab-case and snake_case spellings). */
function nearKey(key: string, candidates: readonly string[]): string | undefined {
  return closest(key, candidates) ?? closest(kebabToCamel(key), candidates);
}

function unknownKey(file: string, field: string, key: string, candidates: readonly string[], where: string): ConfigInvalidError {
  const near = nearKey(key, candidates);
  const spec = near !== undefined ? findOptionSpec(near) : undefined;
  const moveHint = spec && !isShared(spec) && where === 'top' ? ` and move it under ${configReaders(spec)[0]}:` : '';
  return new ConfigInvalidError(`${file}: unknown key "${field}"${near ? `. Did you mean "${near}"?` : ''}`, {
    file,
    field,
    hint: near ? `rename it to "${near}"${moveHint}` : `known keys${where === 'top' ? '' : ` in ${where}:`}: ${candidates.join(', ')} (README#config-file)`,
  });
}

/** A top-level key: shared by several commands, else refused naming the command it belongs to. */
function placeAtTop(file: string, key: string): OptionSpec {
  const spec = findOptionSpec(key);
  if (spec === undefined || !spec.config) {
    throw unknownKey(file, key, key, [...CONFIG_KEYS, ...CONFIG_SECTIONS], 'top');
  }
  if (!isShared(spec) && configReaders(spec).length > 1) {
    // A key that shapes requests: at the top, the commands that do not read it would pass over it.
    const readers = configReaders(spec);
    throw new ConfigInvalidError(`${file}: "${key}" is read only by ${listCommands(readers)}, so it belongs in their sections (${readers.map((c) => `${c}:`).join(', ')}), not at the top where ${listCommands(CONFIG_SECTIONS.filter((c) => !readers.includes(c)))} would pass over it`, {
      file,
      field: key,
      hint: `write\n${readers[0]}:\n  ${key}: ${JSON.stringify(spec.example)}\n(or under ${readers.slice(1).map((c) => `${c}:`).join(', ')})`,
    });
  }
  if (!isShared(spec)) {
    const only = configReaders(spec)[0]!;
    throw new ConfigInvalidError(`${file}: "${key}" is read only by ${only}, so it belongs in the ${only}: section`, {
      file,
      field: key,
      hint: `write\n${only}:\n  ${key}: ${JSON.stringify(spec.example)}\n(the top level holds what several commands share: ${TOP_LEVEL_KEYS.join(', ')})`,
    });
  }
  return spec;
}

/** A key in the `command:` section: one that command reads, else refused naming who reads it. */
function placeInSection(file: string, command: CommandName, key: string): OptionSpec {
  const field = `${command}.${key}`;
  const spec = findOptionSpec(key);
  const own = SPECS.filter((s) => configReaders(s).includes(command)).map((s) => s.key as string);
  if (spec === undefined || !spec.config) throw unknownKey(file, field, key, own, command);
  const readers = configReaders(spec);
  if (!readers.includes(command)) {
    throw new ConfigInvalidError(`${file}: "${field}": ${command} does not read "${key}", only ${listCommands(readers)} ${readers.length === 1 ? 'does' : 'do'}`, {
      file,
      field,
      hint: isShared(spec) ? `move it to the top level, or under ${readers.map((c) => `${c}:`).join(' or ')}` : `move it under ${readers[0]}:`,
    });
  }
  return spec;
}

/** Config-file paths are relative to the config file; the commands take them relative to the working folder. */
function rebasePaths(spec: OptionSpec, value: unknown, cwd: string, base: string): unknown {
  const isPath = spec.kind.type === 'path' || (spec.kind.type === 'list' && spec.kind.item === 'path');
  if (!isPath) return value;
  const one = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? displayPath(cwd, resolve(base, v)) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
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
  // Loaded only for YAML files: JSON configs and runs without a config file skip its start-up.
  const { parse: parseYaml, YAMLParseError } = await import('yaml');
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
