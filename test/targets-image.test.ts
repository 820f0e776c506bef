/**
 * The `image` target kind (`--image <name> --port <n>`), end to end with a real engine: the
 * reference handler built into `cosigner-sim-reference:test` (test/support/build-handler-image.mjs:
 * the host's node, dist/ and test/fixtures/targets/handler.mjs, no registry), started by
 * testcontainers with host networking so no traffic leaves 127.0.0.1 (the engine here runs with
 * --bridge=none; bridge mode is held by simulator/targets/image.test.ts through the builder's
 * configuration), real TLS, and the scenarios run through the in-process CLI.
 *
 * Runs in the slow project. Without an engine it is skipped with the reason printed, except under
 * CI=true, where .ci/run starts one and a missing engine must fail the run instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { writeKit } from '../simulator/keys/kit.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { ROOT } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { sharedKit } from './support/shared-kit.js';

const IMAGE = 'cosigner-sim-reference:test';
const PASS = join(ROOT, 'test', 'fixtures', 'cli', 'pass.yaml');
const FAIL = join(ROOT, 'test', 'fixtures', 'targets', 'fail.yaml');
const cli = (args: string[]) => runInProcess(args, { cwd: ROOT });
// HOST=127.0.0.1: with host networking the handler binds loopback only (the image defaults to 0.0.0.0 for bridge).
const HOST_MODE = ['--image', IMAGE, '--port', '8443', '--network', 'host', '--env', 'HOST=127.0.0.1'];

// No registry is reachable here, so testcontainers' reaper image (Ryuk) cannot be pulled; the
// tests close what they start instead. The engine publishes on this machine.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

/** Why container tests cannot run here, or undefined when an engine answers. */
function noEngine(): string | undefined {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return `the docker CLI is not installed (${r.error.message})`;
  if (r.status !== 0) return `no Docker engine answers: ${r.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}
const reason = noEngine();
const skip = reason !== undefined && process.env.CI !== 'true';
if (skip) console.warn(`[targets-image] container tests skipped: ${reason} (under CI=true they fail instead; .ci/run starts an engine)`);

let tmp: string;
let kitDir: string;
const targets: StartedTarget[] = [];
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-image-'));
  kitDir = join(tmp, 'kit');
  writeKit(await sharedKit(), kitDir);
  if (!skip) {
    if (reason !== undefined) throw new Error(`CI=true and no container engine: ${reason}`);
    // A no-op when the image is current (its content-hash label matches).
    execFileSync(process.execPath, [join(ROOT, 'test', 'support', 'build-handler-image.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}, 180_000);
afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  rmSync(tmp, { recursive: true, force: true });
});

/** Containers from this image still present (running or not). */
function containersOf(image: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `ancestor=${image}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe.skipIf(skip)('--image: cosigner-sim runs the handler image, waits for it, runs, removes it', () => {
  it('option 2 (JSON + pinned certificate): every scenario passes through the in-process CLI, and no container is left', async () => {
    const before = containersOf(IMAGE).length;
    const r = await cli(['run', PASS, '--option', '2', '--kit', kitDir, ...HOST_MODE, '--no-color']);
    expect(r.stderr, r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/https:\/\/127\.0\.0\.1:\d+/);
    expect(containersOf(IMAGE).length).toBe(before);
  }, 90_000);

  it('option 4 (JWT + pinned certificate): every scenario passes; the kit reached the container at the mount paths', async () => {
    const r = await cli(['run', PASS, '--option', '4', '--kit', kitDir, ...HOST_MODE, '--mount-keys', '/run/cosigner-kit', '--no-color']);
    expect(r.stderr, r.stdout).toBe('');
    expect(r.code).toBe(0);
  }, 90_000);

  it('a failed run prints the container log tail after the report, on stderr (the handler logged the mount path)', async () => {
    const r = await cli(['run', FAIL, '--option', '4', '--kit', kitDir, ...HOST_MODE, '--no-color']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the handler at https:\/\/127\.0\.0\.1:\d+ printed \(last \d+ lines?\):\n {2}handler pid 1 kit \/kit/);
    expect(r.stderr).toContain('handler listening on https://127.0.0.1:');
  }, 90_000);

  it('a container that exits before it is ready: exit 2 with its exit code and its output, and it is removed', async () => {
    const before = containersOf(IMAGE).length;
    const r = await cli(['run', PASS, '--option', '4', '--kit', kitDir, ...HOST_MODE, '--env', 'EXIT_AT_ONCE=3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CSIM_TARGET_START');
    expect(r.stderr).toContain(`the image ${IMAGE} exited with code 3 before`);
    expect(r.stderr).toContain('handler: refusing to start (EXIT_AT_ONCE)');
    expect(containersOf(IMAGE).length).toBe(before);
  }, 90_000);

  it('the library: startTarget({ kind: "image" }) serves a signed approval, logs() holds the output, close() removes the container', async () => {
    const target = await startTarget({ kind: 'image', image: IMAGE, containerPort: 8443, option: 4, network: 'host', env: { HOST: '127.0.0.1' } }, { kit: await sharedKit() });
    targets.push(target);
    const cosigner = createCosigner(target, { seed: 1 });
    try {
      expect((await cosigner.sendTx()).ok).toBe(true);
      expect(target.logs?.().join('\n')).toMatch(/handler listening on https:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await cosigner.close();
    }
    const port = new URL(target.url).port;
    await target.close();
    expect(containersOf(IMAGE).filter((id) => execFileSync('docker', ['inspect', '-f', '{{.Config.Env}}', id], { encoding: 'utf8' }).includes(`PORT=${port}`))).toEqual([]);
  }, 90_000);
});
