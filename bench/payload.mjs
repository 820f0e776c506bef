#!/usr/bin/env node
// Client CPU to build and serialize one request payload (issue 14: the library's share of a
// request's CPU beside bench/baseline.mjs, which builds one object literal and JSON.stringify).
// Per case, in a fresh node pinned to the client core: CPU per call (process.cpuUsage) over the
// first 3000 calls ("first", JIT warm-up included: what a run of a few thousand requests meets)
// and over 3000 calls after 6000 more ("steady"); the median of --runs processes.
//
// Usage: node bench/payload.mjs [--runs 5] [--root DIR]
//   --root DIR  measure another checkout's dist/ (e.g. the main branch's) for a before/after
// Needs dist/ (npx tsc -p tsconfig.build.json).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeArgv, PINNING, ROOT } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';

const N = 3000;
const CASES = {
  'factory.tx() (latest)': ({ f }) => f.tx({}, { cosigner: 1 }),
  'factory.tx() + faithful (latest)': ({ f, s }) => s(f.tx({}, { cosigner: 1 }).payload, 'faithful'),
  'serialize faithful (latest tx)': ({ s, built }) => s(built.payload, 'faithful'),
  'factory.tx() + faithful (sgx@3.3.0)': ({ old, s }) => s(old.tx().payload, 'faithful'),
  'tx, 3 EXCHANGE + overrides + faithful': ({ f, s }) =>
    s(f.tx({ stage: 'approval', destType: 'EXCHANGE', destinations: 3, payload: { amountStr: '2.5', 'destinations.1.dstName': 'Z' } }).payload, 'faithful'),
  'configChange() + faithful': ({ f, s }) => s(f.configChange().payload, 'faithful'),
  "configChange('EXCHANGE') + faithful": ({ f, s }) => s(f.configChange({ type: 'EXCHANGE' }).payload, 'faithful'),
};

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = flag('root') ?? ROOT;

const cpuMs = (since) => {
  const t = process.cpuUsage(since);
  return (t.user + t.system) / 1000;
};

async function child(name) {
  const dist = (p) => pathToFileURL(`${root}/dist/simulator/${p}`).href;
  const { resolveProfile } = await import(dist('index.js'));
  const { createRequestFactory, serializePayload } = await import(dist('protocol/index.js'));
  const f = createRequestFactory({ seed: 1, profile: resolveProfile('latest') });
  const ctx = { f, old: createRequestFactory({ seed: 1, profile: resolveProfile('sgx@3.3.0') }), s: serializePayload, built: f.tx() };
  const run = CASES[name];
  let t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) run(ctx);
  const first = cpuMs(t0) / N;
  for (let i = 0; i < 2 * N; i++) run(ctx);
  t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) run(ctx);
  process.stdout.write(JSON.stringify({ first, steady: cpuMs(t0) / N }));
}

function main() {
  const runs = Number(flag('runs') ?? 5);
  const self = fileURLToPath(import.meta.url);
  console.log(`${root} · Node ${process.version} · ${PINNING ? `pinned to core ${PINNING.client}` : 'not pinned'} · median of ${runs} processes, ms per call`);
  console.log(`${'case'.padEnd(40)} ${'first 3000'.padStart(10)} ${'steady'.padStart(8)}`);
  for (const name of Object.keys(CASES)) {
    const results = [];
    for (let r = 0; r < runs; r++) {
      const [cmd, cmdArgs] = nodeArgv('client', [self, '--case', name, '--root', root]);
      const out = spawnSync(cmd, cmdArgs, { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      results.push(JSON.parse(out.stdout));
    }
    const fmt = (k) => median(results.map((x) => x[k])).toFixed(4);
    console.log(`${name.padEnd(40)} ${fmt('first').padStart(10)} ${fmt('steady').padStart(8)}`);
  }
}

if (flag('case') === undefined) main();
else await child(flag('case'));
