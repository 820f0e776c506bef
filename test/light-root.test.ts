/**
 * `import 'cosigner-sim'` stays light, proven by what Node resolves rather than by reading import
 * lines: a child `node --import` registers a resolve hook (test/fixtures/light-root/) that records
 * every module the entry pulls in, through the package's own exports map (the package imports
 * itself by name). The heavy parts (servers, the zoo, the scenario parser and its schema validator,
 * certificate generation, the HTTP client) must be absent until used.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildCli, ROOT } from './cli.global-setup.js';

const RECORDER = join(ROOT, 'test', 'fixtures', 'light-root', 'record-resolve.mjs');
/** What the root must not load: each one is a package a user may not need. */
const HEAVY_PACKAGES = ['undici', 'ajv', 'yaml', 'selfsigned', '@peculiar/x509', 'msw', 'testcontainers'] as const;
/** The folders of dist/ that the root must not reach. */
const HEAVY_FOLDERS = ['reference', 'selftest', 'conformance', 'suite', 'runner', 'targets', 'cli'] as const;
/** Recorded between two phases of one script, to tell what the import loaded from what use loaded. */
const MARK = 'data:text/javascript,export{}//cosigner-sim-mark';

interface Resolved {
  specifier: string;
  url: string;
}

let work: string;
let runs = 0;

beforeAll(async () => {
  if (!inject('cosignerSimBuilt')) await buildCli();
  work = mkdtempSync(join(tmpdir(), 'cosigner-sim-light-root-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Run an ES module script in a child node from the repository root and return what it resolved, in order. */
async function resolvedBy(script: string): Promise<Resolved[]> {
  const log = join(work, `resolve-${runs++}.jsonl`);
  const env: NodeJS.ProcessEnv = { ...process.env, COSIGNER_SIM_RESOLVE_LOG: log };
  // vitest's own loader settings must not leak into the child.
  delete env['NODE_OPTIONS'];
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', RECORDER, '--input-type=module', '-e', script], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  expect(stderr, 'the child script failed').toBe('');
  expect(code).toBe(0);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Resolved);
}

/** Which of the heavy packages and dist folders a list of resolutions touched. */
function heavy(resolved: readonly Resolved[]): string[] {
  const hits = new Set<string>();
  for (const { specifier, url } of resolved) {
    for (const name of HEAVY_PACKAGES) {
      if (specifier === name || specifier.startsWith(`${name}/`) || url.includes(`/node_modules/${name}/`)) hits.add(name);
    }
    for (const folder of HEAVY_FOLDERS) if (url.includes(`/dist/simulator/${folder}/`)) hits.add(`simulator/${folder}/`);
  }
  return [...hits].sort();
}

describe('a light root entry', () => {
  it('importing cosigner-sim loads none of the reference server, zoo, suite, ajv, yaml, selfsigned, @peculiar/x509, undici, msw or testcontainers', async () => {
    const resolved = await resolvedBy(`await import('cosigner-sim');`);
    // The recorder saw the entry itself and the client (an empty record would pass anything).
    expect(resolved.map((r) => r.url)).toEqual(expect.arrayContaining([expect.stringMatching(/\/dist\/simulator\/index\.js$/), expect.stringMatching(/\/dist\/simulator\/client\/cosigner\.js$/)]));
    expect(heavy(resolved)).toEqual([]);
  });

  it('cosigner-sim/matchers is light too: matchers never load transport, servers or parsers', async () => {
    const resolved = await resolvedBy(`await import('cosigner-sim/matchers');`);
    expect(resolved.some((r) => r.url.endsWith('/dist/matchers/index.js'))).toBe(true);
    expect(heavy(resolved)).toEqual([]);
  });

  it('the recorder catches heavy imports: cosigner-sim/suite loads yaml', async () => {
    // Not ajv: the scenario validator is compiled ahead (suite/scenario-validator.generated.ts).
    const found = heavy(await resolvedBy(`await import('cosigner-sim/suite');`));
    expect(found).toEqual(expect.arrayContaining(['yaml', 'simulator/suite/', 'simulator/runner/']));
  });

  it('selfsigned loads on the first generateKit and undici on the first send, not before', async () => {
    const resolved = await resolvedBy(`
      const { createCosigner, generateKit } = await import('cosigner-sim');
      await import(${JSON.stringify(MARK)});
      const kit = await generateKit();
      // Port 1 on the loopback: nothing listens, so the exchange ends at once as a connect failure.
      const res = await createCosigner({ url: 'http://127.0.0.1:1/cb', option: 1, kit }).sendTx();
      if (res.checks.find((c) => c.id === 'connect')?.status !== 'fail') throw new Error('expected a connect failure');
    `);
    const mark = resolved.findIndex((r) => r.specifier === MARK);
    expect(mark).toBeGreaterThan(0);
    expect(heavy(resolved.slice(0, mark))).toEqual([]);
    expect(heavy(resolved.slice(mark))).toEqual(expect.arrayContaining(['selfsigned', 'undici']));
  });
});
