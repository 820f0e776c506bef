import { createRequire } from 'node:module';
import { MissingDependencyError } from '../errors.js';

/**
 * Import an optional peer dependency (msw, testcontainers) the first time a feature needs it.
 *
 * They are optional peers rather than dependencies because together they bring most of the
 * packages a user install would otherwise pull in, for features (Docker targets, mocked upstreams)
 * that most users never touch. A missing package becomes a typed error naming what to install,
 * instead of Node's ERR_MODULE_NOT_FOUND from deep inside a target. Any other failure while
 * loading the package (a broken install, an exception at its top level) is kept as the `cause`.
 *
 * The specifier is a parameter, so bundlers and the architecture test see no static import of the
 * package here: only the target kinds that call this load it.
 *
 * @example
 * const { GenericContainer } = await importOptional<typeof import('testcontainers')>('testcontainers', 'the docker target');
 */
export async function importOptional<T = unknown>(packageName: string, feature: string): Promise<T> {
  try {
    return (await import(packageName)) as T;
  } catch (cause) {
    const missing = isModuleNotFound(cause, packageName);
    throw new MissingDependencyError(
      missing
        ? `${feature} needs the package "${packageName}", which is not installed`
        : `${feature} needs the package "${packageName}", which is installed but failed to load: ${(cause as Error)?.message ?? String(cause)}`,
      {
        hint: missing
          ? `install it next to cosigner-sim: npm install -D ${packageName} (it is an optional peer dependency, left out so that a plain install stays small)`
          : `reinstall it (npm install -D ${packageName}); the cause below says what failed`,
        cause,
      },
    );
  }
}

/** True when the import failed because the package itself is absent (not one of its own imports). */
function isModuleNotFound(error: unknown, packageName: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') return false;
  // Node names the missing package in quotes, "Cannot find package 'x' imported from …" (the
  // package, not a subpath of it; vitest's loader names the whole specifier). When a dependency
  // of the package is the one missing, the message names that one instead.
  const parts = packageName.split('/');
  const bare = packageName.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? packageName);
  return typeof e.message === 'string' && (e.message.includes(`'${bare}'`) || e.message.includes(`'${packageName}'`));
}

/**
 * True when an optional peer resolves from cosigner-sim's own install, without loading it: for
 * a feature that is on only when the package is there (msw interception under `--handler`).
 *
 * @example
 * isInstalled('msw'); // true in this repository (a dev dependency)
 */
export function isInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}
