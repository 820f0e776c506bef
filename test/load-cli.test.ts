/**
 * `cosigner-sim load` end to end, in-process, against the embedded reference handler: exit codes,
 * the JSON and GitHub reports (the Mermaid chart held against a fixture), usage errors.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeKit } from '../simulator/keys/kit.js';
import { sharedKit } from './support/shared-kit.js';
import { mermaidChart, renderLoadGithubSummary, renderBars, type LoadRunInfo } from '../simulator/cli/reporters/load.js';
import type { LoadReport } from '../simulator/load/index.js';
import { createRedactor } from '../simulator/report/index.js';
import { runInProcess as cli } from './fixtures/cli/memory-io.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'load');
const tmp = mkdtempSync(join(tmpdir(), 'csim-load-'));
const kitDir = join(tmp, 'kit');
// The run's shared kit on disk: the embedded handler would otherwise generate one (seconds).
beforeAll(async () => {
  writeKit(await sharedKit(), kitDir);
}, 60_000);

describe('cosigner-sim load', () => {
  it('exit 0 with every answer passing; the JSON report has percentiles and counts, no per-request rows', async () => {
    const hist = join(tmp, 'h.json');
    const r = await cli(['load', '--kit', kitDir, '--option', '2', '--requests', '20', '--concurrency', '2', '--mix', 'tx.signing:1,config:1', '--reporter', 'json', '--histogram-out', hist]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc).toMatchObject({ command: 'load', ok: true, failures: [], option: 2, mode: { kind: 'closed', concurrency: 2 }, stop: { requests: 20 }, mix: 'tx.signing:1,config:1', peakInFlight: 2 });
    expect(doc['counts']).toMatchObject({ sent: 20, ok: 20, failed: 0, dropped: 0, byKind: { 'tx.signing': 10, config: 10 } });
    expect(Object.keys(doc['latency'])).toEqual(['connect', 'tls', 'firstByte', 'total']);
    expect(Object.keys(doc['latency'].total)).toEqual(['count', 'p50', 'p90', 'p99', 'p999', 'max', 'min', 'mean']);
    expect(doc['latency'].total.count).toBe(20);
    // Fresh TLS by default: one handshake per request.
    expect(doc['connections']).toEqual({ reused: false, opened: 20, handshakes: 20, handshakesPerRequest: 1 });
    expect(doc['cosigners']).toBe(1);
    expect(doc['retry']).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain('requestId');
    // The human report went to stderr, as a machine reporter owns stdout; no progress line off a TTY.
    expect(r.stderr).toContain('✓ load passed');
    expect(r.stderr).not.toContain('\r');
    const h = JSON.parse(readFileSync(hist, 'utf8')) as Record<string, any>;
    expect(h['latency'].total.count).toBe(20);
    expect(h['chart'].reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(20);
  }, 30_000);

  it('exit 1 when requests fail a check, errors counted by check id; --max-error-rate 1 lets the same run pass', async () => {
    // 1 ms is shorter than any TLS handshake: every request fails as a timeout.
    const args = ['load', '--kit', kitDir, '--option', '2', '--requests', '4', '--timeout', '1ms', '--reporter', 'json'];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc['counts'].failed).toBe(4);
    expect(Object.values(doc['failedByCheck'] as Record<string, number>)).toContain(4);
    expect(doc['failures'][0]).toContain('over --max-error-rate');
    expect(r.stderr).toMatch(/failed checks\n {2}✗ \S+ {2}4×/);
    const lenient = await cli([...args, '--max-error-rate', '1']);
    expect(lenient.code, lenient.stderr).toBe(0);
  }, 30_000);

  it('--reuse-connections: fewer handshakes than requests, in the JSON and the pretty report', async () => {
    const r = await cli(['load', '--kit', kitDir, '--option', '2', '--requests', '12', '--concurrency', '2', '--reuse-connections', '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc['connections'].reused).toBe(true);
    expect(doc['connections'].handshakes).toBeGreaterThanOrEqual(1);
    expect(doc['connections'].handshakes).toBeLessThanOrEqual(2);
    expect(doc['connections'].handshakesPerRequest).toBe(doc['connections'].handshakes / 12);
    expect(doc['latency'].tls.count).toBe(doc['connections'].handshakes);
    expect(r.stderr).toMatch(/handshakes +0\.\d{3} per request \([12] of 12 requests; [12] connections? opened, reused otherwise\)/);
  }, 30_000);

  it('--mix cosigner-burst: three Co-signers burst, RETRY answers are re-sent and counted', async () => {
    // Its tx requests carry csim-retry-2: the embedded handler answers RETRY twice to each, then decides.
    const base = 'scenarios/retry.yaml#RETRY twice, then APPROVE on the second re-send';
    const r = await cli(['load', '--kit', kitDir, '--option', '2', '--mix', 'cosigner-burst', '--duration', '1s', '--base', base, '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc).toMatchObject({ preset: 'cosigner-burst', mix: 'tx.approval:2,tx.signing:2,config:1', cosigners: 3, mode: { kind: 'burst', size: 8, everyMs: 1000 } });
    const retry = doc['retry'] as Record<string, number>;
    expect(retry).toMatchObject({ maxResends: 3, backoffMs: 250, gaveUp: 0 });
    // One burst (the next is due at the run's end): 24 new requests, of which the tx ones were answered RETRY.
    const tx = doc['counts'].byKind['tx.approval'] + doc['counts'].byKind['tx.signing'] - retry['resends']!;
    expect(doc['counts'].sent).toBe(24 + retry['resends']!);
    expect(tx).toBeGreaterThanOrEqual(16);
    // Every RETRY answer was re-sent, or its re-send fell past the run's end.
    expect(retry['answers']).toBe(retry['resends']! + retry['cut']!);
    expect(retry['answers']).toBeGreaterThanOrEqual(tx);
    expect(r.stderr).toContain('bursts: 3 Co-signers × 8 requests every 1s');
    expect(r.stderr).toContain('mix cosigner-burst (tx.approval:2,tx.signing:2,config:1)');
    expect(r.stderr).toMatch(/RETRY +\d+ answers, \d+ re-sent identically \(at most 3 each, 250 ms after the answer\)/);
  }, 30_000);

  it('the github reporter appends a step summary with the Mermaid chart', async () => {
    const summary = join(tmp, 'summary.md');
    const r = await cli(['load', '--kit', kitDir, '--option', '2', '--rate', '40/s', '--duration', '300ms', '--reporter', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### ✅ cosigner-sim load: /);
    expect(md).toContain('open loop, 40/s');
    expect(md).toMatch(/```mermaid\nxychart-beta\n/);
  }, 30_000);

  it('--base: every tx request starts from the scenario (its payload, judged as usual); a base the mix never sends is exit 2', async () => {
    const base = 'scenarios/approve.yaml#transfer between two vaults is approved';
    const r = await cli(['load', '--kit', kitDir, '--option', '2', '--requests', '3', '--base', base, '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: { ok: number } }).counts.ok).toBe(3);
    const unused = await cli(['load', '--option', '2', '--requests', '3', '--base', base, '--mix', 'config']);
    expect(unused.code, unused.stderr).toBe(2);
    expect(unused.stderr).toContain('--mix config sends no tx request');
    const missing = await cli(['load', '--requests', '3', '--base', 'scenarios/approve.yaml#no such scenario']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no scenario named "no such scenario"');
  }, 30_000);

  it.each([
    [['load'], 'load needs --duration or --requests'],
    [['load', '--duration', '1s', '--requests', '3'], '--duration and --requests both bound the run'],
    [['load', '--requests', '3', '--rate', '50'], 'Invalid value for --rate: "50"'],
    [['load', '--requests', '3', '--rate', '5/s', '--concurrency', '2'], '--rate and --concurrency'],
    [['load', '--requests', '3', '--max-in-flight', '3'], '--max-in-flight bounds the open loop'],
    [['load', '--requests', '3', '--mix', 'txn:1'], 'Invalid value for --mix: "txn:1"'],
    [['load', '--requests', '3', '--mix', 'cosigner-burst', '--rate', '5/s'], '--rate does not apply to --mix cosigner-burst: it paces itself'],
    [['load', '--requests', '3', '--mix', 'cosigner-burst', '--concurrency', '4'], '--concurrency does not apply to --mix cosigner-burst'],
    [['load', '--requests', '3', '--max-error-rate', '2'], 'Invalid value for --max-error-rate'],
    [['load', '--requests', '3', '--option', 'all'], '--option all does not apply to load'],
    [['load', '--requests', '3', '--reporter', 'junit'], 'load reports figures'],
    [['load', '--requests', '0'], 'Invalid value for --requests'],
    [['load', '--requests', '2000000'], 'at most 1000000'],
    [['load', '--duration', '2h'], 'Invalid value for --duration'],
    [['load', '--duration', '0'], 'Invalid value for --duration: "0". It must be more than 0.'],
    [['load', '--requests', '3', '--warmup', '5'], 'Invalid value for --warmup: "5". Expected a duration'],
  ])('exit 2 for %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('CSIM_USAGE');
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

/** A report with fixed figures: what the chart and the summary are drawn from. */
const REPORT: LoadReport = {
  mode: { kind: 'closed', concurrency: 16 },
  stop: { requests: 5000 },
  mix: 'tx.approval:1,tx.signing:1',
  warmupMs: 0,
  durationMs: 10_000,
  cosigners: 1,
  connections: { reused: false, opened: 5000, handshakes: 5000, handshakesPerRequest: 1 },
  counts: { sent: 5000, ok: 4998, failed: 2, dropped: 0, lateStarts: 0, overDeadline: 0, warmup: 0, warmupFailed: 0, byKind: { 'tx.approval': 2500, 'tx.signing': 2500 } },
  failedByCheck: { 'request-id': 2 },
  firstFailure: { 'request-id': 'the response requestId "x" is not the request\'s "y"' },
  throughputPerSec: 500,
  peakInFlight: 16,
  meanInFlight: 15.8,
  overDeadlineShare: 0,
  latency: Object.fromEntries(['connect', 'tls', 'firstByte', 'total'].map((k, i) => [k, { count: 5000, p50: 5 + i * 10, p90: 9 + i * 10, p99: 20 + i * 10, p999: 45 + i * 10, max: 80 + i * 10, min: 1, mean: 6 + i * 10 }])) as unknown as LoadReport['latency'],
  chart: [
    { le: 10, count: 120 },
    { le: 20, count: 3100 },
    { le: 50, count: 1700 },
    { le: 100, count: 80 },
  ],
  interrupted: false,
};
const INFO: LoadRunInfo = { version: '0.0.0', option: 4, url: 'https://handler.example.com/cb', embedded: false, seed: 42, failures: ['error rate 0.04% is over --max-error-rate 0.00%'] };

