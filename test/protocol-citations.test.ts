/**
 * Every `protocol.md §…` citation in the repository names a section that exists in
 * docs/protocol.md, the project's own protocol reference. Hints and comments cite it so that a
 * reader can check the fact behind a rule; a citation that points nowhere is a broken promise.
 *
 * Numbering (docs/protocol.md, "How to read and cite"): `## a.` is §a, `### a.b` is §a.b, and item
 * c of the numbered list in §a.b is §a.b.c. A citation may also say `§a.b rule c` for an item.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineAt, repoTextFiles, type RepoFile } from './repo-files.js';

/** The section ids a markdown reference defines: numbered headings and numbered list items. */
function sectionsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  let current: string | undefined;
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const heading = /^#{1,6}\s+(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(line);
    if (heading) {
      current = heading[1]!;
      ids.add(current);
      continue;
    }
    if (/^#{1,6}\s/.test(line)) {
      current = undefined; // an unnumbered heading ends the numbered section before it
      continue;
    }
    // Only unindented items: a nested list inside an item is not citable.
    const item = /^(\d+)\.\s/.exec(line);
    if (item && current !== undefined) ids.add(`${current}.${item[1]!}`);
  }
  return ids;
}

/** One citation: which section, and where it was found. */
interface Citation {
  section: string;
  line: number;
}

