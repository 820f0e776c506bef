import type { AddressInfo, Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { connect as netConnect } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createCosigner, type Cosigner } from '../client/cosigner.js';
import { resolveMaterial } from '../client/material.js';
import { runConformance } from '../conformance/run.js';
import { PROBES } from '../conformance/table.js';
import { InvalidArgumentError } from '../errors.js';
import { isInstalled } from '../lib/optional-import.js';
import { cachedKit } from '../keys/generate.js';
import type { Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../protocol/options.js';
import type { CallbackResult } from '../protocol/types.js';
import type { HandlerHooks } from '../reference/handler.js';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../runner/run.js';
import type { Scenario } from '../runner/types.js';
import { startTarget, type StartedTarget } from '../targets/index.js';
import { builtModule } from '../targets/module.js';
import { UNMOCKED_UPSTREAM_URL } from '../targets/module-zoo.js';
import { trustingKitRoot } from '../targets/material.js';
import { createProbeZoo, SELFTEST_DEADLINE_MS, type ProbeZooEntry } from './probe-zoo.js';
import { SelftestThreadStopped, startSelftestThread } from './thread.js';
import { createZoo, UPSTREAM_ZOO_ENTRY, type ProbeRequest, type ZooEntry } from './zoo.js';

/** One handler under one option, and what caught it. */
export interface SelftestRow {
  /** The zoo entry id (`reference` for the reference handler). */
  handler: string;
  option: SecurityOptionNumber;
  /** `check`: breaks one response check; `probe`: breaks battery probes; `correct`: must pass everything. */
  kind: 'check' | 'probe' | 'correct';
  /** What must catch it, for display: a check id, probe ids, or `pass`. */
  expected: string;
  /** The ids that must flag it, and only they ([] for a correct handler). */
  expectedIds: string[];
  /** The check ids that failed and the probe ids that failed or raised their warning. */
  caughtBy: string[];
  ok: boolean;
  durationMs: number;
  /** The thread that ran it: 0 is the calling thread, 1 and up a selftest worker thread. */
  thread: number;
}

/** A row as a job makes it, before the thread that ran it is stamped on. */
export type JobRow = Omit<SelftestRow, 'thread'>;

export interface SelftestOptions {
  /** Called once per row, in table order, as soon as it and every row before it are done. */
  onRow?: (row: SelftestRow) => void;
  /** Called as each run finishes, in any order: how many are done of how many (a progress line). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Run battery entries under every option they apply to. Default: check defects run under
   * all their options (one request each), the reference handler under all five, and every other
   * battery entry under one option (rotating through its list), which keeps the run under a minute.
   */
  allOptions?: boolean;
  /** Handlers tested at once, over all threads (default 6: most of a run waits on sockets, not on the CPU). */
  concurrency?: number;
  /**
   * Threads that run the handlers and their Co-signers: this one plus `threads - 1` worker threads,
   * each starting its own copy of the zoo. Default: up to 3, one per core, when running compiled
   * (dist/); 1 from the TypeScript sources, whose zoo a test may have cut down (a worker thread
   * loads dist/'s full one). Every handler runs in-process beside its client, so one thread was
   * the bottleneck: 26 s of the 32 s run busy on one core, the other nearly idle.
   */
  threads?: number;
  /** @internal The worker thread's entry (default: selftest/worker.js of the build); tests swap in a broken one. */
  workerModule?: URL;
  /**
   * The deadline of each battery request, in ms (default 10 000). The probes that must see a
   * handler stall wait for it, and the slow defect answers after 60% of it, so a shorter one gives
   * the same verdicts sooner; the latency warning fires above half of it, so it must leave a correct
   * handler room to answer on a busy machine.
   */
  deadlineMs?: number;
}

export interface SelftestOutcome {
  rows: SelftestRow[];
  /** True when every defect was caught by what was meant for it, and by nothing else, and every correct handler passed. */
  ok: boolean;
}

const SEED = 7;
/** Deadline of single check requests (the stalling check defects bring their own, shorter one). */
const CHECK_DEADLINE_MS = 5_000;

/** @internal One run of the selftest plan: a handler under one option and what to send it. */
export interface Job {
  handler: string;
  option: SecurityOptionNumber;
  kind: SelftestRow['kind'];
  hooks: HandlerHooks;
  kit?: Partial<Kit>;
  /** Send one request and collect the failed checks. */
  check?: { request: ProbeRequest; timeoutMs?: number; breaks?: string; warns?: readonly string[] };
  /** Run the battery and collect the flagged probes. */
  battery?: { breaks: readonly string[]; contentType?: ProbeZooEntry['contentType']; sequential?: boolean };
  legacyTls?: boolean;
  /** Part of its battery waits out the deadline (ProbeZooEntry.waits): started first. */
  waits?: boolean;
  /**
   * The upstream defect: the zoo's handler module (targets/module-zoo.ts) run as a module target,
   * sent one scenario whose upstream: mocks its risk call (`mocked`, a correct run) or not.
   */
  upstream?: { mocked: boolean };
}

/** The scenario the upstream rows send: one signing request, its outbound call mocked or left out. */
function upstreamScenario(mocked: boolean): Scenario {
  return {
    name: mocked ? 'the risk call is mocked' : 'the risk call is not mocked',
    file: 'selftest',
    tags: [],
    upstream: mocked ? [{ url: UNMOCKED_UPSTREAM_URL, responses: [{ status: 200, json: { score: 1 } }] }] : [],
    steps: [{ request: { type: 'tx', stage: 'signing' }, expect: {} }],
  };
}


async function send(cosigner: Cosigner, request: ProbeRequest): Promise<CallbackResult> {
  switch (request) {
    case 'tx-approval':
      return cosigner.sendTx({ stage: 'approval' });
    case 'tx-batched':
      return cosigner.sendTx({ batched: true });
    case 'config':
      return cosigner.sendConfigChange({});
    default:
      return cosigner.sendTx({ stage: 'signing' });
  }
}

/**
 * A TLS 1.0-capable front (security level 0, as old servers run) piping to a plain-http
 * reference handler: the reference handler cannot be told to accept legacy TLS, and the message
 * layer of option 1 over http is exactly that of options 4 and 5.
 */
async function startLegacyFront(option: SecurityOptionNumber, kit: Kit, hooks: HandlerHooks): Promise<{ url: string; close(): Promise<void> }> {
  const backend = await startTarget({ kind: 'reference', option: 1, kit, plainHttp: true, hooks }, { kit });
  const backendPort = Number(new URL(backend.url).port);
  const cert = SECURITY_OPTIONS[option].tls === 'pinned' ? kit.pinned : kit.leaf;
  const sockets = new Set<Socket>();
  const server = createTlsServer({ cert: cert.certPem, key: cert.keyPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (client) => {
    const upstream = netConnect(backendPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}`,
    close() {
      closing ??= (async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await backend.close();
      })();
      return closing;
    },
  };
}

/** A job that takes longer than this is a selftest failure in itself (every probe is bounded far below it). */
const JOB_LIMIT_MS = 90_000;

/** The failed row of a run that gave no verdict of its own: past JOB_LIMIT_MS, or its worker thread stopped. */
function noVerdictRow(job: Job, reason: string, durationMs: number): JobRow {
  return { handler: job.handler, option: job.option, kind: job.kind, expected: job.kind === 'correct' ? 'pass' : '(see handler)', expectedIds: [], caughtBy: [reason], ok: false, durationMs };
}

/** Run one job, bounded by JOB_LIMIT_MS: past it the row fails and the run moves on. */
export async function runJobBounded(job: Job, baseKit: Kit, deadlineMs: number): Promise<JobRow> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<JobRow>((resolve) => {
    timer = setTimeout(() => resolve(noVerdictRow(job, `selftest: no verdict within ${JOB_LIMIT_MS / 1000} s`, Math.round(performance.now() - started))), JOB_LIMIT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([runJob(job, baseKit, deadlineMs), limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function runJob(job: Job, baseKit: Kit, deadlineMs: number): Promise<JobRow> {
  const started = performance.now();
  const kit: Kit = job.kit ? { ...baseKit, ...job.kit } : baseKit;
  // The legacy front serves option 4 or 5's TLS in front of an option-1 backend, so its
  // material is resolved here for the job's option; every other job's comes from its target.
  let target: Pick<StartedTarget, 'url' | 'material' | 'close'> & Partial<Pick<StartedTarget, 'scenario'>>;
  if (job.upstream) {
    const module = fileURLToPath(builtModule('module-zoo.js', "the selftest zoo's upstream handler"));
    target = await startTarget({ kind: 'module', module, option: job.option }, { kit });
  } else if (job.legacyTls) {
    const front = await startLegacyFront(job.option, kit, job.hooks);
    // A handler the selftest started with the kit: option 1 trusts the kit's Root CA on purpose.
    target = { ...front, material: trustingKitRoot(resolveMaterial({ option: job.option, kit }), kit) };
  } else {
    target = await startTarget({ kind: 'reference', option: job.option, hooks: job.hooks }, { kit });
  }
  const caughtBy: string[] = [];
  const expectedIds: string[] = [];
  try {
    const { material } = target;
    if (job.upstream) {
      const cosigner = createCosigner(target, { seed: SEED, timeoutMs: CHECK_DEADLINE_MS });
      try {
        const result = await runScenario(upstreamScenario(job.upstream.mocked), { cosigner, option: job.option, target: target as StartedTarget });
        caughtBy.push(...result.checks.filter((c) => c.status === 'fail').map((c) => c.id));
        for (const w of result.warnings) caughtBy.push(`warning:${w.id}`);
      } finally {
        await cosigner.close();
      }
      if (!job.upstream.mocked) expectedIds.push(UPSTREAM_ZOO_ENTRY.breaks);
    }
    if (job.check) {
      const cosigner = createCosigner(target, { seed: SEED, timeoutMs: job.check.timeoutMs ?? CHECK_DEADLINE_MS });
      const res = await send(cosigner, job.check.request);
      caughtBy.push(...res.checks.filter((c) => c.status === 'fail').map((c) => c.id));
      if (job.check.breaks) expectedIds.push(job.check.breaks);
      if (job.kind === 'correct') {
        // A tolerated variant must raise exactly its expected warnings, no more.
        const expectedWarnings = new Set(job.check.warns ?? []);
        for (const w of res.warnings) if (!expectedWarnings.has(w.id)) caughtBy.push(`warning:${w.id}`);
      }
    }
    if (job.battery) {
      const cosigner = createCosigner(target, {
        seed: SEED,
        timeoutMs: deadlineMs,
        ...(job.battery.contentType ? { contentType: job.battery.contentType } : {}),
      });
      const out = await runConformance({ cosigner, option: job.option, url: target.url, material, timeoutMs: deadlineMs, slowFraction: 0.5, ...(job.battery.sequential ? { concurrency: 1 } : {}) });
      // A probe not run because its group's control failed is flagged too: the control caught it.
      // One not run because another probe owns the defect (protocol/endpoints for a missing route) is not.
      const failed = new Set(out.results.filter((r) => r.status === 'fail').map((r) => r.name));
      const byControl = (r: (typeof out.results)[number]) => r.status === 'notRun' && r.rootCause !== undefined && r.rootCause.endsWith('/positive-control') && failed.has(r.rootCause);
      const flagged = out.results.filter((r) => r.status === 'fail' || byControl(r) || r.warnings.some((w) => w.id === r.name)).map((r) => r.name);
      caughtBy.push(...flagged);
      // "Refuses valid requests": every control fails and every probe that needs an answer is not run;
      // the probes that need none (TLS posture, latency) still run and pass.
      const needsNothing = new Set(PROBES.filter((p) => p.needs === 'nothing' && !p.id.endsWith('/positive-control')).map((p) => p.id));
      if (job.battery.breaks.includes('*')) expectedIds.push(...out.results.filter((r) => r.status !== 'skip' && !needsNothing.has(r.name)).map((r) => r.name));
      else expectedIds.push(...job.battery.breaks);
    }
  } finally {
    await target.close();
  }
  const ok = sameSet(caughtBy, expectedIds);
  const expected =
    job.kind === 'correct' ? 'pass' : job.battery?.breaks.includes('*') ? 'every probe (refuses valid requests)' : compactIds(expectedIds);
  return { handler: job.handler, option: job.option, kind: job.kind, expected, expectedIds, caughtBy, ok, durationMs: Math.round(performance.now() - started) };
}

/**
 * A rough cost, only to order the runs: waiting out a deadline, or a battery sent one request at
 * a time (each of its ~60 requests waits for the one before, and shared-request-state sleeps in
 * each: these were the longest rows, and started in plan order they made the tail), then the
 * module targets (a worker thread each) and the legacy front, then a battery, then one request.
 */
function costOf(job: Job): number {
  return (job.waits || job.battery?.sequential ? 4 : 0) + (job.legacyTls || job.upstream ? 2 : 0) + (job.battery ? 1 : 0);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** `forgery/{wrong-key,alg-none}`: ids grouped by their `group/` prefix. */
function compactIds(ids: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const slash = id.indexOf('/');
    const key = slash === -1 ? '' : id.slice(0, slash);
    groups.set(key, [...(groups.get(key) ?? []), slash === -1 ? id : id.slice(slash + 1)]);
  }
  return [...groups.entries()].map(([g, names]) => (g === '' ? names.join(', ') : names.length === 1 ? `${g}/${names[0]}` : `${g}/{${names.join(',')}}`)).join(', ');
}

function pick(options: readonly SecurityOptionNumber[], index: number, all: boolean): readonly SecurityOptionNumber[] {
  return all ? options : [options[index % options.length]!];
}

function plan(zoo: ZooEntry[], probeZoo: ProbeZooEntry[], all: boolean): Job[] {
  const jobs: Job[] = [];
  for (const option of SECURITY_OPTION_NUMBERS) {
    jobs.push({ handler: 'reference', option, kind: 'correct', hooks: {}, check: { request: 'tx-signing' }, battery: { breaks: [] } });
  }
  for (const entry of zoo.filter((e) => e.breaks)) {
    for (const option of entry.options) {
      jobs.push({
        handler: entry.id,
        option,
        kind: 'check',
        hooks: entry.hooks,
        check: { request: entry.request ?? 'tx-signing', ...(entry.timeoutMs !== undefined ? { timeoutMs: entry.timeoutMs } : {}), breaks: entry.breaks! },
      });
    }
  }
  for (const [i, entry] of probeZoo.entries()) {
    for (const option of pick(entry.options, i, all)) {
      const correct = entry.breaks.length === 0;
      jobs.push({
        handler: entry.id,
        option,
        kind: correct ? 'correct' : 'probe',
        hooks: entry.hooks(),
        ...(entry.kit ? { kit: entry.kit } : {}),
        ...(entry.legacyTls ? { legacyTls: true } : {}),
        ...(entry.waits ? { waits: true } : {}),
        ...(correct ? { check: { request: 'tx-signing' as const } } : {}),
        battery: { breaks: entry.breaks, ...(entry.contentType ? { contentType: entry.contentType } : {}), ...(entry.sequential ? { sequential: true } : {}) },
      });
    }
  }
  // The upstream rows run only where msw is installed (an optional peer): without it no module target can mock.
  if (isInstalled('msw')) {
    for (const [i, option] of UPSTREAM_ZOO_ENTRY.options.entries()) {
      // The defect under every option (one request each); the same module with its call mocked, under one.
      jobs.push({ handler: UPSTREAM_ZOO_ENTRY.id, option, kind: 'check', hooks: {}, upstream: { mocked: false } });
      if (i === 0 || all) jobs.push({ handler: 'tolerated-mocked-upstream', option, kind: 'correct', hooks: {}, upstream: { mocked: true } });
    }
  }
  for (const [i, entry] of zoo.filter((e) => !e.breaks).entries()) {
    for (const option of pick(entry.options, i, all)) {
      jobs.push({ handler: entry.id, option, kind: 'correct', hooks: entry.hooks, check: { request: entry.request ?? 'tx-signing', ...(entry.warns ? { warns: entry.warns } : {}) }, battery: { breaks: [] } });
    }
  }
  return jobs;
}

/**
 * Prove that the tool catches what it claims to: start every deliberately broken handler of the
 * zoo (one per response check rule, one per battery probe) and the correct variants in-process,
 * run the checks and the battery against each, and compare what flagged each handler with what
 * was meant to. A row is ok when the intended check or probes, and nothing else, caught the
 * defect; a correct handler's row is ok when nothing flagged it.
 *
 * @example
 * const { rows, ok } = await runSelftest({ onRow: (r) => console.log(r.handler, r.ok) });
 * console.log(formatSelftestTable(rows));
 * process.exitCode = ok ? 0 : 1;
 */
export async function runSelftest(o: SelftestOptions = {}): Promise<SelftestOutcome> {
  const deadlineMs = o.deadlineMs ?? SELFTEST_DEADLINE_MS;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) throw new InvalidArgumentError(`deadlineMs must be a positive number of milliseconds, got ${String(o.deadlineMs)}`);
  const threads = o.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`threads must be a whole number of at least 1, got ${String(o.threads)}`);
  const allOptions = o.allOptions === true;
  // The worker threads start first: each builds its own kit and zoo while this one builds its own.
  const helpers = Array.from({ length: threads - 1 }, () => startSelftestThread(o.workerModule ?? workerEntry(), { deadlineMs, allOptions }));
  try {
    const { kit, jobs } = await planSelftest({ deadlineMs, allOptions });
    const keys = jobs.map(jobKey);
    // Each worker thread's plan must be this one (it is sent only indexes): checked before any run starts.
    const others = await Promise.all(helpers.map((h) => h.ready(keys)));
    const executors: ((index: number) => Promise<JobRow>)[] = [(index) => runJobBounded(jobs[index]!, kit, deadlineMs), ...others];
    const concurrency = Math.max(1, o.concurrency ?? 6);
    // Longest first: the runs that wait out a deadline start at once and overlap the rest, instead
    // of starting last and making the tail. Rows are still reported in table (plan) order.
    const order = jobs.map((job, index) => ({ index, cost: costOf(job) })).sort((a, b) => b.cost - a.cost || a.index - b.index).map((x) => x.index);
    let finished = 0;
    const rows: (SelftestRow | undefined)[] = new Array(jobs.length);
    let next = 0;
    let reported = 0;
    // Rows are reported in plan order as soon as every earlier one is done. (The index moves
    // outside the call: `o.onRow?.(rows[reported++])` would skip the increment when there is no
    // onRow, and spin for ever.)
    const report = () => {
      while (reported < jobs.length && rows[reported] !== undefined) {
        const row = rows[reported]!;
        reported++;
        o.onRow?.(row);
      }
    };
    const slot = async (thread: number): Promise<void> => {
      const run = executors[thread]!;
      let stopped = false;
      while (!stopped && next < jobs.length) {
        const index = order[next++]!;
        const row = await run(index).catch((error: unknown) => {
          // A worker thread that stopped fails the run it had, and its slots end: the other
          // threads' slots run the rest. Anything else that throws is a bug and stops the selftest.
          if (!(error instanceof SelftestThreadStopped)) throw error;
          stopped = true;
          return noVerdictRow(jobs[index]!, `selftest: ${error.message}`, 0);
        });
        rows[index] = { ...row, thread };
        o.onProgress?.(++finished, jobs.length);
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, (_, i) => slot(i % threads)));
    const done = rows.filter((r): r is SelftestRow => r !== undefined);
    return { rows: done, ok: done.every((r) => r.ok) };
  } finally {
    await Promise.all(helpers.map((h) => h.close()));
  }
}

/**
 * @internal The kit, the zoos and the plan, built the same way in every thread: a worker thread
 * is sent only the index of a run, and checks once that its plan matches (see jobKey).
 */
export async function planSelftest(o: { deadlineMs: number; allOptions: boolean }): Promise<{ kit: Kit; jobs: Job[] }> {
  const kit = await cachedKit('selftest');
  const [zoo, probeZoo] = await Promise.all([createZoo(kit), createProbeZoo(kit, { deadlineMs: o.deadlineMs })]);
  return { kit, jobs: plan(zoo, probeZoo, o.allOptions) };
}

/** @internal What identifies a run across threads: its handler, option and kind. */
export function jobKey(job: Job): string {
  return `${job.handler}@${job.option}:${job.kind}`;
}

/** Compiled (this file is dist/'s .js): one thread per core, up to 3. From the TypeScript sources: 1. */
function defaultThreads(): number {
  return import.meta.url.endsWith('.js') ? Math.max(1, Math.min(3, availableParallelism())) : 1;
}

function workerEntry(): URL {
  return builtModule('worker.js', 'the selftest worker thread', 'selftest');
}

/**
 * The selftest table: one line per handler and option, what was meant to catch it, what did,
 * and a closing summary.
 *
 * @example
 * formatSelftestTable(rows).split('\n')[0]; // ' ok  handler                 option  expected  caught by'
 */
export function formatSelftestTable(rows: readonly SelftestRow[]): string {
  const head = { handler: 'handler', option: 'option', expected: 'expected', caught: 'caught by' };
  const caught = (r: SelftestRow) => (r.caughtBy.length === 0 ? '(nothing)' : compactIds(r.caughtBy));
  const wHandler = Math.max(head.handler.length, ...rows.map((r) => r.handler.length));
  const wExpected = Math.min(60, Math.max(head.expected.length, ...rows.map((r) => r.expected.length)));
  const lines = [` ok  ${head.handler.padEnd(wHandler)}  ${head.option}  ${head.expected.padEnd(wExpected)}  ${head.caught}`];
  for (const r of rows) {
    const expected = r.expected.length > wExpected ? `${r.expected.slice(0, wExpected - 1)}…` : r.expected.padEnd(wExpected);
    const shown = r.kind !== 'correct' && r.ok && r.expected.startsWith('every probe') ? `every probe (${r.caughtBy.length})` : caught(r);
    lines.push(` ${r.ok ? '✓' : '✗'}   ${r.handler.padEnd(wHandler)}  ${String(r.option).padEnd(head.option.length)}  ${expected}  ${shown}`);
  }
  const defects = new Set(rows.filter((r) => r.kind !== 'correct').map((r) => r.handler));
  const correct = new Set(rows.filter((r) => r.kind === 'correct').map((r) => r.handler));
  const bad = rows.filter((r) => !r.ok);
  lines.push('');
  lines.push(
    `${defects.size} defects (${rows.filter((r) => r.kind !== 'correct').length} runs), ${correct.size} correct handlers (${rows.filter((r) => r.kind === 'correct').length} runs): ` +
      (bad.length === 0
        ? 'every defect was caught by the check or probe meant for it and by nothing else, and every correct handler passed'
        : `${bad.length} run${bad.length === 1 ? '' : 's'} went wrong: ${bad.map((r) => `${r.handler} [option ${r.option}]`).join(', ')}`),
  );
  return lines.join('\n');
}