describe('the load charts', () => {
  it('the Mermaid xychart-beta matches the fixture, and its syntax holds line by line', () => {
    const chart = mermaidChart(REPORT.chart);
    expect(chart).toBe(readFileSync(join(FIXTURES, 'chart.mmd'), 'utf8').trimEnd());
    const lines = chart.split('\n');
    expect(lines[0]).toBe('xychart-beta');
    expect(lines[1]).toMatch(/^ {2}title "[^"]*"$/);
    const x = /^ {2}x-axis "[^"]*" \[("[^"]*"(, "[^"]*")*)\]$/.exec(lines[2]!);
    expect(x).not.toBeNull();
    expect(lines[3]).toMatch(/^ {2}y-axis "[^"]*" \d+ --> \d+$/);
    const bar = /^ {2}bar \[(\d+(, \d+)*)\]$/.exec(lines[4]!);
    // One bar per category, and the y axis reaches the tallest bar.
    expect(bar![1]!.split(', ').length).toBe(x![1]!.split(', ').length);
    expect(Number(/--> (\d+)/.exec(lines[3]!)![1])).toBe(Math.max(...bar![1]!.split(', ').map(Number)));
    expect(mermaidChart([{ le: Infinity, count: 1 }])).toContain('[">30 s"]');
  });

  it('the GitHub step summary matches the fixture', () => {
    expect(renderLoadGithubSummary(REPORT, INFO, createRedactor(false))).toBe(readFileSync(join(FIXTURES, 'summary.md'), 'utf8'));
  });

  it('the terminal bars scale to the tallest bucket', () => {
    const bars = renderBars(REPORT.chart, 20);
    expect(bars[1]).toBe(`   ≤20 ms  3100  ${'■'.repeat(20)}`);
    expect(bars[3]).toBe('  ≤100 ms    80  ■');
  });
});
