/**
 * `--image` on the command line, where no container engine is needed: the flags' rules (one
 * handler kind per run, --port with --image) and the plain message for an engine that is not
 * reachable (DOCKER_HOST at a socket that does not exist). The container tests themselves are in
 * test/targets-image.test.ts (the slow project).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';

const PASS = join(ROOT, 'test', 'fixtures', 'cli', 'pass.yaml');
const cli = (args: string[]) => runInProcess(args, { cwd: ROOT });

describe('--image without an engine', () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent.sock';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  it('no runtime: exit 2 with what was tried, how to set DOCKER_HOST and how to use --url instead', async () => {
    const r = await cli(['run', PASS, '--option', '4', '--image', 'my-handler:dev', '--port', '8443']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CSIM_TARGET_START');
    expect(r.stderr).toContain('--image needs a Docker-compatible container engine, and none is reachable');
    expect(r.stderr).toContain('DOCKER_HOST=unix:///nonexistent.sock: no such socket');
    expect(r.stderr).toMatch(/set DOCKER_HOST/);
    expect(r.stderr).toContain('--url https://127.0.0.1:8443');
    expect(r.stderr).not.toContain('container runtime strategy');
  });
});

describe('--image flags', () => {
  it.each([
    [['--image', 'h:1', '--port', '8443', '--url', 'https://127.0.0.1:8443'], /--image and --url each name the handler to test/],
    [['--image', 'h:1', '--port', '8443', '--start', 'npm start', '--url', 'https://127.0.0.1:{port}'], /--image and --start each name the handler to test/],
    [['--image', 'h:1'], /--image needs --port/],
    [['--port', '8443'], /--port only applies to --image/],
    [['--network', 'host'], /--network only applies to --image/],
    [['--image', 'h:1', '--port', '70000'], /70000 is not a TCP port/],
    [['--image', 'h:1', '--port', '8443', '--mount-keys', 'kit'], /--mount-keys: "kit" is not an absolute path/],
    [['--image', 'h:1', '--port', '8443', '--env', 'NOEQUALS'], /--env: "NOEQUALS" is not KEY=VALUE/],
    [['--env', 'A=1'], /--env sets variables for a handler cosigner-sim starts/],
  ])('%j is exit 2 before anything starts', async (args, message) => {
    const r = await cli(['run', PASS, ...args]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('--env is for --start too', () => {
  it('the started command gets the variable (EXIT_AT_ONCE=4 makes the test handler exit with 4)', async () => {
    const r = await cli(['run', PASS, '--option', '4', '--start', 'node test/fixtures/targets/handler.mjs', '--url', 'https://127.0.0.1:{port}', '--env', 'EXIT_AT_ONCE=4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exited with code 4 before');
    expect(r.stderr).toContain('handler: refusing to start (EXIT_AT_ONCE)');
  }, 90_000);
});
