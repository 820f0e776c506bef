/**
 * A selftest worker thread, seen from the thread that runs the selftest (run.ts): start it, check
 * that it planned the same runs, send it the index of a run, get its row back.
 *
 * Why threads: every zoo handler runs in-process beside the Co-signer that tests it, so one
 * thread did all the RSA signing, TLS handshakes and 5 MB bodies of both sides (26 s busy of a
 * 32 s run on a 2-core machine, the other core nearly idle). The handlers' hooks are closures and
 * cannot be sent to another thread, so each worker thread builds the same kit-shaped zoo and plan
 * itself (worker.ts) and is sent only indexes into it.
 */
import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import type { JobRow } from './run.js';

/** What the worker thread is started with: what shapes the plan. */
export interface SelftestWorkerData {
  deadlineMs: number;
  allOptions: boolean;
}

/** Calling thread to worker thread. */
export type ToSelftestWorker = { type: 'run'; index: number };

/** Worker thread to calling thread. */
export type FromSelftestWorker =
  | { type: 'ready'; keys: string[] }
  | { type: 'row'; index: number; row: JobRow }
  | { type: 'error'; index: number; message: string }
  | { type: 'fatal'; message: string };

/** The worker thread stopped (crashed or exited) with runs in hand: those runs fail, the rest move to other threads. */
export class SelftestThreadStopped extends InternalError {}

export interface SelftestThread {
  /**
   * Resolves to the thread's runner once it has planned, when its plan is `keys` (the calling
   * thread's, as jobKey gives them); rejects when it could not start or planned otherwise.
   */
  ready(keys: readonly string[]): Promise<(index: number) => Promise<JobRow>>;
  close(): Promise<void>;
}

/**
 * Start one worker thread from `entry` (selftest/worker.js of the build).
 *
 * @example
 * const thread = startSelftestThread(entry, { deadlineMs: 10_000, allOptions: false });
 * const run = await thread.ready(jobs.map(jobKey));
 * const row = await run(0);
 * await thread.close();
 */
export function startSelftestThread(entry: URL, data: SelftestWorkerData): SelftestThread {
  const worker = new Worker(entry, { workerData: data });
  const pending = new Map<number, { resolve(row: JobRow): void; reject(error: Error): void }>();
  let stopped: Error | undefined;
  // Settled once: by the worker's 'ready', or by its stopping first (a later stop is a no-op here).
  const plannedKeys = deferred<string[]>();
  // Not awaited until ready(): a start failure must not be an unhandled rejection meanwhile.
  plannedKeys.promise.catch(() => undefined);
  const stop = (error: Error) => {
    stopped ??= error;
    plannedKeys.reject(stopped);
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
  };
  worker.on('message', (message: FromSelftestWorker) => {
    switch (message.type) {
      case 'ready':
        plannedKeys.resolve(message.keys);
        break;
      case 'row':
        pending.get(message.index)?.resolve(message.row);
        pending.delete(message.index);
        break;
      case 'error':
        // A run that threw in the worker thread: a bug, as it would be in this thread.
        pending.get(message.index)?.reject(new InternalError(`selftest worker thread: ${message.message}`));
        pending.delete(message.index);
        break;
      case 'fatal':
        stop(new SelftestThreadStopped(`the selftest worker thread could not start: ${message.message}`));
        break;
    }
  });
  worker.on('error', (error) => stop(new SelftestThreadStopped(`the selftest worker thread stopped: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => stop(new SelftestThreadStopped(`the selftest worker thread exited (code ${code})`)));
  let closing: Promise<void> | undefined;
  return {
    async ready(keys) {
      let theirs: string[];
      try {
        theirs = await plannedKeys.promise;
      } catch (error) {
        throw new InternalError((error as Error).message, { cause: error, hint: `its entry is ${entry.href}: build the package (npm run build) and run again` });
      }
      // The first run where the two plans differ (past the shorter one's end counts): none when they match.
      const at = Array.from({ length: Math.max(theirs.length, keys.length) }, (_, i) => i).find((i) => theirs[i] !== keys[i]);
      if (at !== undefined) {
        throw new InternalError(
          `the selftest worker thread planned ${theirs.length} runs and this thread ${keys.length}; the first difference is run ${at} (${theirs[at] ?? 'none'} there, ${keys[at] ?? 'none'} here)`,
          { hint: `its entry (${entry.href}) is another build than this code: rebuild dist/ (npm run build), or pass threads: 1` },
        );
      }
      return (index) =>
        new Promise<JobRow>((resolve, reject) => {
          if (stopped) return reject(stopped);
          pending.set(index, { resolve, reject });
          worker.postMessage({ type: 'run', index } satisfies ToSelftestWorker);
        });
    },
    close() {
      closing ??= worker.terminate().then(() => undefined);
      return closing;
    },
  };
}

/** A promise with its settle functions (Promise.withResolvers, which Node 20 lacks). */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
