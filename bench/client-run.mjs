#!/usr/bin/env node
// One measured client run, in its own process (so its CPU time is its own): the baseline or the
// library's sendTx, `--warmup` requests first (JIT, first handshakes; not measured), then
// `--requests` at `--concurrency`. Prints one JSON line: client CPU µs (user + system, from
// process.cpuUsage), wall ms, requests, failures.
//   node bench/client-run.mjs --subject baseline|library --url URL --kit DIR [--requests 500] [--concurrency 1] [--warmup 50]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createBaselineClient } from './baseline.mjs';

const { values } = parseArgs({
  options: {
    subject: { type: 'string' },
    url: { type: 'string' },
    kit: { type: 'string' },
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '50' },
  },
});

async function makeSend() {
  if (values.subject === 'baseline') return createBaselineClient({ url: values.url, kitDir: values.kit }).send;
  if (values.subject === 'library') {
    const { createCosigner, readKit } = await import('../dist/simulator/index.js');
    const cosigner = createCosigner({ url: values.url, option: 4, kit: readKit(values.kit), seed: 1 });
    return async () => {
      const res = await cosigner.sendTx();
      if (!res.ok) throw new Error(res.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`).join('; '));
      return res.decision?.action;
    };
  }
  throw new Error(`--subject must be baseline or library, got ${values.subject}`);
}

const send = await makeSend();
let failures = 0;
let firstFailure;
async function drive(total, concurrency) {
  let started = 0;
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
}
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
await drive(Number(values.warmup), concurrency);
failures = 0;
firstFailure = undefined; // a warm-up failure is not one of the measured requests
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await drive(requests, concurrency);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ subject: values.subject, requests, concurrency, cpuUs: cpu.user + cpu.system, wallMs, failures, firstFailure }));
