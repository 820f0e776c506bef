/**
 * A fast reader for the plain YAML most scenario files are written in: block mappings and
 * sequences, one-line plain and quoted scalars, comments, one-line `[a, b]` and `{ a: b }`. The full parser (the
 * `yaml` package) spends most of a large suite's load warming up on code this subset never
 * needs: a thousand scenarios took it about 0.8 s of the run, before any request flies.
 *
 * It gives up (returns undefined) on anything outside the subset or anything it is not sure the
 * full parser reads the same way: anchors, aliases, tags, merge keys, block scalars, multi-line
 * scalars, flow collections over several lines, several documents, tabs, CR line ends, numbers other than plain
 * decimals, duplicate keys, anything the full parser would call an error. The caller then parses
 * with the full parser, which also owns every syntax error message. What it returns equals the
 * full parser's `toJS()`, and each node's line equals what source.ts's locate finds (a test
 * holds both, file by file, over the shipped and the generated scenarios).
 */

/** Where a node starts, and its children's places: a mapping's by key (the key's line), a list's by index. */
export interface PlainLoc {
  line: number;
  keys?: Map<string, { keyLine: number; value: PlainLoc }>;
  items?: PlainLoc[];
}

export interface PlainDocument {
  value: unknown;
  root: PlainLoc;
}

interface Line {
  /** 1-based line number in the file. */
  no: number;
  indent: number;
  /** The line after its indentation (a trailing comment included). */
  text: string;
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class NotPlain extends Error {}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_.$/-]*(?=:(?: |$))/;
/** Keys the core schema would not read as a plain string, or that an object cannot hold as one. */
const NON_STRING_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);
/** First characters of a scalar the subset leaves to the full parser: YAML's indicators. */
const NOT_PLAIN_START = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '?', ':', ',', ']', '}', '#', '{', '[']);
const DECIMAL_INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
const DECIMAL_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** The core schema's numbers (yaml/dist/schema/core): int, octal, hex, float with and without exponent, inf and nan. */
const CORE_NUMBER = [/^[-+]?[0-9]+$/, /^0o[0-7]+$/, /^0x[0-9a-fA-F]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/];
const AFTER_QUOTED = /^(?:\s+#.*|\s*)$/;
/** Control characters, Unicode line separators, a byte order mark: the full parser knows what YAML makes of them. */
// eslint-disable-next-line no-control-regex
const UNUSUAL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
/** YAML caps an implicit key at 1024 characters; well below that, the subset is sure. */
const MAX_KEY_LENGTH = 1000;

/**
 * Read `text` as one document of the subset, or undefined when it is not one (then use the full
 * parser).
 *
 * @example
 * parsePlainYaml('- name: a\n  tags: [x]\n')?.value; // [{ name: 'a', tags: ['x'] }]
 */
export function parsePlainYaml(text: string): PlainDocument | undefined {
  if (text.includes('\t') || text.includes('\r') || UNUSUAL_CHARS.test(text)) return undefined;
  const lines: Line[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    let indent = 0;
    while (l.charCodeAt(indent) === 32) indent++;
    const rest = l.slice(indent);
    if (rest === '' || rest.startsWith('#')) continue;
    // Directives and document markers: the full parser's business.
    if (indent === 0 && (rest.startsWith('%') || rest.startsWith('---') || rest.startsWith('...'))) return undefined;
    lines.push({ no: i + 1, indent, text: rest });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  try {
    const reader = new Reader(lines);
    const [value, root] = reader.block(0);
    if (reader.i !== lines.length) return undefined;
    return { value, root };
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

class Reader {
  i = 0;
  private readonly lines: Line[];
  constructor(lines: Line[]) {
    this.lines = lines;
  }

  /** The node whose first line is the current one, at that line's indentation. */
  block(minIndent: number): [unknown, PlainLoc] {
    const l = this.lines[this.i]!;
    if (l.indent < minIndent) throw new NotPlain();
    return isDash(l.text) ? this.seq(l.indent) : this.map(l.indent);
  }

  private map(indent: number): [unknown, PlainLoc] {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, { keyLine: number; value: PlainLoc }>();
    const start = this.lines[this.i]!.no;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent || isDash(l.text)) throw new NotPlain();
      const { key, rest } = readKey(l.text);
      if (keys.has(key)) throw new NotPlain();
      this.i++;
      let value: unknown;
      let loc: PlainLoc;
      if (isEmptyRest(rest)) {
        const next = this.lines[this.i];
        if (next !== undefined && next.indent > indent) [value, loc] = this.block(next.indent);
        // A list may sit at its key's own indentation.
        else if (next !== undefined && next.indent === indent && isDash(next.text)) [value, loc] = this.seq(indent);
        else [value, loc] = [null, { line: l.no }];
      } else {
        [value, loc] = scalarOrFlow(rest, l.no);
        this.noContinuation(indent);
      }
      out[key] = value;
      keys.set(key, { keyLine: l.no, value: loc });
    }
    return [out, { line: start, keys }];
  }

  private seq(indent: number): [unknown, PlainLoc] {
    const out: unknown[] = [];
    const items: PlainLoc[] = [];
    const start = this.lines[this.i]!.no;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent || (l.indent === indent && !isDash(l.text))) break;
      if (l.indent > indent) throw new NotPlain();
      // `-` alone (the item on the lines below) and `- - a` are left to the full parser.
      const rest = l.text.slice(1).trimStart();
      if (rest === '' || rest.startsWith('#') || isDash(rest)) throw new NotPlain();
      if (startsWithKey(rest)) {
        // `- name: a`: a mapping whose keys line up under `name`. Read the rest of this line as
        // a line of its own at that column.
        const column = indent + (l.text.length - rest.length);
        this.lines[this.i] = { no: l.no, indent: column, text: rest };
        const [value, loc] = this.map(column);
        out.push(value);
        items.push(loc);
      } else {
        this.i++;
        const [value, loc] = scalarOrFlow(rest, l.no);
        this.noContinuation(indent);
        out.push(value);
        items.push(loc);
      }
    }
    return [out, { line: start, items }];
  }

  /** A scalar ends on its line: a deeper line after it would continue it (or be an error). */
  private noContinuation(indent: number): void {
    const next = this.lines[this.i];
    if (next !== undefined && next.indent > indent) throw new NotPlain();
  }
}

