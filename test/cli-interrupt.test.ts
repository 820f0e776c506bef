import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO, StopSignal } from '../simulator/cli/io.js';
import { runCli } from '../simulator/cli/program.js';
import { generateKit } from '../simulator/keys/generate.js';
import { writeKit } from '../simulator/keys/kit.js';
import { CLI_BIN, ROOT } from './cli.global-setup.js';
import { xmlProblems } from './fixtures/cli/well-formed-xml.js';

/*
 * A run cut short by SIGINT/SIGTERM: the real bin killed mid-suite, and in-process runs whose
 * CliIO delivers a signal when the first result line is printed. Every time: the JSON, JUnit (and,
 * for the bin, CTRF) files parse, hold the scenarios that ran, list the rest as not run, and the exit code is
 * 128 + the signal number.
 */

const SLOW = 8;
let tmp: string;
let kitDir: string;
/** SLOW scenarios that each take about 400 ms: RETRY once, wait, re-send, APPROVE. */
let slowFile: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-interrupt-'));
  kitDir = join(tmp, 'kit');
  writeKit(await generateKit(), kitDir);
  slowFile = join(tmp, 'slow.yaml');
  const one = (i: number) =>
    [`- name: slow ${i}`, '  retry: { max: 1, interval: 400ms }', '  request:', '    type: tx', '    payload:', '      externalTxId: csim-retry-1', '  expect:', '    action: APPROVE'].join('\n');
  writeFileSync(slowFile, `${Array.from({ length: SLOW }, (_, i) => one(i + 1)).join('\n\n')}\n`);
}, 60_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface JsonReport {
  ok: boolean;
  summary: { total: number; passed: number; notRun?: number; interrupted?: string };
  scenarios: { name: string; status: string }[];
  notRun?: { name: string; status: string; reason: string; option: number }[];
}

interface CtrfReport {
  reportFormat: string;
  results: { summary: { tests: number; passed: number; skipped: number; extra?: { notRun?: number; interrupted?: string } }; tests: { name: string; status: string; rawStatus?: string; message?: string }[] };
}

// The CTRF schema committed with its source (test/fixtures/ctrf/README.md); formats are not
// validated (ajv-formats is not a dependency), as in test/ctrf-report.test.ts.
const ctrfSchema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ctrf', 'ctrf-schema-0.0.json'), 'utf8')) as Record<string, unknown>;
const validateCtrf = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(ctrfSchema);

/** The CTRF file, held to the JSON one: every planned scenario is a test, the not-run ones skipped as not run. */
function readCtrf(file: string, ran: string[], notRun: string[], signal: string): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as CtrfReport;
  expect(validateCtrf(doc) ? '' : JSON.stringify(validateCtrf.errors)).toBe('');
  expect(doc.reportFormat).toBe('CTRF');
  expect(doc.results.tests.map((t) => t.name)).toEqual([...ran, ...notRun]);
  expect(doc.results.summary.tests).toBe(ran.length + notRun.length);
  const skippedAsNotRun = doc.results.tests.filter((t) => t.status === 'skipped' && t.rawStatus === 'not-run' && t.message === `not run: the run was interrupted (${signal})`);
  expect(skippedAsNotRun.map((t) => t.name)).toEqual(notRun);
  expect(doc.results.summary.extra?.notRun).toBe(notRun.length);
  expect(doc.results.summary.extra?.interrupted).toBe(signal);
}

