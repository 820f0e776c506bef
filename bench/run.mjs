#!/usr/bin/env node
// The benchmark (issue 14): on the machine at hand, in one run, with the reference handler in its
// own process on its own core (taskset, where the machine allows) and every client on the other.
//   (a) the baseline (bench/baseline.mjs: node built-ins, the same work per request);
//   (b) the library's sendTx; (d) `cosigner-sim load`, fresh TLS and --reuse-connections:
//       client CPU per request and throughput, each a median ratio to the baseline over
//       ABAB-alternated runs (>= 5 of 500 requests), at concurrency 1 and 16, each subject one
//       warm long-lived process (bench/client-worker.mjs);
//   (c) `cosigner-sim run` over a generated 1 000-scenario suite, --concurrency 4 (median of 3) and 1;
//   (e) CLI cold start (--version, --help) beside `node -e 0`, median of 10;
//   (f) the conformance battery and the selftest, one run each.
// Prints its own wall time and fails above 180 s.
//
// Usage: npm run bench [-- --update-readme] [-- --soak] [-- --rounds 5 --requests 500 --reuse-rounds 3 --skip-selftest]
//   --update-readme  copy the table into README.md between the bench markers
//   --soak           only the memory soak: 20 000 load requests after 2 000 of warm-up, RSS and
//                    heapUsed every 250 ms, peak over requests 11 000-20 000 against 1 000-10 000
// Runs from dist/, which it first rebuilds when a source changed since (test/support/dist-freshness.mjs:
// a few ms of stat calls, where a no-op `tsc --incremental` took ~5 s).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { buildDist, staleReason } from '../test/support/dist-freshness.mjs';
import { CLI, PINNING, ROOT, pinSelf, runNode, startHandlerProcess, startWorker } from './lib/processes.mjs';
import { median, pairedRatio } from './lib/stats.mjs';
import { writeSuite } from './lib/suite.mjs';
import { renderBench, replaceReadmeSection } from './lib/table.mjs';

