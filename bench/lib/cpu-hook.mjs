// Preloaded (`node --import`) into the soak's `cosigner-sim load` child (`npm run bench -- --soak`),
// to measure it from inside without touching the CLI: undici's diagnostics channels say when each request is created and
// finished. Writes one JSON file (BENCH_HOOK_OUT) at exit:
//   - cpuUs / wallMs from the creation of request BENCH_WARMUP+1 to the last finished request
//     (startup, kit reading and warm-up left out, as the in-process clients leave them out);
//   - with BENCH_SOAK=1: RSS and heapUsed sampled every 250 ms, each tagged with the number of
//     measured (post-warm-up) requests finished so far.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const out = process.env.BENCH_HOOK_OUT;
const warmup = Number(process.env.BENCH_WARMUP ?? 0);
let created = 0;
let finished = 0;
let cpu0;
let t0;
let cpuEnd;
let tEnd;
const samples = [];

subscribe('undici:request:create', () => {
  created++;
  if (created === warmup + 1) {
    cpu0 = process.cpuUsage();
    t0 = performance.now();
  }
});
const done = () => {
  finished++;
  if (cpu0 !== undefined) {
    cpuEnd = process.cpuUsage(cpu0);
    tEnd = performance.now();
  }
};
subscribe('undici:request:trailers', done);
subscribe('undici:request:error', done);

if (process.env.BENCH_SOAK === '1') {
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    samples.push({ measured: Math.max(0, finished - warmup), rss: m.rss, heapUsed: m.heapUsed });
  }, 250);
  timer.unref();
}

process.once('exit', () => {
  if (!out) return;
  writeFileSync(out, JSON.stringify({ created, finished, cpuUs: cpuEnd ? cpuEnd.user + cpuEnd.system : undefined, wallMs: tEnd !== undefined ? tEnd - t0 : undefined, samples }));
});
