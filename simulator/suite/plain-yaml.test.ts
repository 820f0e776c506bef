import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlainYaml } from './plain-yaml.js';
import { parseFullSource, parseSource, type SourcePath } from './source.js';

/** Every YAML file under these folders: the shipped scenarios, the fixtures (bad ones too), the examples and docs. */
function yamlFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name === 'node_modules' || name.startsWith('.')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(path);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Every path into a value: each node, and one step past each (a placeholder's path, a missing key). */
function pathsOf(value: unknown, base: (string | number)[] = []): SourcePath[] {
  const out: SourcePath[] = [base, [...base, 'no-such-key'], [...base, 99]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...base, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...base, k]));
  return out;
}

/**
 * The fast reader either declines, or gives what the full parser gives: the same value (no
 * error from the full parser) and the same line for every path, keys and nodes alike.
 */
function expectSameAsFull(text: string, where: string): boolean {
  let full;
  try {
    full = parseFullSource('x.yaml', text);
  } catch (e) {
    // The full parser refuses it: the fast reader must have declined too (parseSource threw).
    expect(parsePlainYaml(text), `${where}: the fast reader took text the full parser refuses (${(e as Error).message})`).toBeUndefined();
    return false;
  }
  if (parsePlainYaml(text) === undefined) return false;
  const plain = parseSource('x.yaml', text);
  expect(plain, where).toHaveLength(1);
  expect(full, where).toHaveLength(1);
  expect(plain[0]!.value, where).toStrictEqual(full[0]!.value);
  for (const path of pathsOf(full[0]!.value)) {
    for (const key of [false, true]) {
      expect(plain[0]!.lineOf(path, { key }), `${where}: line of ${JSON.stringify(path)}${key ? ' (key)' : ''}`).toBe(full[0]!.lineOf(path, { key }));
    }
  }
  return true;
}

/** A small deterministic generator, so a failing mutation is found again. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('parsePlainYaml: the fast reader of plain scenario YAML', () => {
  const files = yamlFiles(['scenarios', 'test/fixtures', 'examples', 'docs']);

  it('reads every shipped, fixture and example file as the full parser does, or declines', () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expectSameAsFull(readFileSync(f, 'utf8'), f);
  });

  it('takes the shipped scenarios and the generated bench suite (else a large suite loads at the full parser speed again)', async () => {
    const taken = files.filter((f) => f.startsWith('scenarios') && parsePlainYaml(readFileSync(f, 'utf8')) !== undefined);
    expect(taken).toEqual(files.filter((f) => f.startsWith('scenarios')));
    // @ts-expect-error: a plain .mjs module of the bench, without types
    const { writeSuite } = (await import('../../bench/lib/suite.mjs')) as { writeSuite: (dir: string, count: number, files: number) => string };
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = writeSuite(mkdtempSync(join(tmpdir(), 'csim-plain-yaml-')), 50, 2);
    try {
      for (const name of readdirSync(dir)) expect(expectSameAsFull(readFileSync(join(dir, name), 'utf8'), name), name).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the scalar forms it takes exactly as the core schema does', () => {
    const text = [
      '# a comment',
      '- name: "quoted \\"name\\" \\u00e9 \\n"   # trailing comment',
      "  single: 'it''s'",
      '  plain: small transfer — to a vault #1',
      '  url: https://example.com/a#b',
      '  numbers: [1, -2, 2.50, 0, -0.5]',
      '  notNumbers: [5s, 1 ETH, 1.2.3, .hidden, ./keys/a.pem, +x, -y]',
      '  within: 5s            # a comment',
      '  request: { type: tx, stage: approval, cosigner: 1 }',
      '  rows: [{ name: 1 ETH, amount: "1", action: APPROVE, reason: null }, { a: [1, [2]], b: {} }]',
      "  flowQuoted: ['a, b', \"c]\"]",
      '  words: [yes, no, on, ~, null, true, False, TRUE]',
      '  empty: []',
      '  emptyMap: {}',
      '  nothing:',
      '  tilde: ~',
      '  "quoted key": 1',
      "  'single key': x",
      '  X-Api-Key: abc',
      '  destinations.0.dstAddress: addr',
      '  $schema: s',
      '  regex: /not in the allow-list/i',
      '  placeholder: ${amount}',
      '  tags:',
      '  - a',
      '  -   b',
      '  nested:',
      '      deep:',
      '        - x: 1',
      '          y: [a b, c]',
      '        - plain item',
      '- other: 2',
      '',
    ].join('\n');
    expect(parsePlainYaml(text)).toBeDefined();
    expect(expectSameAsFull(text, 'scalars')).toBe(true);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'base: {}\nx:\n  <<: {}\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a hex number', 'a: 0x1F\n'],
    ['an address-like hex', 'a: 0x000000000000000000000000000000000000dEaD\n'],
    ['an exponent', 'a: 1e3\n'],
    ['a leading-dot number', 'a: .5\n'],
    ['a plus sign', 'a: +1\n'],
    ['a tab', 'a:\tb\n'],
    ['CR line ends', 'a: b\r\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a URL in a flow mapping', 'a: { b: 1, c: http://x }\n'],
    ['a duplicate key in a flow mapping', 'a: { b: 1, b: 2 }\n'],
    ['a flow mapping on two lines', 'a: { b: 1,\n  c: 2 }\n'],
    ['an empty flow value', 'a: { b: }\n'],
    ['a nested sequence', '- - a\n'],
    ['a dash alone', '-\n  a: 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a colon inside a value', 'a: b: c\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a null key', 'null: 1\n'],
    ['a numeric key', '1: a\n'],
    ['an indented root', '  a: 1\n'],
    ['a quoted value with YAML-only escapes', 'a: "\\x41"\n'],
    ['a quoted value on two lines', 'a: "one\n  two"\n'],
    ['a flow list on two lines', 'a: [1,\n  2]\n'],
    ['a trailing comma in a flow list', 'a: [1, ]\n'],
    ['a bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a scalar where a key belongs', 'a: 1\nb\n'],
    ['an empty file', ''],
    ['comments only', '# nothing\n'],
  ])('declines %s', (_what, text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  it('never reads a mutated scenario file differently from the full parser', () => {
    const sources = files.filter((f) => f.startsWith('scenarios')).map((f) => readFileSync(f, 'utf8'));
    const next = prng(14);
    const edits = [' ', ':', '-', '#', '"', "'", '\n', '  ', '[', ']', '0', '.', 'x', '~', ': x', '- ', '\\'];
    let taken = 0;
    for (let n = 0; n < 400; n++) {
      const src = sources[Math.floor(next() * sources.length)]!;
      let text = src;
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const at = Math.floor(next() * text.length);
        const cut = next() < 0.5 ? Math.floor(next() * 3) : 0;
        text = text.slice(0, at) + (next() < 0.3 ? '' : edits[Math.floor(next() * edits.length)]!) + text.slice(at + cut);
      }
      if (expectSameAsFull(text, `mutation ${n}`)) taken++;
    }
    // Most mutations still make a file of the subset: the comparison above is not vacuous.
    expect(taken).toBeGreaterThan(100);
  });
});
