import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { ScenarioInvalidError } from '../errors.js';

/** A path into a parsed document: mapping keys and list indexes. */
export type SourcePath = readonly (string | number)[];

/** One YAML/JSON document of a scenario file, with a way back to the line of any of its nodes. */
export interface SourceDocument {
  /** The plain data (aliases and `<<` merges resolved). */
  value: unknown;
  /**
   * The 1-based line of the node at `path`, or of its key when `key` is set (for unknown keys).
   * A path that does not exist in the source (e.g. made by a placeholder) gives the line of its
   * deepest existing ancestor.
   */
  lineOf(path: SourcePath, opts?: { key?: boolean }): number;
}

/** An error that names the file, the line and (when there is one) the field. */
export interface ScenarioErrorInfo {
  file: string;
  line?: number;
  field?: string;
  /** The text after `file:line: `. */
  message: string;
  hint?: string;
  cause?: unknown;
}

/**
 * Build the loader's one error shape: `file:line: message`, with `file`, `field` and `line` on
 * the error for tools (the CLI's JSON reporter).
 */
export function scenarioError(info: ScenarioErrorInfo): ScenarioInvalidError {
  const where = info.line === undefined ? info.file : `${info.file}:${info.line}`;
  const err = new ScenarioInvalidError(`${where}: ${info.message}`, {
    file: info.file,
    ...(info.field !== undefined ? { field: info.field } : {}),
    ...(info.hint !== undefined ? { hint: info.hint } : {}),
    ...(info.cause !== undefined ? { cause: info.cause } : {}),
  });
  return Object.assign(err, { line: info.line });
}

/**
 * Parse the text of a scenario file into its documents. YAML files may hold several
 * (`---`-separated); JSON files hold one. Syntax errors become ScenarioInvalidError with the
 * line. JSON is read with JSON.parse (the authority on JSON syntax) and located with the YAML
 * parser, which reads JSON too.
 */
export function parseSource(file: string, text: string): SourceDocument[] {
  const isJson = file.toLowerCase().endsWith('.json');
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];

  if (isJson) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      const msg = (cause as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const line = pos ? lineAt(text, Number(pos[1])) : undefined;
      throw scenarioError({
        file,
        ...(line !== undefined ? { line } : {}),
        message: `invalid JSON: ${msg.replace(/\s*\(line \d+ column \d+\)/, '')}`,
        hint: 'fix the JSON syntax (no trailing commas, keys in double quotes), or write the scenario in YAML',
        cause,
      });
    }
    const doc = list.length === 1 && list[0]!.errors.length === 0 ? list[0]! : undefined;
    return [{ value, lineOf: (path, opts) => (doc ? locate(doc, lineCounter, path, opts) : 1) }];
  }

  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw scenarioError({
        file,
        ...(line !== undefined ? { line } : {}),
        message: `invalid YAML: ${firstLine(error.message)} (${error.code})`,
        hint: 'check the indentation (spaces, not tabs) and that every "key: value" has a space after the colon',
        cause: error,
      });
    }
  }
  return list.map((doc) => ({
    value: doc.toJS({ maxAliasCount: 1000 }) as unknown,
    lineOf: (path, opts) => locate(doc, lineCounter, path, opts),
  }));
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function locate(doc: Document.Parsed, lc: LineCounter, path: SourcePath, opts: { key?: boolean } = {}): number {
  let node: unknown = doc.contents;
  let line = offsetLine(node, lc) ?? 1;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return line;
      // The key's line, not the value's: a block mapping's value starts on the line below.
      line = offsetLine(pair.key, lc) ?? line;
      if (last && opts.key) return line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return line;
      line = offsetLine(item, lc) ?? line;
      node = item;
    } else {
      return line;
    }
  }
  return line;
}

function offsetLine(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  if (!range) return undefined;
  return lc.linePos(range[0]).line;
}
