/**
 * The `module` target kind (`--handler <module>`) and `upstream:` mocks, end to end over real TLS
 * on 127.0.0.1: the fixture modules in test/fixtures/targets/module/ run in the target's worker
 * thread, and msw intercepts their outbound calls there.
 *
 * The worker entry is plain JavaScript: a worker thread is outside vitest's TypeScript transform,
 * so module.ts starts dist/simulator/targets/module-worker.js even when the rest runs from the
 * sources (the e2e global setup keeps dist/ up to date). The CLI runs in-process, from the
 * sources; the worker and the fixtures (which import the reference pipeline from dist/) run built
 * code, the same code a user's install runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { writeKit } from '../simulator/keys/kit.js';
import { loadScenarios } from '../simulator/suite/index.js';
import { runScenarios } from '../simulator/runner/index.js';
import { UPSTREAM_ZOO_ENTRY } from '../simulator/selftest/zoo.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { ROOT } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { sharedKit } from './support/shared-kit.js';

const DIR = join(ROOT, 'test', 'fixtures', 'targets', 'module');
const at = (name: string) => join(DIR, name);
const PASS = join(ROOT, 'test', 'fixtures', 'cli', 'pass.yaml');

let tmp: string;
let kitDir: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-module-'));
  kitDir = join(tmp, 'kit');
  writeKit(await sharedKit(), kitDir);
});
const targets: StartedTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[]) => runInProcess([...args, '--kit', kitDir, '--no-color'], { cwd: ROOT });

interface JsonCheck {
  id: string;
  status: string;
  message?: string;
}
interface JsonResult {
  name: string;
  status: string;
  checks: JsonCheck[];
  warnings: { id: string; message: string }[];
  durationMs: number;
  response?: { action?: string };
}
async function runJson(args: string[]): Promise<{ code: number | null; results: JsonResult[]; stderr: string }> {
  const r = await cli([...args, '--reporter', 'json']);
  const doc = JSON.parse(r.stdout) as { scenarios: JsonResult[] };
  return { code: r.code, results: doc.scenarios, stderr: r.stderr };
}
const failed = (r: JsonResult) => r.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('--handler: your module, served from a worker thread over the option\'s TLS', () => {
  for (const [file, shape] of [
    ['listener.mjs', 'a Node listener'],
    ['fetch-style.mjs', 'a fetch handler'],
  ] as const) {
    for (const option of [4, 2]) {
      it(`${shape} (${file}) passes the scenarios under option ${option}`, async () => {
        const r = await cli(['run', PASS, '--handler', at(file), '--option', String(option)]);
        expect(r.stderr, r.stdout).toBe('');
        expect(r.code, r.stdout).toBe(0);
        expect(r.stdout).toMatch(/https:\/\/127\.0\.0\.1:\d+/);
        expect(r.stdout).not.toContain('embedded reference handler');
      });
    }
  }

  it('refuses what is not a handler module with exit 2, naming the file and what it exported', async () => {
    const cases: [string, RegExp][] = [
      ['returns-number.mjs', /returns-number\.mjs: createHandler\(kit\) returned number 42, which is neither a Node request listener nor a fetch handler/],
      ['no-create.mjs', /no-create\.mjs: the module has no createHandler export \(it exports makeHandler\)/],
      ['throws.mjs', /throws\.mjs: createHandler\(kit\) threw: Error: cannot reach the database/],
      ['missing.mjs', /--handler .*missing\.mjs: no such file/],
    ];
    for (const [file, message] of cases) {
      const r = await cli(['run', PASS, '--handler', at(file), '--option', '4']);
      expect(r.code, `${file}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('CSIM_TARGET_START');
    }
  });

  it('a .ts module needs tsx resolvable from its folder, else exit 2 saying npm i -D tsx', async () => {
    let tsx = true;
    try {
      createRequire(at('handler.ts')).resolve('tsx');
    } catch {
      tsx = false;
    }
    const r = await cli(['run', PASS, '--handler', at('handler.ts'), '--option', '4']);
    if (tsx) {
      // The worker starts with --import tsx; the fixture answers an empty 200, which fails checks (exit 1), not start-up.
      expect(r.code, r.stderr).toBe(1);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/a TypeScript module needs the tsx loader/);
      expect(r.stderr).toContain('npm i -D tsx');
    }
  });

  it('--handler with --url, or with --start, is exit 2: one target per run', async () => {
    for (const extra of [['--url', 'https://127.0.0.1:8443'], ['--start', 'node x.mjs', '--url', 'https://127.0.0.1:{port}']]) {
      const r = await cli(['run', PASS, '--handler', at('listener.mjs'), '--option', '4', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--handler cannot be combined with --(url|start)/);
    }
  });
});

describe('isolation: a stuck or crashing handler cannot stall the run', () => {
  it('a busy-looping request fails deadline on time, and the next scenario runs in a fresh worker; a crash is restarted and logged', async () => {
    const { code, results, stderr } = await runJson(['run', at('busy.yaml'), '--handler', at('busy.mjs'), '--option', '2', '--timeout', '2s']);
    expect(code).toBe(1);
    const [busy, next, crash, after] = results;
    expect(failed(busy!)).toContain('deadline');
    expect(Math.abs(busy!.durationMs - 2_000)).toBeLessThan(1_000);
    expect(next!.status, JSON.stringify(next)).toBe('pass');
    expect(failed(crash!)).toContain('connect');
    expect(after!.status, JSON.stringify(after)).toBe('pass');
    // A failed run prints the handler's output: the crash and the replacements are in it.
    expect(stderr).toContain('boom: the handler crashed');
    expect(stderr).toMatch(/did not answer within 200 ms after a scenario .*starting a fresh one on the same port/);
  });
});

describe('upstream: the handler\'s own outbound calls, mocked with msw inside its worker', () => {
  it('the mock decides the answer (score 12 approves, 99 rejects), a 503-then-200 sequence gives RETRY then APPROVE, an unused mock warns', async () => {
    // --concurrency 4: scenarios with upstream: still run one at a time in the worker, or the 12 and 99 mocks would answer each other's calls.
    const { code, results } = await runJson(['run', at('risk.yaml'), '--handler', at('risk.mjs'), '--option', '4', '--concurrency', '4']);
    expect(results.map((r) => `${r.name}: ${r.status} ${failed(r).join(',')}`)).toEqual([
      'a low risk score is approved: pass ',
      'a high risk score is rejected: pass ',
      'a risk API that is down at first gets RETRY, then APPROVE: pass ',
      'a mock the handler never calls warns: pass ',
    ]);
    expect(code).toBe(0);
    for (const r of results) expect(r.checks.find((c) => c.id === 'upstream')?.status).toBe('pass');
    expect(results[3]!.warnings).toEqual([expect.objectContaining({ id: 'upstream-unused', message: expect.stringContaining('POST https://allowlist.internal/addresses/*') })]);
    expect(results.slice(0, 3).flatMap((r) => r.warnings)).toEqual([]);
  });

  it('an unmatched outbound call fails upstream, naming the method and URL, even though the handler swallowed the error and approved', async () => {
    const { code, results } = await runJson(['run', at('risk-unmatched.yaml'), '--handler', at('risk.mjs'), '--option', '4']);
    expect(code).toBe(1);
    for (const r of results) {
      expect(failed(r), r.name).toEqual(['upstream']);
      const check = r.checks.find((c) => c.id === 'upstream')!;
      expect(check.message).toContain('GET http://risk.internal/score');
      expect(check.message).toContain('network error');
      // The expectation (APPROVE) held: only the outbound call gives the defect away.
      expect(r.checks.find((c) => c.id === 'expectation')?.status).toBe('pass');
    }
  });

  it('a scenario without upstream: is intercepted too: its outbound call fails upstream, and the hint says to declare it', async () => {
    const { code, results } = await runJson(['run', PASS, '--handler', at('risk.mjs'), '--option', '4']);
    expect(code).toBe(1);
    const tx = results.filter((r) => r.checks.some((c) => c.id === 'upstream' && c.status === 'fail'));
    expect(tx.length).toBeGreaterThan(0);
    for (const r of tx) {
      const check = r.checks.find((c) => c.id === 'upstream')! as JsonCheck & { hint?: string };
      expect(check.message).toContain('GET http://risk.internal/score');
      expect(check.hint).toContain('this scenario declares no upstream:');
    }
  });

  it('upstream: on a target that cannot install mocks (--url, the reference handler) is exit 2 naming the scenario, before anything is sent', async () => {
    for (const extra of [['--url', 'https://127.0.0.1:9'], []]) {
      const r = await cli(['run', at('risk.yaml'), '--option', '4', ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/risk\.yaml:2: scenario "a low risk score is approved" declares upstream: mocks/);
      expect(r.stderr).toContain('--handler');
      expect(r.stdout).not.toMatch(/connect|APPROVE/);
    }
  });

  // One JWT and one JSON option: the outbound call does not depend on the message layer, and each start loads msw in a fresh worker.
  it(`the zoo's ${UPSTREAM_ZOO_ENTRY.id} defect fails upstream and nothing else (options 4 and 2)`, async () => {
    const kit = await sharedKit();
    const module = new URL(UPSTREAM_ZOO_ENTRY.module, new URL('../dist/simulator/selftest/', import.meta.url));
    const [scenario] = await loadScenarios([at('risk-unmatched.yaml')]);
    for (const option of [4, 2] as const) {
      expect(UPSTREAM_ZOO_ENTRY.options).toContain(option);
      const target = await startTarget({ kind: 'module', module: module.pathname, option }, { kit });
      targets.push(target);
      const cosigner = createCosigner(target, { seed: 7 });
      try {
        const { results } = await runScenarios([scenario!], { cosigner, option, target });
        const failedIds = results[0]!.checks.filter((c) => c.status === 'fail').map((c) => c.id);
        expect(failedIds, `option ${option}`).toEqual([UPSTREAM_ZOO_ENTRY.breaks]);
      } finally {
        await cosigner.close();
        await target.close();
      }
    }
  });

  it("cosigner-sim's own requests never go through the global fetch, so no msw setup can answer for the simulator", () => {
    const transport = readFileSync(join(ROOT, 'simulator', 'client', 'transport.ts'), 'utf8');
    expect(transport).toMatch(/const \{ Client, request \} = await loadUndici\(\)/);
    expect(transport).not.toMatch(/(^|[^.\w])fetch\(|globalThis\.fetch/m);
  });
});
