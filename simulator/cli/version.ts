import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;

/**
 * The package version, read from package.json (the one place it is kept). Walks up from this
 * file because the depth differs between the sources (simulator/cli) and the build
 * (dist/simulator/cli); a JSON import would print an ExperimentalWarning on Node 20.
 */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cosigner-sim' && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
    }
    dir = dirname(dir);
  }
  return (cachedVersion = '0.0.0');
}
