import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { InternalError, UsageError } from '../errors.js';
import { INTERNAL_ERROR_LINE, runCli } from './program.js';

// The first two moved here from test/cli-reporters.test.ts with the code they test.
describe('runCli (in-process)', () => {
  function io(stdoutWrite: (s: string) => void = () => {}) {
    let err = '';
    return {
      io: { stdout: { write: stdoutWrite }, stderr: { write: (s: string) => void (err += s) }, env: { NO_COLOR: '1' }, cwd: tmpdir() },
      stderr: () => err,
    };
  }

  it('turns an unexpected exception into the internal-error message and exit 2', async () => {
    const t = io(() => {
      throw new TypeError('boom from a broken stream');
    });
    expect(await runCli(['--version'], t.io)).toBe(2);
    expect(t.stderr()).toContain('TypeError: boom from a broken stream');
    expect(t.stderr()).toMatch(/^ {4}at /m);
    expect(t.stderr()).toContain('[cosigner-sim] internal error: this is a bug, please report it');
  });

  it('prints a CsimError as code, message and hint, without a stack', async () => {
    const t = io();
    expect(await runCli(['run', '--option', '9'], t.io)).toBe(2);
    expect(t.stderr()).toBe('CSIM_INVALID_OPTION  Invalid value for --option: 9. Expected one of: 1, 2, 3, 4, 5, all.\n  hint: 1 jwt+public-ca, 2 json+pinned, 3 json+root-ca, 4 jwt+pinned, 5 jwt+root-ca\n');
  });

  it('prints CSIM_INTERNAL as our bug, not as a usage error: stack, causes, versions and a request to report it', async () => {
    const t = io(() => {
      throw new InternalError('no implementation for probe x/y', { cause: new RangeError('the cause') });
    });
    expect(await runCli(['--version'], t.io)).toBe(2);
    const err = t.stderr();
    expect(err.startsWith('InternalError: no implementation for probe x/y\n')).toBe(true);
    expect(err).toMatch(/^ {4}at /m);
    expect(err).toContain('caused by: RangeError: the cause');
    expect(err).toContain(`${INTERNAL_ERROR_LINE} (cosigner-sim `);
    expect(err).toContain(`Node ${process.version})`);
    expect(err).not.toMatch(/^CSIM_INTERNAL {2}/m);
  });

  it('prints any other CsimError without a stack, and says nothing about a bug', async () => {
    const t = io(() => {
      throw new UsageError('a usage error from deep inside', { hint: 'do this' });
    });
    expect(await runCli(['--version'], t.io)).toBe(2);
    expect(t.stderr()).toBe('CSIM_USAGE  a usage error from deep inside\n  hint: do this\n');
  });
});

describe('internal faults', () => {
  it('are InternalErrors everywhere in simulator/, never a bare Error saying "internal"', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../', import.meta.url);
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(50);
    const bare = /new Error\(\s*['"`]internal\b/i;
    const offenders = files.filter((f) => bare.test(readFileSync(new URL(f, root), 'utf8')));
    expect(offenders).toEqual([]);
    expect(bare.test("throw new Error('internal: no kit')")).toBe(true);
  });
});
