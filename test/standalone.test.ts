/**
 * The repository stands alone: a clone in an empty folder passes its own tests. So no file outside
 * docs/ may point at the folder it was first built in (a `shared/` beside the checkout), whether
 * to read from it or to cite it; the protocol reference is docs/protocol.md and the captured
 * requests are test/fixtures/captured-requests/. `.ci/run` proves the same by running `npm test`
 * from a copy with nothing beside it; this test names the offending file and line at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineAt, repoTextFiles, type RepoFile } from './repo-files.js';

// Built from pieces, so that this file does not contain what it looks for.
const SHARED = 'shared';
const NEEDLES = [`../${SHARED}`, `${SHARED}/reference`, `${SHARED}/fixtures`];

/** `file:line: needle` for each mention of the outside folder in a file outside docs/. */
function outsideMentions(files: readonly RepoFile[]): string[] {
  return files
    .filter((f) => !f.path.startsWith('docs/'))
    .flatMap((f) =>
      NEEDLES.flatMap((needle) => {
        const hits: string[] = [];
        for (let at = f.text.indexOf(needle); at !== -1; at = f.text.indexOf(needle, at + 1)) {
          hits.push(`${f.path}:${lineAt(f.text, at)}: ${needle}`);
        }
        return hits;
      }),
    );
}

describe('the repository stands alone', () => {
  it('the check names each file and line that mentions the outside folder (it can fail)', () => {
    const files: RepoFile[] = [
      { path: 'test/a.test.ts', text: `const F = new URL('../../${SHARED}/fixtures/x/', import.meta.url);\n` },
      { path: 'simulator/b.ts', text: `// ok\n// see ${SHARED}/reference/protocol.md\n` },
      { path: 'docs/protocol.md', text: `written from ../${SHARED}/reference/protocol.md` },
      { path: 'README.md', text: 'a shared helper and a shared/ folder of our own are fine' },
    ];
    expect(outsideMentions(files)).toEqual([
      `test/a.test.ts:1: ../${SHARED}`,
      `test/a.test.ts:1: ${SHARED}/fixtures`,
      `simulator/b.ts:2: ${SHARED}/reference`,
    ]);
  });

  it(`no file outside docs/ mentions ${NEEDLES.join(', ')}`, () => {
    const files = repoTextFiles();
    // The walk sees the tree (a silent empty walk would pass anything).
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['README.md', 'package.json', 'test/standalone.test.ts']));
    expect(outsideMentions(files)).toEqual([]);
  });

  it('the captured requests are in the repository, each named with its source in their README', () => {
    const dir = new URL('./fixtures/captured-requests/', import.meta.url);
    const fixtures = readdirSync(dir).filter((f) => f !== 'README.md');
    expect(fixtures).toEqual(expect.arrayContaining(['mjw-2022.jwt', 'docs-eth-2023.jwt', 'goat-2024.jwt']));
    const readme = readFileSync(new URL('README.md', dir), 'utf8');
    // Payloads are covered by the `*.payload.json` row; every other file has a row of its own.
    const unnamed = fixtures.filter((f) => !f.endsWith('.payload.json') && !readme.includes(`\`${f}\``));
    expect(unnamed).toEqual([]);
    expect(readme).toContain('`*.payload.json`');
    for (const source of ['MyJetWallet/Service.Fireblocks.CoSignerCallback', 'developers.fireblocks.com/reference/validate-eth-raw-transactions', 'GOATNetwork/goat-relayer']) {
      expect(readme).toContain(source);
    }
  });
});