const { values: flags } = parseArgs({
  options: {
    soak: { type: 'boolean', default: false },
    'update-readme': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '500' },
    'reuse-rounds': { type: 'string', default: '3' },
    'skip-selftest': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(flags.rounds);
const REQUESTS = Number(flags.requests);
// Warm-up requests per worker, once (half at concurrency 1, half at 16); not measured.
const WARMUP = 150;
const REUSE_ROUNDS = Number(flags['reuse-rounds']);
const LIMIT_MS = 180_000;
const HOOK = new URL('./lib/cpu-hook.mjs', import.meta.url).href;

// The build counts against the limit too: a user's `npm run bench` waits for it.
const benchStart = performance.now();
const stale = staleReason(ROOT);
if (stale !== undefined) {
  process.stderr.write(`building dist/ (${stale})\n`);
  const { code, output } = await buildDist(ROOT);
  if (code !== 0) {
    process.stderr.write(`${output}\nthe build failed (tsc exited ${code}): fix the errors above and run the bench again\n`);
    process.exit(1);
  }
}
pinSelf();
const tmp = mkdtempSync(join(os.tmpdir(), 'cosigner-sim-bench-'));
const kitDir = join(tmp, 'kit');
const log = (s) => process.stderr.write(`${s}\n`);
const elapsed = () => `${((performance.now() - benchStart) / 1000).toFixed(0)} s`;

const handler = await startHandlerProcess({ kitDir });
const target = ['--url', handler.url, '--option', '4', '--kit', kitDir];
let failed = false;

/** The soak's `cosigner-sim load` child, a process of its own sampled from inside by the preload hook (startup and warm-up excluded). */
async function loadRun({ concurrency, requests, warmup, soak = false }) {
  const hookOut = join(tmp, `hook-${process.hrtime.bigint()}.json`);
  const report = join(tmp, 'load-report.json');
  // --mix tx.signing:1: the baseline's request (a signing-stage tx); load's default mixes stages.
  const args = ['--import', HOOK, CLI, 'load', ...target, '--concurrency', String(concurrency), '--requests', String(requests + warmup), '--mix', 'tx.signing:1', '--reporter', `json:${report}`];
  const r = await runNode(args, { env: { BENCH_HOOK_OUT: hookOut, BENCH_WARMUP: String(warmup), ...(soak ? { BENCH_SOAK: '1' } : {}) }, allowFail: true });
  const hook = JSON.parse(readFileSync(hookOut, 'utf8'));
  const json = JSON.parse(readFileSync(report, 'utf8'));
  return { cpuUs: hook.cpuUs, wallMs: hook.wallMs, requests, failures: json.counts.failed + json.counts.dropped, code: r.code, samples: hook.samples };
}

if (flags.soak) {
  // Closed loop at 16: the most garbage per second the client makes; 2 000 warm-up requests first.
  log(`soak: 22 000 requests at concurrency 16 against ${handler.url}`);
  const run = await loadRun({ concurrency: 16, requests: 20_000, warmup: 2_000, soak: true });
  const peak = (from, to, key) => {
    const inRange = run.samples.filter((s) => s.measured >= from && s.measured <= to);
    if (inRange.length === 0) throw new Error(`soak: no memory sample between requests ${from} and ${to} (${run.samples.length} samples in all)`);
    return Math.max(...inRange.map((s) => s[key]));
  };
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const rows = ['rss', 'heapUsed'].map((key) => {
    const first = peak(1_000, 10_000, key);
    const second = peak(11_000, 20_000, key);
    return { key, first, second, growth: second / first - 1 };
  });
  await handler.close();
  rmSync(tmp, { recursive: true, force: true });
  console.log(`soak · ${run.samples.length} samples · ${run.failures} failed · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log('| memory | peak, requests 1 000-10 000 | peak, requests 11 000-20 000 | growth | target |');
  console.log('|---|---:|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.key} | ${mb(r.first)} | ${mb(r.second)} | ${(r.growth * 100).toFixed(1)} % | ${r.key === 'rss' ? 'within 10 %' : 'reported'} |`);
  const rss = rows[0];
  if (run.failures > 0 || !(Math.abs(rss.growth) <= 0.1)) process.exitCode = 1;
  console.log(`bench wall time ${elapsed()}`);
  process.exit();
}

// ---- (a), (b), (d): ABAB rounds per concurrency --------------------------------------------
// One long-lived worker per subject (bench/client-worker.mjs), warmed up once, then driven in
// alternation: baseline, library, load, baseline, library, load... The ratio subjects (library
// and load, fresh TLS) run ROUNDS times; load --reuse-connections, whose ratio is no target, the
// median of REUSE_ROUNDS.
const SUBJECTS = [
  { figure: '(a) baseline (node built-ins)', subject: 'baseline', baseline: true },
  { figure: '(b) library sendTx', subject: 'library' },
  { figure: '(d) load, fresh TLS', subject: 'load' },
  { figure: '(d) load, --reuse-connections', subject: 'load-reuse', rounds: REUSE_ROUNDS },
];
const workers = await Promise.all(
  SUBJECTS.map((s) => startWorker([join(ROOT, 'bench/client-worker.mjs'), '--subject', s.subject, '--url', handler.url, '--kit', kitDir, '--warmup', String(WARMUP), '--tmp', tmp])),
);
log(`workers warm (${elapsed()})`);
const requestRows = [];
const measured = {};
for (const concurrency of [1, 16]) {
  const runs = SUBJECTS.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of SUBJECTS.entries()) {
      if (round >= (s.rounds ?? ROUNDS)) continue;
      const r = await workers[i].run({ requests: REQUESTS, concurrency });
      if (r.failures > 0) {
        failed = true;
        log(`${s.figure} at ${concurrency}: ${r.failures} failed requests ${r.firstFailure ?? ''}`);
      }
      runs[i].push({ cpuPerReq: r.cpuUs / 1000 / r.requests, rps: r.requests / (r.wallMs / 1000), busy: r.cpuUs / 1000 / r.wallMs });
    }
    log(`concurrency ${concurrency}, round ${round + 1}/${ROUNDS} done (${elapsed()})`);
  }
  const base = runs[0];
  for (const [i, s] of SUBJECTS.entries()) {
    const busy = median(runs[i].map((x) => x.busy));
    const row = {
      figure: s.figure,
      concurrency,
      cpuMsPerRequest: median(runs[i].map((x) => x.cpuPerReq)),
      rps: median(runs[i].map((x) => x.rps)),
      busy,
      // Saturated: the client's core (a single-threaded process) is at least 90 % busy.
      saturated: busy >= 0.9,
      // Paired by round: the subject's run against the baseline run of the same round.
      ...(s.baseline ? {} : { cpuRatio: pairedRatio(runs[i].map((x) => x.cpuPerReq), base.map((x) => x.cpuPerReq)), rpsRatio: pairedRatio(runs[i].map((x) => x.rps), base.map((x) => x.rps)) }),
    };
    requestRows.push(row);
    measured[`${s.figure}@${concurrency}`] = row;
  }
}
for (const w of workers) w.close();

// ---- (c) the 1 000-scenario suite ---------------------------------------------------------
const suiteDir = writeSuite(join(tmp, 'suite'));
async function suiteRun(concurrency) {
  const r = await runNode([CLI, 'run', suiteDir, ...target, '--concurrency', String(concurrency), '--reporter', `json:${join(tmp, 'run.json')}`], { allowFail: true });
  if (r.code !== 0) {
    failed = true;
    log(`suite at concurrency ${concurrency} exited ${r.code}: ${r.stderr.slice(-500)}`);
  }
  return r.wallMs;
}
const suite4 = median([await suiteRun(4), await suiteRun(4), await suiteRun(4)]);
const suite1 = await suiteRun(1);
log(`suite done (${elapsed()})`);

