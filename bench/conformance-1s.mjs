#!/usr/bin/env node
// Benchmark: the whole conformance battery against a handler that answers every request after an
// asynchronous 1 s delay (it serves many at once, as a handler that waits on a policy service
// does), over real TLS on 127.0.0.1. Issue 12's bar: under 15 s at the default
// --battery-concurrency 8. Against a handler that serves one request at a time the battery takes
// about 1 s per request instead (`--concurrency 1` shows it).
//
// Usage: node bench/conformance-1s.mjs [--option 4] [--concurrency 8] [--delay 1000]
// Runs from dist/ (npm run build first).
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCosigner, generateKit } from '../dist/simulator/index.js';
import { runConformance } from '../dist/simulator/conformance/index.js';
import { startTarget } from '../dist/simulator/targets/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const option = flag('option', 4);
const concurrency = flag('concurrency', 8);
const delayMs = flag('delay', 1000);

const kit = await generateKit();
// Every request waits delayMs before the reference handler reads it: decisions, refusals and
// 404s alike, so no probe gets a fast answer.
const hooks = { intercept: async () => (await sleep(delayMs), false) };
const target = await startTarget({ kind: 'reference', option, kit, hooks });
const cosigner = createCosigner(target, { seed: 1, timeoutMs: 30_000 });
const started = performance.now();
const { results, summary } = await runConformance({ cosigner, option, url: target.url, material: target.material, concurrency });
const seconds = (performance.now() - started) / 1000;
await target.close();
const requests = results.reduce((n, r) => n + r.steps.length, 0);
console.log(`conformance battery, option ${option}, handler answering after ${delayMs} ms, --battery-concurrency ${concurrency}`);
console.log(`${seconds.toFixed(1)} s for ${results.length} probes (${requests} recorded requests): ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped, ${summary.notRun} not run`);
console.log(`${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
if (summary.failed > 0) process.exitCode = 1;
