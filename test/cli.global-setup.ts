import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built bin the CLI tests spawn (package.json "bin"). */
export const CLI_BIN = join(ROOT, 'dist', 'simulator', 'cli', 'main.js');

declare module 'vitest' {
  export interface ProvidedContext {
    /** True once the global setup has built dist/ for this test run. */
    cosignerSimBuilt: boolean;
  }
}

/**
 * Build dist/ with the package's build (`tsc -p tsconfig.build.json`, what `npm run build` runs).
 * Type errors do not stop the tests (tsc still emits, and `npm test` type-checks first); a
 * missing bin does.
 */
export async function buildCli(): Promise<void> {
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
}

/**
 * Vitest global setup: build once per test run, before any test file spawns the bin. Register it
 * in vitest.config.ts as `globalSetup: ['test/cli.global-setup.ts']`; without it, the CLI test
 * file builds in its own beforeAll.
 */
export default async function setup(project: TestProject): Promise<void> {
  await buildCli();
  project.provide('cosignerSimBuilt', true);
}

/** What a spawned CLI run left behind. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawn the CLI; never the shell, never the test's own colour or GitHub settings. */
export function spawnCli(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...o.env };
  delete env['FORCE_COLOR'];
  if (!o.env?.['GITHUB_STEP_SUMMARY']) delete env['GITHUB_STEP_SUMMARY'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: o.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