/** Parse both report files and hold them to each other: what ran plus what did not is the plan. */
function readReports(json: string, junit: string, planned: string[]): { doc: JsonReport; xml: string; ran: string[]; notRun: string[] } {
  const doc = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
  const xml = readFileSync(junit, 'utf8');
  expect(xmlProblems(xml)).toEqual([]);
  const ran = doc.scenarios.map((s) => s.name);
  const notRun = (doc.notRun ?? []).map((n) => n.name);
  expect([...ran, ...notRun]).toEqual(planned);
  expect(doc.summary.total).toBe(ran.length);
  expect(doc.summary.notRun).toBe(notRun.length);
  expect(doc.ok).toBe(false);
  // JUnit: every planned scenario is a testcase; exactly the not-run ones are skipped as not run.
  const cases = [...xml.matchAll(/<testcase name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({ name: m[1]!, body: m[3] ?? '' }));
  expect(cases.map((c) => c.name).sort()).toEqual([...planned].sort());
  expect(cases.filter((c) => /<skipped message="not run: the run was interrupted/.test(c.body)).map((c) => c.name).sort()).toEqual([...notRun].sort());
  expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${planned.length}"[^>]*skipped="${notRun.length}"`));
  return { doc, xml, ran, notRun };
}

describe('the real bin, killed mid-suite', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: both report files are whole, hold what ran, list the rest as not run; exit %i', async (signal, code) => {
    const dir = mkdtempSync(join(tmp, `bin-${signal}-`));
    const json = join(dir, 'out', 'report.json');
    const junit = join(dir, 'out', 'report.xml');
    const ctrf = join(dir, 'out', 'ctrf.json');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    delete env['GITHUB_STEP_SUMMARY'];
    const child = spawn(process.execPath, [CLI_BIN, 'run', slowFile, '--kit', kitDir, '--reporter', `json:${json}`, '--reporter', `junit:${junit}`, '--reporter', `ctrf:${ctrf}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Mid-suite: right after the first result line, while the second scenario waits to re-send.
      if (!sent && /✓ slow 1/.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    const exit = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    expect(sent, stdout + stderr).toBe(true);
    expect(exit, stderr).toBe(code);
    expect(stderr).toContain(`[cosigner-sim] ${signal}: starting no further scenario`);
    const planned = Array.from({ length: SLOW }, (_, i) => `slow ${i + 1}`);
    const { doc, ran, notRun } = readReports(json, junit, planned);
    readCtrf(ctrf, ran, notRun, signal);
    // The scenario in flight when the signal came finished; none started after it.
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(ran.length).toBeLessThan(SLOW);
    expect(doc.summary.passed).toBe(ran.length);
    expect(doc.summary.interrupted).toBe(signal);
    expect(doc.notRun?.every((n) => n.status === 'not-run' && n.reason === `not run: the run was interrupted (${signal})`)).toBe(true);
    // The pretty summary says so; no temporary file is left beside the reports.
    expect(stdout).toMatch(new RegExp(`${SLOW - ran.length} not run \\(${ran.length} of ${SLOW}, interrupted: ${signal}\\)`));
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['ctrf.json', 'report.json', 'report.xml']);
  }, 60_000);
});

describe('the real bin, a second signal', () => {
  it('quits at once with the code of the signal, and leaves no report file at all rather than half of one', async () => {
    const dir = mkdtempSync(join(tmp, 'bin-twice-'));
    const json = join(dir, 'report.json');
    const junit = join(dir, 'report.xml');
    // A report an earlier run left: removed at the start, so CI cannot mistake it for this run's.
    writeFileSync(junit, '<testsuites tests="1" failures="0"/>\n');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    delete env['GITHUB_STEP_SUMMARY'];
    const child = spawn(process.execPath, [CLI_BIN, 'run', slowFile, '--kit', kitDir, '--reporter', `json:${json}`, '--reporter', `junit:${junit}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && /✓ slow 1/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // The first signal was taken (the notice is printed); the running scenario still waits about 400 ms.
      if (/SIGINT: starting no further scenario/.test(stderr)) child.kill('SIGTERM');
    });
    const started = performance.now();
    const exit = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    expect(sent, stdout + stderr).toBe(true);
    expect(exit, stderr).toBe(143);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(stdout).not.toMatch(/Scenarios\s+\d+ passed/);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

/** An in-memory CliIO that delivers `signal` once stdout or stderr has printed text matching `when`. */
function interruptingIO(signal: StopSignal, when: RegExp, env: Record<string, string> = {}): { io: CliIO; out: () => string; err: () => string; listening: () => number } {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<(s: StopSignal) => void>();
  let fired = false;
  // The human lines go to stderr when a machine reporter owns stdout: watch both.
  const check = () => {
    if (!fired && (when.test(stdout) || when.test(stderr))) {
      fired = true;
      for (const l of [...listeners]) l(signal);
    }
  };
  const io: CliIO = {
    stdout: { write: (s: string) => void ((stdout += s), check()) },
    stderr: { write: (s: string) => void ((stderr += s), check()) },
    env: { NO_COLOR: '1', ...env },
    cwd: ROOT,
    onSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { io, out: () => stdout, err: () => stderr, listening: () => listeners.size };
}

describe('in-process: the signal comes through CliIO.onSignal', () => {
  it('run: SIGTERM after the first result → exit 143, reports of what ran, the handler closed, the listener removed', async () => {
    const dir = mkdtempSync(join(tmp, 'inproc-'));
    const json = join(dir, 'r.json');
    const junit = join(dir, 'r.xml');
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const t = interruptingIO('SIGTERM', /✓ /, { GITHUB_STEP_SUMMARY: summary });
    const code = await runCli(['run', 'scenarios/', '--kit', kitDir, '--reporter', `json:${json}`, '--reporter', `junit:${junit}`, '--reporter', 'github'], t.io);
    expect(code, t.err()).toBe(143);
    const written = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    // concurrency 1: the signal lands before the second scenario starts.
    expect(written.scenarios).toHaveLength(1);
    const { doc, notRun } = readReports(json, junit, [...written.scenarios, ...(written.notRun ?? [])].map((n) => n.name));
    expect(notRun.length).toBeGreaterThan(5);
    expect(doc.summary.interrupted).toBe('SIGTERM');
    expect(t.listening()).toBe(0);
    // The embedded handler was closed: its port refuses connections now.
    const url = new URL(/embedded reference handler (https:\/\/\S+)/.exec(t.err())![1]!);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => (socket.destroy(), resolve('connected')));
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    // The github reporter: one annotation for the interrupt, one appended summary after the earlier step's.
    expect(t.out()).toContain(`::error title=cosigner-sim%3A interrupted (SIGTERM)::${notRun.length} scenario(s) not run: the run was interrupted (SIGTERM)`);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n### ❌ cosigner-sim: 1 passed, 0 failed')).toBe(true);
    expect(md).toContain(`, ${notRun.length} not run (1) · interrupted (SIGTERM)`);
  }, 60_000);

  it('run --option all: no further option starts after the signal; its scenarios are listed not run under their option', async () => {
    const dir = mkdtempSync(join(tmp, 'inproc-all-'));
    const json = join(dir, 'r.json');
    const t = interruptingIO('SIGINT', /✓ /);
    const code = await runCli(['run', join(ROOT, 'test', 'fixtures', 'cli', 'pass.yaml'), '--kit', kitDir, '--option', 'all', '--reporter', `json:${json}`], t.io);
    expect(code, t.err()).toBe(130);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as JsonReport & { targets: unknown[] };
    expect(doc.targets).toHaveLength(1);
    const names = ['small transfer is signed', 'transfer to an unknown address is rejected', 'only for option 4 <pinned> & "JWT"'];
    expect(doc.scenarios.map((x) => x.name)).toEqual([`${names[0]} [option 1]`]);
    const expected = [1, 2, 3, 4, 5].flatMap((n) => names.map((name) => ({ name: `${name} [option ${n}]`, option: n }))).slice(1);
    expect(doc.notRun?.map((n) => ({ name: n.name, option: n.option }))).toEqual(expected);
  }, 60_000);

  it('conformance: SIGINT after the first probe → exit 130, the rest of the battery not run', async () => {
    const dir = mkdtempSync(join(tmp, 'inproc-conf-'));
    const json = join(dir, 'r.json');
    const junit = join(dir, 'r.xml');
    const t = interruptingIO('SIGINT', /✓ /);
    const code = await runCli(['conformance', '--kit', kitDir, '--option', '4', '--reporter', `json:${json}`, '--reporter', `junit:${junit}`], t.io);
    expect(code, t.err()).toBe(130);
    const { PROBES } = await import('../simulator/conformance/index.js');
    const { ran, notRun } = readReports(json, junit, PROBES.map((p) => p.id));
    expect(ran).toEqual(['forgery/positive-control']);
    expect(notRun).toHaveLength(PROBES.length - 1);
  }, 60_000);

  it('send: a signal during the exchange still reports it, exit 130', async () => {
    const t = interruptingIO('SIGINT', /send tx/);
    const code = await runCli(['send', 'tx', '--kit', kitDir, '--option', '4'], t.io);
    expect(code, t.err()).toBe(130);
    expect(t.out()).toMatch(/✓ send tx \(signing\)/);
    expect(t.err()).toContain('[cosigner-sim] SIGINT: starting no further scenario');
  }, 60_000);

  it('without a signal nothing changes: exit 0, no interrupted field, no not-run list', async () => {
    const dir = mkdtempSync(join(tmp, 'inproc-none-'));
    const json = join(dir, 'r.json');
    const t = interruptingIO('SIGINT', /never printed/);
    const code = await runCli(['run', join(ROOT, 'test', 'fixtures', 'cli', 'pass.yaml'), '--kit', kitDir, '--reporter', `json:${json}`], t.io);
    expect(code, t.err()).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    expect(doc.ok).toBe(true);
    expect(doc.summary.interrupted).toBeUndefined();
    expect(doc.notRun).toBeUndefined();
    expect(t.listening()).toBe(0);
  }, 60_000);
});
