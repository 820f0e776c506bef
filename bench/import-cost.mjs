#!/usr/bin/env node
// Install size and import cost, measured the way a user meets them: `npm pack` this checkout,
// install the tarball with --omit=dev into an empty project, count the packages it brought, then
// time `import('cosigner-sim')` in a fresh node against a bare `node -e 0`, runs interleaved so
// that machine drift hits both alike. Timed twice: with the environment as it is, and without
// NODE_EXTRA_CA_CERTS (when set, Node reads and parses that bundle at every start, which alone
// can triple a bare start, so it weighs on the ratio).
//
// Usage: node bench/import-cost.mjs [--runs 30] [--project DIR]
//   --project DIR  reuse a project that already has cosigner-sim installed (skips pack/install)
// Needs dist/ (npm run build): npm pack runs prepare, which builds it anyway.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(flag('runs') ?? 30);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function install() {
  const dir = mkdtempSync(join(os.tmpdir(), 'cosigner-sim-import-cost-'));
  const packDir = join(dir, 'pack');
  mkdirSync(packDir);
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const [{ filename, size, unpackedSize, entryCount }] = JSON.parse(out.slice(out.indexOf('[')));
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'import-cost', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', join(packDir, filename)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  return { project, tarball: { filename, size, unpackedSize, entryCount } };
}

/** Every installed package folder (a folder with a package.json), nested ones included. */
function countPackages(nodeModules) {
  let n = 0;
  if (!existsSync(nodeModules)) return 0;
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const dirs = name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((s) => join(name, s)) : [name];
    for (const d of dirs) {
      if (!existsSync(join(nodeModules, d, 'package.json'))) continue;
      n++;
      n += countPackages(join(nodeModules, d, 'node_modules'));
    }
  }
  return n;
}

function time(argv, env, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function measure(env, cwd) {
  const bare = [];
  const root = [];
  const importRoot = ['--input-type=module', '-e', "await import('cosigner-sim')"];
  // Warm the file cache so the first timed run is not a cold disk read.
  time(['-e', '0'], env, cwd);
  time(importRoot, env, cwd);
  for (let i = 0; i < RUNS; i++) {
    bare.push(time(['-e', '0'], env, cwd));
    root.push(time(importRoot, env, cwd));
  }
  return { bare: { median: median(bare), mean: mean(bare) }, root: { median: median(root), mean: mean(root) }, ratio: median(root) / median(bare) };
}

const given = flag('project');
const { project, tarball } = given ? { project: given, tarball: undefined } : install();
const packages = countPackages(join(project, 'node_modules'));
const withVar = { ...process.env };
const withoutVar = { ...process.env };
delete withoutVar.NODE_EXTRA_CA_CERTS;
const asIs = measure(withVar, project);
const bare = measure(withoutVar, project);

const f = (x) => x.toFixed(1);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${RUNS} runs each, project ${project}`);
if (tarball) console.log(`tarball ${tarball.filename}: ${(tarball.size / 1024).toFixed(0)} kB packed, ${(tarball.unpackedSize / 1024).toFixed(0)} kB unpacked, ${tarball.entryCount} files`);
console.log(`production packages installed (npm install --omit=dev <tarball>, cosigner-sim included): ${packages}`);
console.log('');
console.log('| environment | `node -e 0` median ms | `import(\'cosigner-sim\')` median ms | ratio |');
console.log('|---|---:|---:|---:|');
console.log(`| as is (NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}) | ${f(asIs.bare.median)} | ${f(asIs.root.median)} | ${asIs.ratio.toFixed(2)}× |`);
console.log(`| without NODE_EXTRA_CA_CERTS | ${f(bare.bare.median)} | ${f(bare.root.median)} | ${bare.ratio.toFixed(2)}× |`);
// The limits (issue 8): under 40 packages, and under 2x a bare start in the environment as it is.
// The figure without NODE_EXTRA_CA_CERTS is reported, not gated: it says how much of the cost is
// our own module loading once the CA bundle no longer dominates a bare start.
const missed = [packages < 40 ? '' : `${packages} packages (limit: under 40)`, asIs.ratio < 2 ? '' : `import ratio ${asIs.ratio.toFixed(2)}x as is (limit: under 2x)`].filter(Boolean);
if (missed.length > 0) console.log(`\nover the limit: ${missed.join('; ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