// ---- (e) cold start -------------------------------------------------------------------------
const cold = { bare: [], version: [], help: [] };
for (let i = 0; i < 10; i++) {
  // Interleaved, so that machine drift hits all three alike.
  cold.bare.push((await runNode(['-e', '0'])).wallMs);
  cold.version.push((await runNode([CLI, '--version'])).wallMs);
  cold.help.push((await runNode([CLI, '--help'])).wallMs);
}
const bare = median(cold.bare);
const version = median(cold.version);
const help = median(cold.help);

// ---- (f) conformance battery and selftest: one run each ------------------------------------
const conformance = await runNode([CLI, 'conformance', ...target, '--reporter', `json:${join(tmp, 'conformance.json')}`], { allowFail: true });
if (conformance.code !== 0) {
  failed = true;
  log(`conformance exited ${conformance.code}`);
}
const selftest = flags['skip-selftest'] ? undefined : await runNode([CLI, 'selftest', '--reporter', `json:${join(tmp, 'selftest.json')}`], { allowFail: true, side: 'all' });
if (selftest && selftest.code !== 0) {
  failed = true;
  log(`selftest exited ${selftest.code}`);
}
await handler.close();
rmSync(tmp, { recursive: true, force: true });

// ---- the table and the targets ---------------------------------------------------------------
const wallRows = [
  { figure: '(c) run, 1 000 scenarios, --concurrency 4 (median of 3)', wallMs: suite4, target: 'under 10 s' },
  { figure: '(c) run, 1 000 scenarios, --concurrency 1', wallMs: suite1 },
  { figure: '(e) `cosigner-sim --version` (median of 10)', wallMs: version, beside: `\`node -e 0\`: ${bare.toFixed(0)} ms (+${(version - bare).toFixed(0)} ms)`, target: 'within 60 ms of `node -e 0`' },
  { figure: '(e) `cosigner-sim --help` (median of 10)', wallMs: help, beside: `+${(help - bare).toFixed(0)} ms` },
  { figure: '(f) conformance battery, option 4 (one run)', wallMs: conformance.wallMs },
  ...(selftest ? [{ figure: '(f) selftest (one run, every core: it runs its handlers in-process)', wallMs: selftest.wallMs }] : []),
];
const lib1 = measured['(b) library sendTx@1'];
const lib16 = measured['(b) library sendTx@16'];
const load1 = measured['(d) load, fresh TLS@1'];
const load16 = measured['(d) load, fresh TLS@16'];
const within = (row, limit) => row.cpuRatio.median <= limit;
const verdicts = [
  { met: within(lib1, 1.15) && within(lib16, 1.15), text: `library client CPU per request within 1.15× the baseline's (${lib1.cpuRatio.median.toFixed(2)}× at 1, ${lib16.cpuRatio.median.toFixed(2)}× at 16)` },
  { met: within(load1, 1.15) && within(load16, 1.15), text: `load client CPU per request within 1.15× the baseline's (${load1.cpuRatio.median.toFixed(2)}× at 1, ${load16.cpuRatio.median.toFixed(2)}× at 16)` },
  { met: load1.rpsRatio.median >= 0.95, text: `load sequential throughput at least 0.95× the baseline's, fresh TLS (${load1.rpsRatio.median.toFixed(2)}×)` },
  { met: suite4 < 10_000, text: `1 000-scenario suite under 10 s at --concurrency 4 (${(suite4 / 1000).toFixed(1)} s)` },
  { met: version - bare <= 60, text: `--version within 60 ms of node -e 0 (+${(version - bare).toFixed(0)} ms)` },
];
const wallMs = performance.now() - benchStart;
const pin = PINNING ? `handler pinned to core ${PINNING.handler}, clients to core ${PINNING.client}` : 'not pinned (taskset or a second core missing)';
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'} · Node ${process.version} · ${pin} · load average ${os.loadavg()[0].toFixed(1)} at the end · one warm client process per subject, ${ROUNDS} ABAB rounds of ${REQUESTS} requests (--reuse-connections: ${REUSE_ROUNDS}) · ${new Date().toISOString().slice(0, 10)} · bench wall time ${(wallMs / 1000).toFixed(0)} s`;
const block = renderBench({ machine, requestRows, wallRows, verdicts });
console.log(block);
if (flags['update-readme']) {
  const path = join(ROOT, 'README.md');
  writeFileSync(path, replaceReadmeSection(readFileSync(path, 'utf8'), block));
  log('README.md bench section updated');
}
console.log(`bench wall time ${(wallMs / 1000).toFixed(1)} s (limit ${LIMIT_MS / 1000} s)`);
if (wallMs > LIMIT_MS) {
  console.log('the bench took longer than 180 s: FAIL');
  failed = true;
}
process.exitCode = failed ? 1 : 0;
