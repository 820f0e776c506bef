#!/usr/bin/env node
// Builds `cosigner-sim-reference:test`, the reference handler as a Docker image, without any
// registry (none is reachable where the tests run):
//   1. `docker import` of a root filesystem that holds only the host's `node` binary, the
//      libraries `ldd` lists for it and the dynamic loader: the base image (cosigner-sim-node:<hash>);
//   2. `docker build` FROM that base, adding dist/, the production node_modules and
//      test/fixtures/targets/handler.mjs (the same handler `--start` tests run), which serves on
//      $PORT from the COSIGNER_SIM_* variables alone.
// Both steps are skipped when an image with the same content hash (a label) exists already, so a
// second run costs one `docker image inspect`. Prints the image name and what it did.
//
// Usage: node test/support/build-handler-image.mjs [--force]   (needs dist/: npx tsc -p tsconfig.build.json)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const IMAGE = 'cosigner-sim-reference:test';
const LABEL = 'cosigner-sim.content';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HANDLER = 'test/fixtures/targets/handler.mjs';

function docker(args, input) {
  return execFileSync('docker', args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** The label of an image, or undefined when there is no such image. */
function labelOf(image) {
  const r = spawnSync('docker', ['image', 'inspect', '-f', `{{ index .Config.Labels "${LABEL}" }}`, image], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Every file under dir (relative paths, sorted), skipping test files: dist/ holds the compiled tests too. */
function filesUnder(dir, keep = () => true) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else if (keep(p)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The node binary and what it loads: `ldd` lines "libx.so => /path (0x…)" and "/lib64/ld-linux… (0x…)". */
function nodeFiles() {
  const node = realpathSync(process.execPath);
  const libs = execFileSync('ldd', [node], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(l)?.[1])
    .filter((p) => p !== undefined);
  return { node, libs };
}

/** The production dependencies' folders (npm's own view of them: what `npm ci --omit=dev` would install). */
function productionModules() {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && resolve(l) !== ROOT)
    .map((l) => relative(ROOT, l).replace(/^.*?node_modules[\\/]/, 'node_modules/'));
}

function hashFiles(hash, files, base = '/') {
  for (const f of files) {
    hash.update(relative(base, f)).update('\0');
    hash.update(readFileSync(f)).update('\0');
  }
}

export function buildHandlerImage({ force = false, log = (line) => console.log(line) } = {}) {
  const started = performance.now();
  if (!existsSync(join(ROOT, 'dist', 'simulator', 'index.js'))) throw new Error('build-handler-image: dist/ is missing; run npx tsc -p tsconfig.build.json first');
  const { node, libs } = nodeFiles();
  const baseHash = createHash('sha256');
  hashFiles(baseHash, [node, ...libs]);
  const base = `cosigner-sim-node:${baseHash.digest('hex').slice(0, 16)}`;

  const dist = filesUnder(join(ROOT, 'dist'), (p) => !/\.test(-d)?\.|\.d\.ts$|\.map$/.test(p));
  const modules = productionModules();
  const appHash = createHash('sha256').update(base).update('\0');
  // This script too: it writes the Dockerfile.
  hashFiles(appHash, [...dist, join(ROOT, HANDLER), fileURLToPath(import.meta.url)], ROOT);
  // The dependencies by name and version (their package.json), not by every file: fast, and a
  // new install of the same versions is the same image.
  hashFiles(appHash, modules.map((m) => join(ROOT, m, 'package.json')), ROOT);
  const content = appHash.digest('hex').slice(0, 16);
  if (!force && labelOf(IMAGE) === content) {
    log(`${IMAGE} is up to date (content ${content}), checked in ${Math.round(performance.now() - started)} ms`);
    return IMAGE;
  }

  const work = mkdtempSync(join(tmpdir(), 'csim-image-'));
  try {
    if (labelOf(base) === undefined || force) {
      // The root filesystem: node at /usr/local/bin/node, each library at the path ldd printed
      // (the loader finds them there), plus an empty /tmp for the handler's temporary files.
      const rootfs = join(work, 'rootfs');
      mkdirSync(join(rootfs, 'usr', 'local', 'bin'), { recursive: true });
      mkdirSync(join(rootfs, 'tmp'), { recursive: true });
      cpSync(node, join(rootfs, 'usr', 'local', 'bin', 'node'));
      for (const lib of libs) {
        mkdirSync(join(rootfs, dirname(lib)), { recursive: true });
        cpSync(realpathSync(lib), join(rootfs, lib));
      }
      const tar = execFileSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 512 * 1024 * 1024 });
      execFileSync('docker', ['import', '--change', `LABEL ${LABEL}=base`, '-', base], { input: tar, stdio: ['pipe', 'ignore', 'pipe'] });
      log(`imported ${base} (node ${process.version} and ${libs.length} libraries)`);
    }

    const ctx = join(work, 'context');
    for (const f of [...dist, join(ROOT, HANDLER)]) {
      const to = join(ctx, relative(ROOT, f));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(f, to);
    }
    for (const m of modules) {
      // Folders are copied whole minus their own node_modules (npm ls lists nested ones separately).
      cpSync(realpathSync(join(ROOT, m)), join(ctx, m), { recursive: true, filter: (src) => !relative(realpathSync(join(ROOT, m)), src).split(/[\\/]/).includes('node_modules') });
    }
    writeFileSync(join(ctx, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    // HOST=0.0.0.0: with bridge networking the mapped port reaches the container's interface, not
    // its loopback. Host-networking tests pass --env HOST=127.0.0.1 so nothing listens beyond it.
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [`FROM ${base}`, 'WORKDIR /app', 'COPY . /app/', 'ENV HOST=0.0.0.0 PORT=8443', 'EXPOSE 8443', `LABEL ${LABEL}=${content}`, `ENTRYPOINT ["/usr/local/bin/node", "/app/${HANDLER}"]`, ''].join('\n'),
    );
    const previous = spawnSync('docker', ['image', 'inspect', '-f', '{{.Id}}', IMAGE], { encoding: 'utf8' }).stdout?.trim();
    // The classic builder: FROM a local image needs no registry and no buildx plugin.
    execFileSync('docker', ['build', '-q', '-t', IMAGE, ctx], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    // The image the tag moved away from would stay behind, untagged, after every rebuild.
    if (previous) spawnSync('docker', ['image', 'rm', previous], { stdio: 'ignore' });
    const size = docker(['image', 'inspect', '-f', '{{.Size}}', IMAGE]).trim();
    log(`built ${IMAGE} (content ${content}, ${(Number(size) / 1e6).toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return IMAGE;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildHandlerImage({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(e.stderr?.toString() || e.message);
    process.exit(1);
  }
}
