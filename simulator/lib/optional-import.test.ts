import { describe, expect, it } from 'vitest';
import { isCsimError, MissingDependencyError } from '../errors.js';
import { importOptional } from './optional-import.js';

describe('importOptional', () => {
  it('returns the module when the package is installed', async () => {
    const path = await importOptional<typeof import('node:path')>('node:path', 'a test');
    expect(path.join('a', 'b')).toBe('a/b');
  });

  it('names the missing package and the npm install line when it is absent', async () => {
    const error = await importOptional('cosigner-sim-no-such-package', 'the docker target').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(isCsimError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'CSIM_MISSING_DEPENDENCY',
      message: 'the docker target needs the package "cosigner-sim-no-such-package", which is not installed',
    });
    expect((error as MissingDependencyError).hint).toContain('npm install -D cosigner-sim-no-such-package');
    expect((error as MissingDependencyError).cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  it('names the package, not the subpath, for a missing scoped subpath', async () => {
    const error = await importOptional('@cosigner-sim-none/pkg/sub', 'a feature').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CSIM_MISSING_DEPENDENCY', message: expect.stringContaining('which is not installed') });
  });

  it('keeps a load failure apart from a missing package, with the cause', async () => {
    // A module that is found but throws at its top level: installed, but broken.
    const error = await importOptional('data:text/javascript,throw new Error("boom at load")', 'a feature').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as Error).message).toContain('installed but failed to load: boom at load');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
