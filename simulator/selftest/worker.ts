/**
 * A selftest worker thread (started by thread.ts): builds its own kit, zoo and plan exactly as
 * the calling thread does, says which runs it planned, then runs the ones it is sent by index and
 * sends back their rows. It runs as plain JavaScript (the compiled file in dist/): a worker thread
 * is not under any test runner's TypeScript transform.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jobKey, planSelftest, runJobBounded } from './run.js';
import type { FromSelftestWorker, SelftestWorkerData, ToSelftestWorker } from './thread.js';

const port = parentPort;
if (!port) throw new Error('selftest/worker.js runs as a worker thread (started by runSelftest), not on its own');
const send = (message: FromSelftestWorker) => port.postMessage(message);
const data = workerData as SelftestWorkerData;

try {
  const { kit, jobs } = await planSelftest(data);
  port.on('message', (message: ToSelftestWorker) => {
    const job = jobs[message.index];
    if (!job) return send({ type: 'error', index: message.index, message: `no run ${message.index} in a plan of ${jobs.length}` });
    runJobBounded(job, kit, data.deadlineMs).then(
      (row) => send({ type: 'row', index: message.index, row }),
      (error: unknown) => send({ type: 'error', index: message.index, message: error instanceof Error ? error.message : String(error) }),
    );
  });
  send({ type: 'ready', keys: jobs.map(jobKey) });
} catch (error) {
  send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
}
