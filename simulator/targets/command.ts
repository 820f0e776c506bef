import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { assertMaterialFits, isResolvedMaterial, type ResolvedMaterial } from '../client/material.js';
import { InvalidArgumentError, TargetStartError } from '../errors.js';
import { extraCosignerNumbers, readKit, writeKit } from '../keys/kit.js';
import { KIT_FILES, cosignerKitFiles, type Kit } from '../keys/types.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import { buildTlsOptions } from '../tls/trust.js';
import { materialFor, trustingKitRoot, type TargetMaterial } from './material.js';
import { defaultReferenceKit } from './reference.js';
import { startedTarget, trackStop, type StartedTarget, type TargetExit } from './started.js';
import { waitUntilReady } from './wait.js';

/** Your handler, started by cosigner-sim from a shell command line (`--start "npm start"`). */
export interface CommandTargetSpec {
  kind: 'command';
  /** Run by the platform shell (`/bin/sh -c`), so quoting, `&&` and `npm start` work as typed. */
  command: string;
  /** The handler's base URL; `{port}` in it is replaced by a free port on 127.0.0.1 (also given as PORT). */
  url: string;
  option: SecurityOptionNumber;
  /** How long the URL may take to accept a TLS connection. Default 30 s. */
  readyTimeoutMs?: number;
  /** `--ready-path`: ready only once a GET of this path gets an HTTP answer (any status) over the option's TLS. */
  readyPath?: string;
  /** Default: the process's working folder. A folder that does not exist is a usage error (exit 2). */
  cwd?: string;
  /** `--keep-kit`: a kit written to a temporary folder stays there after close (its path is `kitDir`). */
  keepKit?: boolean;
  /** Extra variables, on top of the process's and the kit's. */
  env?: Record<string, string>;
}

/** How many lines of output `logs()` keeps (and an early exit reports). */
export const LOG_LINES = 50;
/** SIGTERM, then SIGKILL after this long [issue 10: "SIGTERM, SIGKILL after 5 s"]. */
export const KILL_AFTER_MS = 5_000;
const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** The last `max` lines of stdout and stderr, interleaved as they arrived. */
export class LineRing {
  private readonly lines: string[] = [];
  private readonly partial = new Map<NodeJS.ReadableStream, string>();
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  feed(stream: NodeJS.ReadableStream, chunk: string): void {
    const parts = ((this.partial.get(stream) ?? '') + chunk).split(/\r?\n/);
    this.partial.set(stream, parts.pop() ?? '');
    for (const line of parts) this.push(line);
  }

  /** The kept lines, plus what each stream printed after its last newline. */
  snapshot(): string[] {
    const tails = [...this.partial.values()].filter((p) => p !== '');
    return [...this.lines, ...tails].slice(-this.max);
  }

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}

/**
 * The variables the handler reads its side of the kit (in `dir`) from: the folder, one path per file and
 * the same file's text as `_PEM`, the option and the port. TLS_CERT/TLS_KEY are the certificate
 * the option serves: the pinned one for 2 and 4, the Root CA's leaf for 1, 3 and 5.
 */
export function kitEnvironment(dir: string, option: SecurityOptionNumber, port: string): Record<string, string> {
  const pinned = SECURITY_OPTIONS[option].tls === 'pinned';
  const files: Record<string, string> = {
    COSIGNER_PUBLIC_KEY: KIT_FILES.cosignerPublicKey,
    HANDLER_PRIVATE_KEY: KIT_FILES.handlerPrivateKey,
    HANDLER_PUBLIC_KEY: KIT_FILES.handlerPublicKey,
    TLS_CERT: pinned ? KIT_FILES.pinnedCert : KIT_FILES.leafCert,
    TLS_KEY: pinned ? KIT_FILES.pinnedKey : KIT_FILES.leafKey,
  };
  const env: Record<string, string> = { COSIGNER_SIM_KIT: dir, COSIGNER_SIM_OPTION: String(option), PORT: port };
  for (const [name, file] of Object.entries(files)) {
    env[`COSIGNER_SIM_${name}`] = join(dir, file);
    // The file's text as it is on disk (a kit read from a folder keeps its own line endings).
    env[`COSIGNER_SIM_${name}_PEM`] = readFileSync(join(dir, file), 'utf8');
  }
  // Every Co-signer public key of the kit folder, path-delimiter separated: a handler must trust
  // them all, each Co-signer signs with its own [protocol.md §14.2].
  env.COSIGNER_SIM_COSIGNER_PUBLIC_KEYS = kitCosignerPublicFiles(dir).join(delimiter);
  return env;
}

