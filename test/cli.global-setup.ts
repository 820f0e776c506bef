import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** What `tsc -p tsconfig.build.json` reads, besides the sources: a change to any of them changes dist/. */
const BUILD_CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', join('node_modules', 'typescript', 'package.json')];
/** The folders tsconfig.build.json compiles. */
const SOURCE_FOLDERS = ['simulator', 'matchers'];
/**
 * Written after each build this file runs: when that build started (ms since the epoch). Not in
 * dist/, which is packed, and one per checkout (node_modules may be shared between worktrees).
 */
const STAMP = join(tmpdir(), `cosigner-sim-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}.json`);

/** What tsconfig.build.json leaves out of the build. */
function notBuilt(name: string): boolean {
  return name.endsWith('.test.ts') || name.endsWith('.test-d.ts') || name === '__snapshots__';
}

/**
 * Why dist/ does not reflect the sources, or undefined when it does. Make's rule, made
 * conservative: every source .ts has its .js in dist/, and no input (a source file, a source
 * folder, whose time moves when a file is added, removed or renamed, or a build config file) was
 * modified after the oldest output was written, nor after the last build this file ran started
 * (an edit during a build leaves an old output newer than the edit). Costs a few milliseconds
 * of stat calls.
 */
export function staleReason(root = ROOT, stamp = STAMP): string | undefined {
  let newestInput = { path: '', mtimeMs: 0 };
  let oldestOutput = Infinity;
  const input = (path: string) => {
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newestInput.mtimeMs) newestInput = { path, mtimeMs };
  };
  const walk = (dir: string): string | undefined => {
    input(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (notBuilt(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const missing = walk(path);
        if (missing) return missing;
        continue;
      }
      input(path);
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const output = join(root, 'dist', relative(root, path).replace(/\.ts$/, '.js'));
      if (!existsSync(output)) return `${relative(root, output)} is missing`;
      oldestOutput = Math.min(oldestOutput, statSync(output).mtimeMs);
    }
    return undefined;
  };
  for (const folder of SOURCE_FOLDERS) {
    const missing = walk(join(root, folder));
    if (missing) return missing;
  }
  for (const file of BUILD_CONFIG_FILES) input(join(root, file));
  let reference = oldestOutput;
  if (existsSync(stamp)) {
    const startedAt = (JSON.parse(readFileSync(stamp, 'utf8')) as { startedAt?: unknown }).startedAt;
    reference = typeof startedAt === 'number' ? Math.min(reference, startedAt) : -Infinity;
  }
  return newestInput.mtimeMs < reference ? undefined : `${relative(root, newestInput.path)} changed after the last build`;
}

/**
 * Bring dist/ up to date with the package's build (`tsc -p tsconfig.build.json`, what
 * `npm run build` runs), unless it already is (staleReason()). Type errors do not stop the tests
 * (tsc still emits, and `npm test` type-checks first); a missing bin does. The e2e project's
 * global setup (test/support/e2e.global-setup.ts) calls it once per run; a test file that spawns
 * the bin calls it in its beforeAll when run without that setup.
 */
export async function buildCli(): Promise<void> {
  const stale = staleReason();
  if (stale === undefined) return;
  console.log(`[cosigner-sim] building dist/ for the tests that spawn the bin: ${stale}`);
  // Taken before tsc reads anything: a source saved during the build is newer than the stamp.
  const startedAt = Date.now() - 1;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (!existsSync(CLI_BIN)) {
    throw new Error(`npm run build did not produce ${CLI_BIN} (tsc exit ${String(code)}):\n${output.join('')}`);
  }
  if (code !== 0) console.warn(`[cosigner-sim] build finished with type errors (the CLI tests use what was emitted):\n${output.join('').slice(0, 4000)}`);
  writeFileSync(STAMP, `${JSON.stringify({ startedAt })}\n`);
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
