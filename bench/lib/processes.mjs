// Child processes for the bench: the reference handler on its own core, the clients on another.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/simulator/cli/main.js', import.meta.url));
const HANDLER_START = fileURLToPath(new URL('../../examples/reference-handler/start.mjs', import.meta.url));

/**
 * Pinning: the handler on core 1, every client (and this bench) on core 0, so the two sides do
 * not steal each other's time slices and "% busy" of the client core means the client. Only
 * where `taskset` exists and there are at least two cores; otherwise unpinned (and said so).
 */
export const PINNING = (() => {
  if (process.platform !== 'linux' || os.cpus().length < 2) return undefined;
  const probe = spawnSync('taskset', ['-c', '0', 'true']);
  // `all`: every core, for the one figure that is the whole machine's (the selftest runs its own
  // handlers beside its clients); named, because a child would otherwise inherit this process's core.
  return probe.status === 0 ? { client: '0', handler: '1', all: `0-${os.cpus().length - 1}` } : undefined;
})();

/** argv for a node child on the given side, pinned when the machine allows it. */
export function nodeArgv(side, args) {
  return PINNING ? ['taskset', ['-c', PINNING[side], process.execPath, ...args]] : [process.execPath, args];
}

/** Pin this process (the bench's own bookkeeping) to the client core. */
export function pinSelf() {
  if (PINNING) spawnSync('taskset', ['-p', '-c', PINNING.client, String(process.pid)], { stdio: 'ignore' });
}

/**
 * Start the reference handler (examples/reference-handler/start.mjs) as a child process on the
 * handler core, with the kit in `kitDir` (written there when absent). Resolves once it listens.
 */
export async function startHandlerProcess({ kitDir, option = 4 }) {
  const [cmd, args] = nodeArgv('handler', [HANDLER_START, kitDir, '--option', String(option)]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the reference handler exited (${code}) before listening: ${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  return {
    url,
    pid: child.pid,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Run a node child to its end on the client core; resolves with its stdout, wall time and status. */
export async function runNode(args, { env, side = 'client', allowFail = false } = {}) {
  const [cmd, argv] = nodeArgv(side, args);
  const started = process.hrtime.bigint();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0 && !allowFail) throw new Error(`node ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  return { stdout, stderr, code, wallMs };
}

/**
 * A long-lived node child on the client core with an IPC channel (bench/client-worker.mjs): it
 * answers `ready` once warm, then one message per `run(request)`. Spawned through taskset, not
 * pinned after the fact, so every thread it makes (V8's, libuv's pool) inherits the core.
 */
export async function startWorker(args, { side = 'client' } = {}) {
  const [cmd, argv] = nodeArgv(side, args);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`node ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`))));
  exited.catch(() => undefined);
  const next = () => Promise.race([once(child, 'message').then(([m]) => m), exited]);
  await next(); // ready
  return {
    run(request) {
      child.send(request);
      return next();
    },
    close() {
      child.disconnect();
    },
  };
}
