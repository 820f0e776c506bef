#!/usr/bin/env node
// Benchmark: sequential request latency (p50/p95/max) and throughput per security option,
// against the in-process reference handler over real TLS on 127.0.0.1. Every request opens a
// fresh connection and does a full TLS handshake (that is the simulator's design: a reused
// session could hide a certificate change), so these figures include the handshake.
//
// Usage: npm run bench [-- --requests 200 --concurrency 4]
// Runs from dist/ (npm run build first; `npm run bench` does it).
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { createCosigner, generateKit, SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS } from '../dist/simulator/index.js';
import { startReferenceHandler } from '../dist/simulator/reference/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REQUESTS = flag('requests', 200);
const CONCURRENCY = flag('concurrency', 4);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const t0 = performance.now();
const kit = await generateKit();
const kitMs = performance.now() - t0;
const rows = [];
for (const option of SECURITY_OPTION_NUMBERS) {
  const handler = await startReferenceHandler({ option, kit });
  const cosigner = createCosigner({ url: handler.url, option, kit, seed: 1 });
  for (let i = 0; i < 10; i++) await cosigner.sendTx(); // warm-up: JIT, first handshakes
  // Sequential: the latency one request sees.
  const latencies = [];
  for (let i = 0; i < REQUESTS; i++) {
    const res = await cosigner.sendTx();
    if (!res.ok) throw new Error(`option ${option}: a reference request failed: ${JSON.stringify(res.checks.filter((c) => c.status === 'fail'))}`);
    latencies.push(res.timings.totalMs);
  }
  latencies.sort((a, b) => a - b);
  // Concurrent: throughput with CONCURRENCY requests in flight.
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await cosigner.sendTx();
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  rows.push({
    option: `${option} ${SECURITY_OPTIONS[option].label}`,
    p50: percentile(latencies, 50).toFixed(1),
    p95: percentile(latencies, 95).toFixed(1),
    max: latencies[latencies.length - 1].toFixed(1),
    rps: (REQUESTS / seconds).toFixed(0),
  });
  await handler.close();
}
console.log(`cosigner-sim bench · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · ${REQUESTS} requests per option, throughput at concurrency ${CONCURRENCY}`);
console.log(`kit generation: ${kitMs.toFixed(0)} ms`);
console.log('| option | p50 ms | p95 ms | max ms | requests/s |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.option} | ${r.p50} | ${r.p95} | ${r.max} | ${r.rps} |`);
