// Whether dist/ reflects the sources, and the build that brings it up to date: shared by the
// tests that spawn the bin (test/cli.global-setup.ts) and the bench (bench/run.mjs), which both
// run dist/. Plain JavaScript so that the bench, run by node itself, can import it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** What `tsc -p tsconfig.build.json` reads, besides the sources: a change to any of them changes dist/. */
const BUILD_CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', join('node_modules', 'typescript', 'package.json')];
/** The folders tsconfig.build.json compiles. */
const SOURCE_FOLDERS = ['simulator', 'matchers'];

/**
 * Written after each build buildDist runs: when that build started (ms since the epoch). Not in
 * dist/, which is packed, and one per checkout (node_modules may be shared between worktrees).
 */
export function stampFile(root) {
  return join(tmpdir(), `cosigner-sim-build-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
}

/** What tsconfig.build.json leaves out of the build. */
function notBuilt(name) {
  return name.endsWith('.test.ts') || name.endsWith('.test-d.ts') || name === '__snapshots__';
}

/**
 * Why dist/ does not reflect the sources, or undefined when it does. Make's rule, made
 * conservative: every source .ts has its .js in dist/, and no input (a source file, a source
 * folder, whose time moves when a file is added, removed or renamed, or a build config file) was
 * modified after the oldest output was written, nor after the last build buildDist ran started
 * (an edit during a build leaves an old output newer than the edit). Costs a few milliseconds
 * of stat calls, where `tsc --incremental` takes ~5 s even as a no-op.
 */
export function staleReason(root, stamp = stampFile(root)) {
  let newestInput = { path: '', mtimeMs: 0 };
  let oldestOutput = Infinity;
  const input = (path) => {
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newestInput.mtimeMs) newestInput = { path, mtimeMs };
  };
  const walk = (dir) => {
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
    const startedAt = JSON.parse(readFileSync(stamp, 'utf8')).startedAt;
    reference = typeof startedAt === 'number' ? Math.min(reference, startedAt) : -Infinity;
  }
  return newestInput.mtimeMs < reference ? undefined : `${relative(root, newestInput.path)} changed after the last build`;
}

/**
 * Run the package's build (`tsc -p tsconfig.build.json` and the bin's mode, what `npm run build`
 * runs) and stamp it. Resolves to tsc's exit code and output; tsc still emits on type errors.
 */
export async function buildDist(root, stamp = stampFile(root)) {
  // Taken before tsc reads anything: a source saved during the build is newer than the stamp.
  const startedAt = Date.now() - 1;
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const output = [];
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => output.push(d.toString()));
    child.stderr.on('data', (d) => output.push(d.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const bin = join(root, 'dist', 'simulator', 'cli', 'main.js');
  if (existsSync(bin)) {
    chmodSync(bin, 0o755);
    writeFileSync(stamp, `${JSON.stringify({ startedAt })}\n`);
  }
  return { code, output: output.join('') };
}
