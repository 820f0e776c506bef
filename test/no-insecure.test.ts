/**
 * Certificate checks are never switched off, not even in tests: the code base must not contain
 * the option that disables them, nor the environment variable that does the same.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Built from pieces so that this file does not match its own search.
const PATTERNS = ['rejectUnauthorized' + ':\\s*false', 'NODE_TLS_REJECT' + '_UNAUTHORIZED', 'checkServerIdentity:\\s*undefined'];

describe('no insecure TLS anywhere', () => {
  for (const pattern of PATTERNS) {
    it(`finds no ${pattern.replace(/\\s\*/g, ' ')}`, () => {
      let out = '';
      try {
        out = execFileSync('git', ['grep', '--untracked', '-nE', pattern, '--', '.', ':!*.md'], { cwd: root, encoding: 'utf8' });
      } catch (error) {
        // git grep exits 1 when nothing matches: that is the pass.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      expect(out).toBe('');
    });
  }

});