// After `protocol.md`, a list of sections: `§2`, `§2, §5.1`, `§0.5 rule 4, §7`, possibly across a
// JSDoc line break (`§2,\n *   §3`). Anything else (`, C-doc D-tx`, `, inferred`) ends the list.
const AFTER_NAME = /protocol\.md\b/g;
const NEXT_SECTION = /^(?:[\s,*]|\/\/|\band\b)*§(\d+(?:\.\d+)*)(?:\s+rule\s+(\d+))?/;
// A mark followed by a section of the reference, as in a table cell: `[C-wire §10.1]`, `[I §4.5]`.
const MARKED = /\[(?:C-doc|C-code|C-wire|I|U|community)\s+§(\d+(?:\.\d+)*)/g;

/** The protocol.md sections a text cites, in order of appearance. */
function citationsIn(text: string): Citation[] {
  const found: { section: string; index: number }[] = [];
  for (const name of text.matchAll(AFTER_NAME)) {
    let at = name.index + name[0].length;
    for (let m = NEXT_SECTION.exec(text.slice(at)); m; m = NEXT_SECTION.exec(text.slice(at))) {
      const section = m[2] === undefined ? m[1]! : `${m[1]!}.${m[2]}`;
      found.push({ section, index: at + m[0].indexOf('§') });
      at += m[0].length;
    }
  }
  for (const m of text.matchAll(MARKED)) found.push({ section: m[1]!, index: m.index + m[0].indexOf('§') });
  return found.sort((a, b) => a.index - b.index).map((f) => ({ section: f.section, line: lineAt(text, f.index) }));
}

/** `file:line §x` for each citation of a section that `sections` lacks. */
function missingCitations(files: readonly RepoFile[], sections: ReadonlySet<string>): string[] {
  return files.flatMap((f) =>
    citationsIn(f.text)
      .filter((c) => !sections.has(c.section))
      .map((c) => `${f.path}:${c.line} §${c.section}`),
  );
}

// Built from pieces so that this file's own examples are not citations of the real reference.
const NAME = ['protocol', 'md'].join('.');
const MARK = ['[C', 'wire'].join('-');

describe('the citation parser', () => {
  const doc = [
    '# Title',
    '## 1. One',
    '### 1.2 One two',
    '1. first item',
    '2. second item',
    '   3. indented: not an item',
    '```',
    '4. in a code block: not an item',
    '```',
    '### 1.3 One three',
    '## 2. Two',
    '## Unnumbered',
    '5. after an unnumbered heading: not an item',
  ].join('\n');

  it('reads numbered headings and the unindented numbered items of each section', () => {
    expect([...sectionsOf(doc)].sort()).toEqual(['1', '1.2', '1.2.1', '1.2.2', '1.3', '2']);
  });

  it('collects every citation form, and nothing else', () => {
    const text = [
      `a [${NAME} §1.2] b`,
      `c (${NAME} §2, §1.3) d`,
      `e [${NAME} §1.2 rule 2, §1] f`,
      ` * [${NAME} §2,`,
      ` *   §1.2.1]`,
      `g [${NAME} §1.3, C-doc D-tx] and §9 after it is not one`,
      `| row | ${MARK} §1.2] |`,
      `RFC 6066 §3 and STYLE.md §4 are not the reference; see ${NAME} without a section`,
    ].join('\n');
    expect(citationsIn(text)).toEqual([
      { section: '1.2', line: 1 },
      { section: '2', line: 2 },
      { section: '1.3', line: 2 },
      { section: '1.2.2', line: 3 },
      { section: '1', line: 3 },
      { section: '2', line: 4 },
      { section: '1.2.1', line: 5 },
      { section: '1.3', line: 6 },
      { section: '1.2', line: 7 },
    ]);
  });

  it('names each citation of a missing section, with its file and line (it can fail)', () => {
    const files: RepoFile[] = [
      { path: 'simulator/a.ts', text: `// fine [${NAME} §1.2.2]\n// gone [${NAME} §1.4, §2]\n` },
      { path: 'README.md', text: `see ${NAME} §3.1 and ${NAME} §1.2 rule 7` },
    ];
    expect(missingCitations(files, sectionsOf(doc))).toEqual(['simulator/a.ts:2 §1.4', 'README.md:1 §3.1', 'README.md:1 §1.2.7']);
  });
});

/** The numbers of the top-level sections (`## a.`) whose text, subsections included, has no `Sources:` line. */
function sectionsWithoutSources(markdown: string): string[] {
  const parts = markdown.split(/^(?=## )/m).flatMap((part) => {
    const id = /^## (\d+)\./.exec(part)?.[1];
    return id === undefined ? [] : [{ id, part }];
  });
  return parts.filter((p) => !/^Sources:/m.test(p.part)).map((p) => p.id);
}

describe('the sources check', () => {
  it('names each section without a Sources line (it can fail)', () => {
    const doc = '# T\n## 1. A\ntext\nSources: [D-x].\n## 2. B\n### 2.1 C\nSources: in 2.1\n## 3. D\nno sources\n';
    expect(sectionsWithoutSources(doc)).toEqual(['3']);
  });
});

describe('docs/protocol.md resolves every citation', () => {
  const reference = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
  const sections = sectionsOf(reference);
  // docs/ is the reference itself (checked below); everything else may cite it.
  const files = repoTextFiles().filter((f) => !f.path.startsWith('docs/'));

  it('has the sections that the code has always cited', () => {
    // §0.5 items are the behavioural rules, §13 items the handler measurements, §14 the newer facts.
    for (const id of ['0.1', '0.2', '0.5', '0.5.1', '0.5.9', '1', '2', '2.5', '3', '4', '4.7', '6', '7', '10.2', '13.3', '13.7', '14.4', '14.6']) {
      expect(sections, `§${id}`).toContain(id);
    }
  });

  it('finds the citations it checks (the collector is not silently empty)', () => {
    const count = files.reduce((n, f) => n + citationsIn(f.text).length, 0);
    expect(count).toBeGreaterThan(100);
    expect(files.map((f) => f.path)).toContain('README.md');
    expect(files.some((f) => f.path.startsWith('simulator/'))).toBe(true);
  });

  it('every protocol.md citation outside docs/ names a section that exists', () => {
    expect(missingCitations(files, sections)).toEqual([]);
  });

  it('names the sources of every section (§11 is the list of sources itself)', () => {
    expect(sectionsWithoutSources(reference).filter((id) => id !== '11')).toEqual([]);
  });

  it('defines every reference link it uses ([D-sec] and the like resolve to an address)', () => {
    const defined = new Set([...reference.matchAll(/^\[([^\]]+)\]: https:\/\/\S+$/gm)].map((m) => m[1]!));
    expect(defined.size).toBeGreaterThan(20);
    // A link is `[text][KEY]`, or a bare `[KEY]` on a Sources line; marks such as `[C-doc D-sec]` are plain text.
    const used = [
      ...[...reference.matchAll(/\]\[([^\]]+)\]/g)].map((m) => m[1]!),
      ...reference.split('\n').filter((l) => l.startsWith('Sources:')).flatMap((l) => [...l.matchAll(/\[([^\]]+)\](?!\[)/g)].map((m) => m[1]!)),
    ];
    expect(used.filter((key) => !defined.has(key))).toEqual([]);
  });

  it("every § cross-reference inside docs/protocol.md names one of its own sections", () => {
    const internal = [...reference.matchAll(/§(\d+(?:\.\d+)*)/g)]
      .filter((m) => !sections.has(m[1]!))
      .map((m) => `docs/protocol.md:${lineAt(reference, m.index)} §${m[1]!}`);
    expect(internal).toEqual([]);
  });
});
