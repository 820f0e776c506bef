#!/usr/bin/env node
// One measured client subject, kept alive for the whole bench (bench/run.mjs starts one per
// subject, on the client core, with an IPC channel): the baseline, the library's sendTx, or
// `cosigner-sim load` (fresh TLS, or --reuse-connections).
//
// Why a long-lived process and not one per run: the ABAB rounds alternate the subjects, and a
// fresh process per run paid its start, its kit reading and a warm-up every time (about a
// quarter of the bench's wall time), and measured code the JIT had only half compiled. Here each
// subject warms up once (--warmup requests), then every run is steady state for all of them
// alike; the start-up cost has its own figure, (e) cold start.
//
// Protocol: the parent sends { requests, concurrency }; the worker answers one message
// { cpuUs, wallMs, requests, failures, firstFailure } per run. `ready` is sent after the warm-up.
//   node bench/client-worker.mjs --subject baseline|library|load|load-reuse --url URL --kit DIR [--warmup 150] [--tmp DIR]
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createBaselineClient } from './baseline.mjs';

const { values } = parseArgs({
  options: {
    subject: { type: 'string' },
    url: { type: 'string' },
    kit: { type: 'string' },
    warmup: { type: 'string', default: '150' },
    tmp: { type: 'string', default: '/tmp' },
  },
});

/** The in-process subjects: one request per call, the parent's loop keeps `concurrency` in flight. */
async function makeSend(subject) {
  if (subject === 'baseline') return createBaselineClient({ url: values.url, kitDir: values.kit }).send;
  const { createCosigner, readKit } = await import('../dist/simulator/index.js');
  const cosigner = createCosigner({ url: values.url, option: 4, kit: readKit(values.kit), seed: 1 });
  return async () => {
    const res = await cosigner.sendTx();
    if (!res.ok) throw new Error(res.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`).join('; '));
    return res.decision?.action;
  };
}

/** Closed loop: exactly `concurrency` requests in flight until `total` have started; measured with process.cpuUsage. */
async function driveInProcess(send, total, concurrency) {
  let started = 0;
  let failures = 0;
  let firstFailure;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        try {
          await send();
        } catch (error) {
          failures++;
          firstFailure ??= String(error?.message ?? error);
        }
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: cpu.user + cpu.system, wallMs, requests: total, failures, firstFailure };
}

/**
 * `cosigner-sim load` through the CLI's own entry (runCli: the argv parsing, option checks and
 * reporters of `npx cosigner-sim load`), measured from the first request's creation to the last
 * request's end by undici's diagnostics channels, so each run's setup (kit reading, key parsing,
 * the Co-signer) and its final report are left out, as the in-process subjects leave them out.
 */
async function makeLoad(reuse) {
  const { runCli } = await import('../dist/simulator/cli/program.js');
  let window;
  subscribe('undici:request:create', () => {
    if (window && window.cpu0 === undefined) {
      window.cpu0 = process.cpuUsage();
      window.t0 = performance.now();
    }
  });
  const done = () => {
    if (window?.cpu0 === undefined) return;
    window.cpu = process.cpuUsage(window.cpu0);
    window.t1 = performance.now();
  };
  subscribe('undici:request:trailers', done);
  subscribe('undici:request:error', done);
  const report = join(values.tmp, `load-${values.subject}-${process.pid}.json`);
  return async (total, concurrency) => {
    window = {};
    // --mix tx.signing:1: the baseline's request (a signing-stage tx); load's default mixes stages.
    const argv = ['load', '--url', values.url, '--option', '4', '--kit', values.kit, '--concurrency', String(concurrency), '--requests', String(total), '--mix', 'tx.signing:1', '--reporter', `json:${report}`, ...(reuse ? ['--reuse-connections'] : [])];
    const code = await runCli(argv);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const failed = json.counts.failed + json.counts.dropped;
    const { cpu, t0, t1 } = window;
    window = undefined;
    // A non-zero exit with no failed request (a usage error, a crash) still fails the run.
    const failures = code !== 0 ? Math.max(failed, 1) : failed;
    return { cpuUs: cpu.user + cpu.system, wallMs: t1 - t0, requests: total, failures, ...(code !== 0 ? { firstFailure: `load exited ${code}` } : {}) };
  };
}

const subject = values.subject;
let run;
if (subject === 'load' || subject === 'load-reuse') run = await makeLoad(subject === 'load-reuse');
else if (subject === 'baseline' || subject === 'library') {
  const send = await makeSend(subject);
  run = (total, concurrency) => driveInProcess(send, total, concurrency);
} else throw new Error(`--subject must be baseline, library, load or load-reuse, got ${subject}`);

// The warm-up: JIT, the first handshakes, undici's lazy load; at two concurrencies, as measured.
const warmup = Number(values.warmup);
await run(Math.ceil(warmup / 2), 1);
await run(Math.floor(warmup / 2), 16);
process.send({ ready: true });
process.on('message', async ({ requests, concurrency }) => {
  process.send(await run(requests, concurrency));
});
// The parent closing the channel is the end of the bench.
process.on('disconnect', () => process.exit(0));