/** The public key files of every Co-signer in a kit folder, Co-signer 1 first, numbered as readKit numbers them. */
function kitCosignerPublicFiles(dir: string): string[] {
  return [join(dir, KIT_FILES.cosignerPublicKey), ...extraCosignerNumbers(dir).map((n) => join(dir, cosignerKitFiles(n).publicKey))];
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free when this returns, which is as good as it gets without handing over the socket). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * True while any process of the group is alive (EPERM: alive, but not ours to signal). A zombie
 * is not alive: once the shell has died, the handler it started is reaped by PID 1, which in a
 * container may take a second or more, and `kill(-pgid, 0)` succeeds on zombies all that time.
 * On Linux the group's members are read from /proc, so a group of zombies counts as gone.
 */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const members = liveMembersOnLinux(pid);
  return members === undefined || members > 0;
}

/** How many processes of the group are not zombies, from /proc; undefined where there is no /proc. */
function liveMembersOnLinux(pgid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let live = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone between readdir and read
    }
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') live++;
  }
  return live;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (groupAlive(pid)) {
    if (performance.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** SIGTERM to the whole group (the shell and everything it started), SIGKILL after 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  if (await waitGone(pid, KILL_AFTER_MS)) return;
  signalGroup(pid, 'SIGKILL');
  await waitGone(pid, 2_000);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'a signal'}`;
}

export function outputOf(lines: string[]): string {
  return lines.length > 0 ? `; its last ${lines.length} line${lines.length === 1 ? '' : 's'} of output:\n${lines.join('\n')}` : '; it printed nothing';
}

/** The kit for both sides and the material resolved from it (the Co-signer side trusts the kit the handler serves). */
export async function kitAndMaterial(option: SecurityOptionNumber, material: TargetMaterial, what = 'a command target'): Promise<{ kit: Kit; own: boolean; resolved: ResolvedMaterial }> {
  if (isResolvedMaterial(material)) {
    if (material.kit === undefined) {
      throw new InvalidArgumentError(`startTarget: ${what} gives the handler a kit, and the resolved material has none`, {
        hint: 'resolve the material from a kit, or pass raw material (a kit is then generated)',
      });
    }
    return { kit: material.kit, own: true, resolved: trustingKitRoot(materialFor(option, material), material.kit) };
  }
  assertMaterialFits({ ...material, option });
  const own = typeof material.kit === 'string' ? readKit(material.kit) : material.kit;
  const kit = own ?? (await defaultReferenceKit());
  // The handler is given this kit: option 1 trusts its Root CA on purpose.
  return { kit, own: own !== undefined, resolved: trustingKitRoot(materialFor(option, { ...material, kit }), kit) };
}

/**
 * The folder a started handler reads its kit from: a kit read from a folder (`--kit`) is given as
 * that folder; any other (given in memory, or generated) is written to a fresh temporary folder,
 * which `remove()` deletes unless `keep` (`--keep-kit`). The command and module kinds share it.
 *
 * @example
 * const { dir, remove } = handlerKitFolder(kit, own);
 */
export function handlerKitFolder(kit: Kit, own: boolean, o: { keep?: boolean } = {}): { dir: string; temporary: boolean; remove(): void } {
  if (own && kit.dir !== undefined && existsSync(kit.dir)) return { dir: resolve(kit.dir), temporary: false, remove: () => undefined };
  const dir = writeKit(kit, mkdtempSync(join(tmpdir(), 'cosigner-sim-kit-'))).dir!;
  return { dir, temporary: true, remove: () => (o.keep ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

/**
 * Start your handler with the shell (`sh -c "<command>"`), in its own process group, with the
 * kit in its environment; wait until its URL accepts a TLS connection; close() stops the whole
 * group. A handler that exits before it is ready, or is not ready in time, is a TargetStartError
 * (exit 2) with its exit code and last 50 lines of output.
 *
 * The kit is the material's (`--kit`: its folder is given as it is), else a generated one
 * written to a fresh temporary folder that close() removes.
 *
 * @example
 * await using target = await startCommandTarget({ kind: 'command', command: 'npm start', url: 'https://127.0.0.1:{port}', option: 4 }, {});
 */
export async function startCommandTarget(spec: CommandTargetSpec, material: TargetMaterial): Promise<StartedTarget> {
  const { option } = spec;
  if (typeof spec.command !== 'string' || spec.command.trim() === '') {
    throw new InvalidArgumentError('startTarget: a command target needs a command to run', { field: 'start', hint: 'e.g. --start "npm start" --url https://127.0.0.1:{port}' });
  }
  const cwd = spec.cwd ?? process.cwd();
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new InvalidArgumentError(`the folder to start the handler in does not exist: ${cwd}`, { field: 'cwd', hint: '--cwd takes a folder, relative to where cosigner-sim runs (or the config file); create it or fix the path' });
  }
  const { kit, own, resolved } = await kitAndMaterial(option, material);
  const port = spec.url.includes('{port}') ? String(await freePort()) : undefined;
  const base = validateBaseUrl(port === undefined ? spec.url : spec.url.replaceAll('{port}', port), option);
  const url = new URL(base.url);
  const portVar = port ?? (url.port || (url.protocol === 'http:' ? '80' : '443'));

  const { dir: kitDir, temporary: kitIsTemporary, remove: removeKit } = handlerKitFolder(kit, own, { keep: spec.keepKit === true });

  const ring = new LineRing(LOG_LINES);
  let child: ChildProcess;
  try {
    // shell: true runs the line as typed (`npm start`, `cd app && python app.py`); detached makes
    // the shell a process-group leader, so one signal to -pid reaches everything it started.
    child = spawn(spec.command, {
      shell: true,
      detached: true,
      cwd,
      env: { ...process.env, ...spec.env, ...kitEnvironment(kitDir, option, portVar) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    removeKit();
    throw e;
  }
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => ring.feed(stream, chunk));
  }

  // If cosigner-sim itself ends without close() (an uncaught error, process.exit), the detached
  // group would outlive it: kill it on the way out (only synchronous work runs in 'exit').
  const onExit = () => {
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    removeKit();
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  // Tracked from the spawn on, so a signal while the handler is still getting ready stops it too.
  let untrack = (): void => {};
  // 'close' comes once the pipes are drained: the last lines a stopping handler printed (its
  // shutdown message) are read before the streams are let go, for at most a moment.
  const drained = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = (): Promise<void> =>
    (stopping ??= stopGroup(child).then(() => Promise.race([drained, new Promise<void>((r) => setTimeout(r, 250).unref())])).finally(() => {
      untrack();
      process.removeListener('exit', onExit);
      child.stdout?.destroy();
      child.stderr?.destroy();
      removeKit();
    }));
  untrack = trackStop(stop);

  // How the process ended, once it has: a connection refused during the run names this.
  let exitSeen = false;
  let ended: TargetExit | undefined;
  const endedListeners = new Set<() => void>();
  child.once('exit', (code, signal) => {
    exitSeen = true;
    // The last lines arrive before 'close'; a grandchild holding the pipes open gets 200 ms.
    const settle = () => {
      ended ??= { code, signal, logs: ring.snapshot() };
      for (const l of [...endedListeners]) l();
    };
    const timer = setTimeout(settle, 200);
    child.once('close', () => {
      clearTimeout(timer);
      settle();
    });
  });
  const exitedWithin = (withinMs = 0): Promise<TargetExit | undefined> => {
    if (ended !== undefined || (!exitSeen && withinMs <= 0)) return Promise.resolve(ended);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        endedListeners.delete(done);
        resolve(ended);
      };
      // An exit already seen settles within 200 ms; otherwise wait as long as asked.
      const timer = setTimeout(done, exitSeen ? 500 : withinMs);
      endedListeners.add(done);
    });
  };

  const what = `the command ${JSON.stringify(spec.command)}`;
  const exited = new AbortController();
  child.once('error', (e) => exited.abort(new TargetStartError(`${what} could not be started: ${e.message}`, { field: 'start', cause: e })));
  child.once('exit', (code, signal) => {
    // Output still in the pipes arrives before 'close'; a grandchild holding them open must not keep us waiting.
    const report = () => exited.abort(new TargetStartError(`${what} ${describeExit(code, signal)} before ${url.origin} accepted a TLS connection${outputOf(ring.snapshot())}`, { field: 'start', hint: 'run the command by hand to see why it stops; it gets the kit in COSIGNER_SIM_* variables and its port in PORT (see README#start-your-handler---start)' }));
    const timer = setTimeout(report, 200);
    child.once('close', () => {
      clearTimeout(timer);
      report();
    });
  });

  try {
    await waitUntilReady({
      url: base.url,
      tls: buildTlsOptions(option, resolved.trust),
      timeoutMs: spec.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      signal: exited.signal,
      what,
      logs: () => ring.snapshot(),
      ...(spec.readyPath !== undefined ? { readyPath: spec.readyPath } : {}),
    });
  } catch (e) {
    await stop();
    throw e;
  }
  // Handed to startedTarget, which tracks the target until close; this start's own entry goes.
  untrack();
  return startedTarget({ url: base.url, option, material: resolved, kitDir, kitIsTemporary, logs: () => ring.snapshot(), exited: exitedWithin, stop });
}
