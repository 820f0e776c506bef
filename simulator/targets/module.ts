import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InternalError, MissingDependencyError, TargetStartError } from '../errors.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import type { Warning } from '../protocol/types.js';
import type { ScenarioCheckOutcome } from '../suite/types.js';
import { isInstalled } from '../lib/optional-import.js';
import { freePort, handlerKitFolder, kitAndMaterial, LineRing, LOG_LINES } from './command.js';
import type { TargetMaterial } from './material.js';
import type { ModuleWorkerData, WorkerReply, WorkerRequest } from './module-worker.js';
import { startedTarget, type ScenarioInfo, type ScenarioScope, type StartedTarget } from './started.js';
import { judgeUpstream, type UpstreamReport } from './upstream.js';

/** Your handler as a module: `createHandler(kit)` is called in a worker thread and served over the option's TLS. */
export interface ModuleTargetSpec {
  kind: 'module';
  /** A `.js`/`.mjs` file (or `.ts` when `tsx` is installed in its project) exporting `createHandler`. */
  module: string;
  option: SecurityOptionNumber;
  /** `module` is relative to this folder. Default: the process's working folder. */
  cwd?: string;
}

/** How long a worker may take to answer the ping after a scenario before it counts as stuck and is replaced. */
export const PING_TIMEOUT_MS = 200;
/** How long a worker may take to import the module, call createHandler and listen. */
const START_TIMEOUT_MS = 30_000;

/**
 * The worker's entry as plain JavaScript. From dist/ it sits next to this file. From the
 * TypeScript sources (vitest runs them, and the in-process CLI tests with them) there is no
 * `.js` beside this file, and a worker thread is outside vitest's transform, so it cannot load
 * the `.ts`: the built copy in dist/ is used instead (the e2e setup keeps dist/ up to date). The
 * worker shares nothing with this thread but messages, so mixing the two builds is harmless.
 */
function workerEntry(): URL {
  return builtModule('module-worker.js', "the module target's worker");
}

/**
 * A module of simulator/<folder>/ (targets/ unless told) as compiled JavaScript: the file in this
 * build when it is compiled (dist/), or, when this file runs from the sources (vitest), the
 * package's dist/ copy. A worker thread (and the zoo's handler module it imports) runs outside
 * vitest's TypeScript transform.
 *
 * @example
 * builtModule('module-zoo.js', 'the selftest zoo module'); // file:///…/dist/simulator/targets/module-zoo.js
 * builtModule('worker.js', 'the selftest worker', 'selftest'); // file:///…/dist/simulator/selftest/worker.js
 */
export function builtModule(name: string, what: string, folder = 'targets'): URL {
  const here = new URL(`../${folder}/${name}`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const built = join(dir, 'dist', 'simulator', folder, name);
    if (existsSync(join(dir, 'package.json')) && existsSync(built)) return pathToFileURL(built);
  }
  throw new InternalError(`cannot find ${what} (${name}) next to ${fileURLToPath(import.meta.url)} or in dist/`, {
    hint: 'build the package first: npx tsc -p tsconfig.build.json',
  });
}

/** `--import <tsx>` for a `.ts` module, resolved from the module's own folder (the user's project). */
function loaderArgs(file: string): string[] {
  if (!['.ts', '.mts', '.cts'].includes(extname(file))) return [];
  let tsx: string;
  try {
    tsx = createRequire(file).resolve('tsx');
  } catch {
    throw new TargetStartError(`--handler ${file}: a TypeScript module needs the tsx loader, and "tsx" does not resolve from ${dirname(file)}`, {
      field: 'handler',
      hint: 'install it in your project: npm i -D tsx (or build the module to .js and pass that)',
    });
  }
  // tsx's package entry is its loader registration (`node --import tsx`), given by absolute URL so the worker finds it whatever its working folder.
  return ['--import', pathToFileURL(tsx).href];
}

/** A readers-writer gate: scenarios without `upstream:` share the worker; one with `upstream:` has it alone. */
class Gate {
  private shared = 0;
  private exclusive = false;
  private waiting: (() => void)[] = [];

