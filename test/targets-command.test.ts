/**
 * The `command` target kind (`--start "<command>" --url <base>`), end to end: a real handler
 * process (test/fixtures/targets/handler.mjs, the reference handler run from dist/ on $PORT with
 * the kit variables alone), real TLS on 127.0.0.1, and real process groups.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { writeKit } from '../simulator/keys/kit.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { ROOT } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { alive } from './support/alive.js';
import { sharedKit } from './support/shared-kit.js';

const HANDLER = 'node test/fixtures/targets/handler.mjs';
const PASS = join(ROOT, 'test', 'fixtures', 'cli', 'pass.yaml');
const FAIL = join(ROOT, 'test', 'fixtures', 'targets', 'fail.yaml');
const cli = (args: string[]) => runInProcess(args, { cwd: ROOT });

let tmp: string;
let kitDir: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-command-'));
  kitDir = join(tmp, 'kit');
  writeKit(await sharedKit(), kitDir);
});
// A test that fails before its own close() must not leave a handler running.
const targets: StartedTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  rmSync(tmp, { recursive: true, force: true });
});

function pidIn(lines: string[], label: string): number {
  const m = lines.map((l) => new RegExp(`^${label} (?:pid )?(\\d+)`).exec(l)).find((x) => x !== null);
  expect(m, `a "${label} <pid>" line in ${JSON.stringify(lines)}`).toBeDefined();
  return Number(m![1]);
}

describe('--start: cosigner-sim starts the handler, waits for it, runs, stops it', () => {
  it('option 4 (pinned): the handler serves COSIGNER_SIM_TLS_CERT on $PORT and every scenario passes', async () => {
    const r = await cli(['run', PASS, '--option', '4', '--kit', kitDir, '--start', HANDLER, '--url', 'https://127.0.0.1:{port}', '--no-color']);
    expect(r.stderr, r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/https:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).not.toContain('{port}');
  });

  it('option 5 (Root CA), with a generated kit written to a temporary folder, and a handler that binds after 1 s', async () => {
    const r = await cli(['run', PASS, '--option', '5', '--start', `BIND_AFTER_MS=1000 BASE_PATH=/cb ${HANDLER}`, '--url', 'https://127.0.0.1:{port}/cb', '--no-color']);
    // The one line on stderr is the generated kit's folder, which is gone after the run.
    const kit = /^\[cosigner-sim\] the started handler's kit: (\S+) \(deleted at exit; --keep-kit keeps it\)\n$/.exec(r.stderr);
    expect(kit, r.stderr + r.stdout).not.toBeNull();
    expect(existsSync(kit![1]!)).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/https:\/\/127\.0\.0\.1:\d+\/cb/);
  }, 90_000); // without --kit, five RSA key pairs are generated first

  it('--keep-kit keeps the generated kit folder and prints its path', async () => {
    const r = await cli(['send', 'tx', '--option', '2', '--keep-kit', '--start', HANDLER, '--url', 'https://127.0.0.1:{port}']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const kit = /^\[cosigner-sim\] the started handler's kit: (\S+) \(kept after the run\)$/m.exec(r.stderr);
    expect(kit, r.stderr).not.toBeNull();
    try {
      expect(existsSync(join(kit![1]!, 'handler-private.pem'))).toBe(true);
    } finally {
      rmSync(kit![1]!, { recursive: true, force: true });
    }
  }, 60_000);

  it('a failed run prints the handler output after the report, on stderr', async () => {
    const r = await cli(['run', FAIL, '--option', '3', '--kit', kitDir, '--start', HANDLER, '--url', 'https://127.0.0.1:{port}', '--no-color']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the handler at https:\/\/127\.0\.0\.1:\d+ printed \(last \d+ lines?\):\n {2}handler pid \d+/);
    expect(r.stderr).toContain('handler listening on https://127.0.0.1:');
    expect(r.stdout).not.toContain('handler pid');
  });

  it('a handler that exits at once: exit 2 with its exit code and its output', async () => {
    const r = await cli(['run', PASS, '--option', '4', '--kit', kitDir, '--start', `EXIT_AT_ONCE=3 ${HANDLER}`, '--url', 'https://127.0.0.1:{port}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CSIM_TARGET_START');
    expect(r.stderr).toMatch(/exited with code 3 before https:\/\/127\.0\.0\.1:\d+ accepted a TLS connection/);
    expect(r.stderr).toContain('handler: refusing to start (EXIT_AT_ONCE)');
  });

  it('a handler that never listens: exit 2 after --ready-timeout, naming the URL and the time waited', async () => {
    const started = performance.now();
    const r = await cli(['send', 'tx', '--option', '2', '--kit', kitDir, '--start', 'echo waiting; sleep 300', '--url', 'https://127.0.0.1:{port}', '--ready-timeout', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did not accept a TLS connection at https:\/\/127\.0\.0\.1:\d+ within 1s \(waited \d+\.\d s\)/);
    expect(r.stderr).toContain('waiting');
    // The group was stopped: SIGTERM ends `sleep` at once, long before the 5 s SIGKILL.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('--start without --url: exit 2 naming --url before anything starts', async () => {
    const r = await cli(['run', PASS, '--option', '4', '--start', 'touch should-not-exist']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--start needs --url');
    expect(existsSync(join(ROOT, 'should-not-exist'))).toBe(false);
  });
});

describe('the command kind through startTarget', () => {
  it('sets PORT to a literal port, gives the kit folder as it is, and close() ends the whole process group', async () => {
    const port = await import('../simulator/targets/command.js').then((m) => m.freePort());
    const target = await startTarget(
      { kind: 'command', command: `sleep 300 & echo "sleeper $!"; exec ${HANDLER}`, url: `https://127.0.0.1:${port}`, option: 4, cwd: ROOT },
      { kit: kitDir },
    );
    targets.push(target);
    expect(target.url).toBe(`https://127.0.0.1:${port}`);
    expect((await createCosigner(target, { seed: 1 }).sendTx()).ok).toBe(true);
    const lines = target.logs!();
    expect(lines).toContain(`handler pid ${pidIn(lines, 'handler')} kit ${kitDir}`);
    const pids = [pidIn(lines, 'sleeper'), pidIn(lines, 'handler')];
    expect(pids.map(alive)).toEqual([true, true]);
    const closing = target.close();
    expect(target.close()).toBe(closing);
    await closing;
    expect(pids.map(alive)).toEqual([false, false]);
    expect(target.logs!()).toContain('handler: SIGTERM, closing');
  });

  it('writes a kit given in memory to a temporary folder, removed at close', async () => {
    const target = await startTarget({ kind: 'command', command: HANDLER, url: 'https://127.0.0.1:{port}', option: 1, cwd: ROOT }, { kit: await sharedKit() });
    targets.push(target);
    const line = target.logs!().find((l) => l.startsWith('handler pid '))!;
    const dir = line.split(' kit ')[1]!;
    expect(dir).toContain('cosigner-sim-kit-');
    expect(existsSync(join(dir, 'handler-private.pem'))).toBe(true);
    // Option 1 against a started handler trusts the kit's Root CA (the handler serves the leaf).
    expect((await createCosigner(target, { seed: 2 }).sendTx()).ok).toBe(true);
    await target.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('a process that exits without close() takes the group with it', async () => {
    // dist/, as a user's script would load it; the e2e project's global setup built it.
    const script = [
      `import { startTarget } from './dist/simulator/targets/index.js';`,
      `const t = await startTarget({ kind: 'command', command: ${JSON.stringify(HANDLER)}, url: 'https://127.0.0.1:{port}', option: 2 }, { kit: ${JSON.stringify(kitDir)} });`,
      `console.log(t.logs().join('\\n'));`,
      `process.exit(0);`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 });
    const pid = pidIn(stdout.split('\n'), 'handler');
    // SIGKILL is sent on the way out; the kernel may take a moment to reap it.
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  });
});
