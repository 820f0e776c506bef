/**
 * The rest of `--start` and the pre-deploy smoke flags, end to end against a real handler process
 * (test/fixtures/targets/handler.mjs, the reference handler from dist/ on $PORT) over real TLS:
 * --ready-path, --cwd, a handler that exits during the run, --option all (one start per option),
 * SIGINT/SIGTERM stopping the started handler, --marker at the handler, and --dry-run's bound
 * held to the requests a real run sends.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { writeKit } from '../simulator/keys/kit.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { openStartedCount } from '../simulator/targets/started.js';
import { CLI_BIN, ROOT } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { alive } from './support/alive.js';
import { sharedKit } from './support/shared-kit.js';

const HANDLER = 'node test/fixtures/targets/handler.mjs';
const cli = (args: string[], env: Record<string, string> = {}) => runInProcess(args, { cwd: ROOT, env });

let tmp: string;
let kitDir: string;
/** Two scenarios: one the reference handler answers RETRY once (retry max 2: bound 3, sends 2), one plain (bound 1, sends 1). */
let smokeFile: string;
let logCount = 0;
/** A fresh REQUEST_LOG file for one handler start. */
const newLog = () => join(tmp, `requests-${++logCount}.jsonl`);
type Entry = { path?: string; externalTxId?: string | null; note?: string | null; pid?: number; option?: number; kit?: string; cwd?: string };
const readLog = (file: string): Entry[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry) : []);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-command-run-'));
  kitDir = join(tmp, 'kit');
  writeKit(await sharedKit(), kitDir);
  smokeFile = join(tmp, 'smoke.yaml');
  writeFileSync(
    smokeFile,
    [
      '- name: retried once, then approved',
      '  tags: [smoke]',
      '  retry: { max: 2, interval: 0ms }',
      '  request:',
      '    type: tx',
      '    payload:',
      '      externalTxId: csim-retry-1',
      '  expect:',
      '    action: APPROVE',
      '- name: small transfer is signed',
      '  tags: [smoke]',
      '  request:',
      '    type: tx',
      '  expect:',
      '    action: APPROVE',
      '',
    ].join('\n'),
  );
});
const targets: StartedTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  rmSync(tmp, { recursive: true, force: true });
});

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('--ready-path and --cwd', () => {
  it('ready means the path answered (a 404 counts), not only a TLS handshake; the registry holds the target until close', async () => {
    const before = openStartedCount();
    const target = await startTarget({ kind: 'command', command: `HEALTH_AFTER_MS=1500 ${HANDLER}`, url: 'https://127.0.0.1:{port}', option: 4, cwd: ROOT, readyPath: '/healthz' }, { kit: kitDir });
    targets.push(target);
    // Handshakes succeeded while /healthz got no answer; ready came with the first HTTP answer. (1.5 s: even
    // on a loaded machine the first poll lands before /healthz comes up, so the "reset" line is there.)
    // The handler logs the 404 after sending it, so its line may trail the answer through the pipe.
    await vi.waitFor(() => expect(target.logs!().filter((l) => l.startsWith('handler: GET /healthz'))).toContain('handler: GET /healthz -> 404'), { timeout: 2_000 });
    const polls = target.logs!().filter((l) => l.startsWith('handler: GET /healthz'));
    expect(polls).toContain('handler: GET /healthz -> reset');
    // The first 404 ended the wait: no poll after it.
    expect(polls.indexOf('handler: GET /healthz -> 404')).toBe(polls.length - 1);
    expect(openStartedCount()).toBe(before + 1);
    expect((await createCosigner(target, { seed: 3 }).sendTx()).ok).toBe(true);
    await target.close();
    expect(openStartedCount()).toBe(before);
  });

  it('a missing --cwd is exit 2 before anything starts', async () => {
    const missing = await cli(['send', 'tx', '--option', '2', '--kit', kitDir, '--cwd', 'no/such/dir', '--start', `touch ${join(tmp, 'started')}`, '--url', 'https://127.0.0.1:{port}']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--cwd no/such/dir: no such folder');
    expect(existsSync(join(tmp, 'started'))).toBe(false);
  });

  it('--ready-path, --cwd and --keep-kit without --start: exit 2 naming the flag', async () => {
    const r = await cli(['send', 'tx', '--ready-path', '/healthz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ready-path is for a handler cosigner-sim starts, and no --start was given');
  });
});

describe('a handler process that exits during the run', () => {
  it('later scenarios fail connect naming the exit code and its last lines, not a bare ECONNREFUSED', async () => {
    const r = await cli(['run', smokeFile, '--option', '4', '--kit', kitDir, '--start', `EXIT_AFTER_REQUESTS=2 ${HANDLER}`, '--url', 'https://127.0.0.1:{port}', '--reporter', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { scenarios: { name: string; status: string; checks: { id: string; status: string; message?: string }[] }[] };
    expect(doc.scenarios.map((s) => s.status)).toEqual(['pass', 'fail']);
    const connect = doc.scenarios[1]!.checks.find((c) => c.id === 'connect');
    expect(connect?.status).toBe('fail');
    expect(connect?.message).toMatch(/^the handler process exited with code 7 during the run \(could not reach the handler \((?:ECONNREFUSED|ECONNRESET)\)\); its last \d+ lines of output:\n/);
    expect(connect?.message).toContain('handler: exiting after 2 request(s) (EXIT_AFTER_REQUESTS)');
  });
});

describe('--option all with --start', () => {
  it('starts the handler once per option: five starts, five kit-variable sets, all pass', async () => {
    const log = newLog();
    const r = await cli(['send', 'tx', '--option', 'all', '--kit', kitDir, '--start', `REQUEST_LOG=${log} ${HANDLER}`, '--url', 'https://127.0.0.1:{port}', '--no-color']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const starts = readLog(log).filter((e) => e.pid !== undefined);
    expect(starts.map((s) => s.option)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(starts.map((s) => s.pid)).size).toBe(5);
    expect(readLog(log).filter((e) => e.path !== undefined)).toHaveLength(5);
    for (const s of starts) expect(await gone(s.pid!)).toBe(true);
    expect(r.stdout).toContain('your handler started once per option (--start)');
  });
});

describe('--marker and --dry-run', () => {
  it('--dry-run prints the bound and the redacted requests, and sends nothing (no handler is started)', async () => {
    const log = newLog();
    const r = await cli(['run', smokeFile, '--tag', 'smoke', '--dry-run', '--marker', 'smoke-42', '--option', '4', '--kit', kitDir, '--start', `REQUEST_LOG=${log} ${HANDLER}`, '--url', 'https://127.0.0.1:{port}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('retried once, then approved: 1 step × up to 3 attempts = 3 requests');
    expect(r.stdout).toContain('small transfer is signed: 1 step × up to 1 attempt = 1 request');
    expect(r.stdout).toContain('at most 4 requests');
    // The latest profile's 2024 wire: externalTxId after destinations, note just before requestId [protocol.md §14.4].
    expect(r.stdout).toContain('"externalTxId":"csim-retry-1-smoke-42"');
    expect(r.stdout).toMatch(/"note":"smoke-42","requestId":"[^"]+","signerId":/);
    expect(r.stdout).toMatch(/POST \/v2\/tx_sign_request \(signing\) \{"txId":/);
    expect(readLog(log)).toEqual([]);
  });

  it('a real run sends at most the dry-run bound, every tx carries the marker, and RETRY still works through it (with --cwd and --ready-path)', async () => {
    const log = newLog();
    const r = await cli(['run', smokeFile, '--tag', 'smoke', '--marker', 'smoke-42', '--option', '4', '--kit', kitDir, '--cwd', 'test/fixtures/targets', '--start', `REQUEST_LOG=${log} node handler.mjs`, '--url', 'https://127.0.0.1:{port}', '--ready-path', '/healthz']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const entries = readLog(log);
    // --cwd is relative to the command's folder; the handler ran there.
    expect(entries[0]?.cwd).toBe(join(ROOT, 'test', 'fixtures', 'targets'));
    const requests = entries.filter((e) => e.path !== undefined);
    expect(requests.length).toBe(3); // 2 (RETRY, then APPROVE) + 1
    expect(requests.length).toBeLessThanOrEqual(4);
    const payloads = entries.filter((e) => e.note !== undefined);
    expect(payloads).toHaveLength(3);
    for (const p of payloads) {
      expect(p.note).toBe('smoke-42');
      expect(p.externalTxId).toMatch(/-smoke-42$/);
    }
    expect(payloads[0]!.externalTxId).toBe('csim-retry-1-smoke-42');
  });
});

describe('signals stop every started target', () => {
  it('SIGINT mid-run (the real bin): the handler group is stopped and the exit code is 130', async () => {
    const log = newLog();
    const slow = join(tmp, 'slow.yaml');
    const one = (i: number) => [`- name: slow ${i}`, '  retry: { max: 1, interval: 300ms }', '  request:', '    type: tx', '    payload:', '      externalTxId: csim-retry-1', '  expect:', '    action: APPROVE'].join('\n');
    writeFileSync(slow, `${[1, 2, 3, 4, 5, 6].map(one).join('\n')}\n`);
    const child = spawn(process.execPath, [CLI_BIN, 'run', slow, '--option', '4', '--kit', kitDir, '--start', `REQUEST_LOG=${log} ${HANDLER}`, '--url', 'https://127.0.0.1:{port}', '--no-color'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes('slow 1')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(sent, stdout).toBe(true);
    expect(code).toBe(130);
    const pid = readLog(log).find((e) => e.pid !== undefined)!.pid!;
    expect(alive(pid)).toBe(false);
  }, 30_000);

  it('a signal while the handler is still getting ready stops it at once (stopAllStarted, not after --ready-timeout): exit 143', async () => {
    const log = newLog();
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_BIN, 'send', 'tx', '--option', '4', '--kit', kitDir, '--start', `BIND_AFTER_MS=20000 REQUEST_LOG=${log} ${HANDLER}`, '--url', 'https://127.0.0.1:{port}'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    let entry: Entry | undefined;
    for (let i = 0; i < 100 && entry === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      entry = readLog(log).find((e) => e.pid !== undefined);
    }
    expect(entry?.pid).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(alive(entry!.pid!)).toBe(false);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