  async enter(alone: boolean): Promise<void> {
    while (this.exclusive || (alone && this.shared > 0)) await new Promise<void>((r) => this.waiting.push(r));
    if (alone) this.exclusive = true;
    else this.shared++;
  }

  leave(alone: boolean): void {
    if (alone) this.exclusive = false;
    else this.shared--;
    const woken = this.waiting;
    this.waiting = [];
    for (const w of woken) w();
  }
}

/**
 * Start your handler module in a worker thread (`--handler ./handler.mjs`): the worker imports
 * it, calls `createHandler(kit)` and serves the listener or fetch handler it returns over the
 * option's real TLS on 127.0.0.1. After every scenario the worker is pinged; one that does not
 * answer within 200 ms (a handler busy-looping) is terminated and a fresh one started on the same
 * port, so the URL stays valid; one that crashes is restarted the same way, its error in logs().
 *
 * A scenario with `upstream:` gets its mocks installed with msw inside the worker, alone in it
 * (see {@link StartedTarget.scenario}).
 *
 * @example
 * await using target = await startModuleTarget({ kind: 'module', module: 'handler.mjs', option: 4 }, {});
 */
export async function startModuleTarget(spec: ModuleTargetSpec, material: TargetMaterial): Promise<StartedTarget> {
  const { option } = spec;
  const file = resolve(spec.cwd ?? process.cwd(), spec.module);
  if (!existsSync(file)) {
    throw new TargetStartError(`--handler ${spec.module}: no such file (looked at ${file})`, {
      field: 'handler',
      hint: 'pass the path of a .js, .mjs or .ts module that exports createHandler(kit), relative to the working folder',
    });
  }
  const execArgv = loaderArgs(file);
  const entry = workerEntry();
  const { kit, own, resolved } = await kitAndMaterial(option, material, 'a module target');
  const { dir: kitDir, remove: removeKit } = handlerKitFolder(kit, own);
  const ring = new LineRing(LOG_LINES);
  /** cosigner-sim's own lines about the worker (crashed, replaced), kept with its output. */
  const notes = new PassThrough();
  const data: ModuleWorkerData = { modulePath: file, option, kitDir, port: await freePort() };

  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, (reply: Extract<WorkerReply, { type: 'ack' }>) => void>();
  let closed = false;
  let starting: Promise<void> | undefined;

  /** Start a worker and wait until it listens; a fatal start is a TargetStartError with its words and output. */
  function spawnWorker(): Promise<void> {
    const w = new Worker(entry, { workerData: data, execArgv, stdout: true, stderr: true });
    worker = w;
    for (const stream of [w.stdout, w.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => ring.feed(stream, chunk));
    }
    return new Promise<void>((resolveReady, rejectReady) => {
      let ready = false;
      const timer = setTimeout(() => fail(`${file}: the handler's worker did not listen within ${START_TIMEOUT_MS / 1000} s`, 'createHandler must return (or resolve) promptly'), START_TIMEOUT_MS);
      function fail(message: string, hint: string): void {
        clearTimeout(timer);
        const lines = ring.snapshot();
        rejectReady(new TargetStartError(`${message}${lines.length > 0 ? `\nits output:\n${lines.join('\n')}` : ''}`, { field: 'handler', hint }));
        void w.terminate();
      }
      w.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          resolveReady();
        } else if (m.type === 'fatal') fail(m.message, m.hint);
        else pending.get(m.id)?.(m);
      });
      w.on('error', (e) => {
        // An uncaught error in the handler ends the worker: keep it in the logs, then start a fresh one.
        ring.feed(notes, `[cosigner-sim] the handler's worker crashed: ${e.stack ?? e.message}\n`);
        if (!ready) fail(`${file}: the handler's worker crashed while starting: ${e.message}`, 'fix the error above');
      });
      w.on('exit', () => {
        for (const [id, answer] of pending) {
          pending.delete(id);
          answer({ type: 'ack', id, error: { message: "the handler's worker ended", hint: '' } });
        }
        if (worker === w && ready && !closed) void restart();
      });
    });
  }

  /** Replace the worker (stuck or crashed): one restart at a time; later callers share it. */
  function restart(): Promise<void> {
    starting ??= (async () => {
      const old = worker;
      worker = undefined;
      if (old) ring.feed(notes, `[cosigner-sim] the handler's worker did not answer within ${PING_TIMEOUT_MS} ms after a scenario (or ended): starting a fresh one on the same port\n`);
      await old?.terminate();
      try {
        if (!closed) await spawnWorker();
      } catch (e) {
        ring.feed(notes, `[cosigner-sim] the handler's worker could not be restarted: ${(e as Error).message}\n`);
      }
    })().finally(() => (starting = undefined));
    return starting;
  }

  /** Send a request to the worker; undefined when it gives no answer within `ms`. */
  function ask(m: Omit<Extract<WorkerRequest, { type: 'begin' }>, 'id'> | Omit<Exclude<WorkerRequest, { type: 'begin' }>, 'id'>, ms: number): Promise<Extract<WorkerReply, { type: 'ack' }> | undefined> {
    const w = worker;
    if (!w) return Promise.resolve(undefined);
    const id = nextId++;
    return new Promise((answer) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        answer(undefined);
      }, ms);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        pending.delete(id);
        answer(reply);
      });
      w.postMessage({ ...m, id } as WorkerRequest);
    });
  }

  /** After a scenario: a worker that does not answer the ping at once is stuck in the handler; replace it. */
  async function checkAlive(): Promise<void> {
    if (starting) return starting;
    if (!worker || (await ask({ type: 'ping' }, PING_TIMEOUT_MS)) === undefined) await restart();
  }

  // Under --handler every outbound request is intercepted [issue 10], so that no scenario's
  // handler call leaves the machine: a scenario without upstream: gets no mocks (every call then
  // fails the upstream check, saying to declare it). Without msw nothing can be intercepted, and
  // scenarios without upstream: share the worker as they would a running handler.
  const canIntercept = isInstalled('msw');
  const gate = new Gate();
  async function scenario(info: ScenarioInfo): Promise<ScenarioScope> {
    const mocks = info.upstream ?? (canIntercept ? [] : undefined);
    const declared = info.upstream !== undefined;
    const alone = mocks !== undefined;
    await gate.enter(alone);
    try {
      if (starting) await starting;
      if (alone) {
        const ack = await ask({ type: 'begin', mocks }, START_TIMEOUT_MS);
        if (ack?.error) throw new TargetStartError(ack.error.message, { field: 'upstream', hint: ack.error.hint });
      }
    } catch (e) {
      gate.leave(alone);
      throw e;
    }
    return {
      async end(): Promise<{ checks: ScenarioCheckOutcome[]; warnings: Warning[] }> {
        try {
          if (!alone) {
            await checkAlive();
            return { checks: [], warnings: [] };
          }
          const ack = await ask({ type: 'end' }, PING_TIMEOUT_MS);
          if (ack === undefined || ack.error) await restart();
          const report: UpstreamReport = ack?.report ?? { calls: [], used: mocks.map(() => 0) };
          return judgeUpstream(mocks, report, declared);
        } finally {
          gate.leave(alone);
        }
      },
    };
  }

  /** msw is an optional peer: a run whose scenarios declare upstream: needs it, and says so before anything is sent. */
  async function prepareScenarios(scenarios: readonly ScenarioInfo[]): Promise<void> {
    const first = scenarios.find((s) => s.upstream !== undefined);
    if (first === undefined) return;
    if (!canIntercept) {
      throw new MissingDependencyError(`${first.file}${first.line !== undefined ? `:${first.line}` : ''}: scenario ${JSON.stringify(first.name)} declares upstream: mocks, which need the package "msw", and it is not installed`, {
        file: first.file,
        field: 'upstream',
        hint: 'npm i -D msw (an optional peer dependency); without upstream: in any scenario, --handler runs without it (and without interception)',
      });
    }
  }

  const onExit = () => removeKit();
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    closed = true;
    await starting?.catch(() => undefined);
    await worker?.terminate();
    process.removeListener('exit', onExit);
    removeKit();
  };
  try {
    await spawnWorker();
  } catch (e) {
    await stop();
    throw e;
  }
  return startedTarget({
    url: `https://127.0.0.1:${data.port}`,
    option,
    material: resolved,
    logs: () => ring.snapshot(),
    stop,
    scenario,
    prepareScenarios,
  });
}
