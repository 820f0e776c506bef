/**
 * The repository's own text files, for the tests that hold properties of the whole tree (every
 * protocol citation resolves, nothing reads outside the repo). A walk of the folder rather than
 * `git ls-files`, so the tests also hold in a copy without `.git` and see files not yet added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing separator. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

// Installed, built or generated: not the project's own text. `.git` is a folder in a clone and a
// file in a worktree; both are skipped by name.
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.git', '.cosigner-sim']);

/** One text file: its path relative to the root, with `/` separators, and its content. */
export interface RepoFile {
  path: string;
  text: string;
}

/** Every text file under the root, sorted by path; binary files (a NUL byte) are left out. */
export function repoTextFiles(root: string = REPO_ROOT): RepoFile[] {
  const files: RepoFile[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = prefix + entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${path}/`);
      else if (entry.isFile()) {
        const bytes = readFileSync(join(dir, entry.name));
        if (!bytes.includes(0)) files.push({ path, text: bytes.toString('utf8') });
      }
    }
  };
  walk(root, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The 1-based line of a character offset, for messages that name file:line. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
