import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist, staleReason } from './support/dist-freshness.mjs';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built bin the CLI tests spawn (package.json "bin"). */
export const CLI_BIN = join(ROOT, 'dist', 'simulator', 'cli', 'main.js');

declare module 'vitest' {
  export interface ProvidedContext {
    /** True once the e2e global setup has brought dist/ up to date for this test run. */
    cosignerSimBuilt: boolean;
  }
}

/** Why dist/ does not reflect the sources, or undefined when it does (shared with the bench). */
export { staleReason } from './support/dist-freshness.mjs';

/**
 * Bring dist/ up to date with the package's build (`tsc -p tsconfig.build.json`, what
 * `npm run build` runs), unless it already is (staleReason()). Type errors do not stop the tests
 * (tsc still emits, and `npm test` type-checks first); a missing bin does. The e2e project's
 * global setup (test/support/e2e.global-setup.ts) calls it once per run; a test file that spawns
 * the bin calls it in its beforeAll when run without that setup.
 */
export async function buildCli(): Promise<void> {
  const stale = staleReason(ROOT);
  if (stale === undefined) return;
  console.log(`[cosigner-sim] building dist/ for the tests that spawn the bin: ${stale}`);
  const { code, output } = await buildDist(ROOT);
  if (!existsSync(CLI_BIN)) {
    throw new Error(`npm run build did not produce ${CLI_BIN} (tsc exit ${String(code)}):\n${output}`);
  }
  if (code !== 0) console.warn(`[cosigner-sim] build finished with type errors (the CLI tests use what was emitted):\n${output.slice(0, 4000)}`);
}

/** What a spawned CLI run left behind. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawn the CLI; never the shell, never the test's own colour or GitHub settings. `bin` runs that
 * executable itself (a linked bin, through its shebang) instead of `node dist/…/main.js`.
 */
export function spawnCli(args: string[], o: { cwd?: string; env?: Record<string, string>; bin?: string } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...o.env };
  delete env['FORCE_COLOR'];
  if (!o.env?.['GITHUB_STEP_SUMMARY']) delete env['GITHUB_STEP_SUMMARY'];
  return new Promise((resolve, reject) => {
    const [command, argv] = o.bin !== undefined ? [o.bin, args] : [process.execPath, [CLI_BIN, ...args]];
    const child = spawn(command, argv, { cwd: o.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