function isDash(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function isEmptyRest(rest: string): boolean {
  return rest === '' || rest.startsWith('#');
}

function startsWithKey(text: string): boolean {
  if (PLAIN_KEY.test(text)) return true;
  if (text.startsWith('"') || text.startsWith("'")) {
    const q = quoted(text);
    return q !== undefined && /^:(?: |$)/.test(text.slice(q.end));
  }
  return false;
}

/** `key: rest` (rest trimmed at the start; it may be empty or a comment). */
function readKey(text: string): { key: string; rest: string } {
  let key: string;
  let after: number;
  const m = PLAIN_KEY.exec(text);
  if (m) {
    key = m[0];
    after = key.length;
  } else if (text.startsWith('"') || text.startsWith("'")) {
    const q = quoted(text);
    if (q === undefined) throw new NotPlain();
    key = q.value;
    after = q.end;
  } else {
    throw new NotPlain();
  }
  if (NON_STRING_KEYS.has(key) || after > MAX_KEY_LENGTH || !/^:(?: |$)/.test(text.slice(after))) throw new NotPlain();
  return { key, rest: text.slice(after + 1).trimStart() };
}

/** A quoted scalar at the start of `text`, closed on this line: its value and the index after the closing quote. */
function quoted(text: string): { value: string; end: number } | undefined {
  if (text.startsWith('"')) {
    for (let i = 1; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\\') i++;
      else if (ch === '"') {
        try {
          // JSON's escapes are a subset of YAML's, with the same meaning; YAML's others (\x, \e,
          // \N, a raw control character, ...) make JSON.parse throw, and the full parser reads them.
          return { value: JSON.parse(text.slice(0, i + 1)) as string, end: i + 1 };
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "'") value += ch;
    else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else return { value, end: i + 1 };
  }
  return undefined;
}

/** The value on the rest of a line: a quoted or plain scalar, `[a, b]`, `[]` or `{}`. */
function scalarOrFlow(rest: string, no: number): [unknown, PlainLoc] {
  const loc = { line: no };
  const first = rest[0]!;
  if (first === '"' || first === "'") {
    const q = quoted(rest);
    if (q === undefined || !AFTER_QUOTED.test(rest.slice(q.end))) throw new NotPlain();
    return [q.value, loc];
  }
  if (first === '[' || first === '{') {
    const flow = new FlowReader(rest, no);
    const [value, node] = flow.node();
    if (!AFTER_QUOTED.test(rest.slice(flow.pos))) throw new NotPlain();
    return [value, node];
  }
  return [plainScalar(cutComment(rest)), loc];
}

/**
 * `[a, "b"]` and `{ type: tx, amount: "1" }` on one line, nested or not. Plain scalars in them
 * hold no `:` or `#` (a URL, a comment inside: the full parser's business); an empty entry (a
 * trailing comma, `{ a: }`) likewise.
 */
class FlowReader {
  pos = 0;
  private readonly text: string;
  private readonly no: number;
  constructor(text: string, no: number) {
    this.text = text;
    this.no = no;
  }

  node(): [unknown, PlainLoc] {
    this.skipSpaces();
    const ch = this.text[this.pos];
    if (ch === '[') return this.list();
    if (ch === '{') return this.mapping();
    return [this.scalar(), { line: this.no }];
  }

  private list(): [unknown, PlainLoc] {
    this.pos++;
    const out: unknown[] = [];
    const items: PlainLoc[] = [];
    this.skipSpaces();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return [out, { line: this.no, items }];
    }
    for (;;) {
      const [value, loc] = this.node();
      out.push(value);
      items.push(loc);
      if (this.endOrComma(']')) return [out, { line: this.no, items }];
    }
  }

  private mapping(): [unknown, PlainLoc] {
    this.pos++;
    const out: Record<string, unknown> = {};
    const keys = new Map<string, { keyLine: number; value: PlainLoc }>();
    this.skipSpaces();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return [out, { line: this.no, keys }];
    }
    for (;;) {
      this.skipSpaces();
      const { key, rest } = readKey(this.text.slice(this.pos));
      if (keys.has(key)) throw new NotPlain();
      this.pos = this.text.length - rest.length;
      const [value, loc] = this.node();
      out[key] = value;
      keys.set(key, { keyLine: this.no, value: loc });
      if (this.endOrComma('}')) return [out, { line: this.no, keys }];
    }
  }

  /** After an entry: true at the closing bracket (consumed), false after a comma. */
  private endOrComma(close: string): boolean {
    this.skipSpaces();
    const ch = this.text[this.pos];
    this.pos++;
    if (ch === close) return true;
    if (ch === ',') return false;
    throw new NotPlain();
  }

  private scalar(): unknown {
    const rest = this.text.slice(this.pos);
    const first = rest[0];
    if (first === '"' || first === "'") {
      const q = quoted(rest);
      if (q === undefined) throw new NotPlain();
      this.pos += q.end;
      return q.value;
    }
    const m = /^[^,[\]{}]*/.exec(rest)!;
    const text = m[0].trimEnd();
    if (text.includes(':') || text.includes('#')) throw new NotPlain();
    this.pos += m[0].length;
    return plainScalar(text);
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

/** The text before a ` #` comment, trimmed at the end. */
function cutComment(rest: string): string {
  const hash = rest.indexOf(' #');
  return (hash < 0 ? rest : rest.slice(0, hash)).trimEnd();
}

/** A plain scalar as the YAML 1.2 core schema reads it, when the subset is sure how. */
function plainScalar(text: string): unknown {
  if (text === '' || NOT_PLAIN_START.has(text[0]!) || isDash(text)) throw new NotPlain();
  // `a: b` would be a nested mapping (an error on one line); a trailing `:` likewise.
  if (text.includes(': ') || text.endsWith(':')) throw new NotPlain();
  if (text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (DECIMAL_INT.test(text) || DECIMAL_FLOAT.test(text)) return Number(text);
  // Hex, octal, exponents, `007`: numbers the full parser converts its own way. `5s`, `1 ETH`: strings.
  if (CORE_NUMBER.some((re) => re.test(text))) throw new NotPlain();
  return text;
}

/**
 * The line of the node at `path` in a document read by {@link parsePlainYaml}, found as
 * source.ts's locate finds it in the full parser's document: a mapping entry gives its key's
 * line, a list item its own; a path that goes further than the document gives the line of its
 * deepest existing node.
 */
export function plainLineOf(root: PlainLoc, path: readonly (string | number)[]): number {
  let loc = root;
  let line = root.line;
  for (const seg of path) {
    if (loc.keys) {
      const entry = loc.keys.get(String(seg));
      if (!entry) return line;
      line = entry.keyLine;
      loc = entry.value;
    } else if (loc.items && typeof seg === 'number') {
      const item = loc.items[seg];
      if (!item) return line;
      line = item.line;
      loc = item;
    } else {
      return line;
    }
  }
  return line;
}
