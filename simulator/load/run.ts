import { performance } from 'node:perf_hooks';
import { InvalidArgumentError } from '../errors.js';
import { COSIGNER_DEADLINE_MS } from '../checks/context.js';
import type { Cosigner, SendTxOptions } from '../client/cosigner.js';
import type { CallbackResult } from '../protocol/types.js';
import type { BaseRequest, BaseRequests } from '../suite/base.js';
import { LatencyHistogram, type ChartBucket, type LatencySummary } from './histogram.js';
import { mixPicker, mixText, parseMix, DEFAULT_MIX_TEXT, type LoadKind, type MixEntry } from './mix.js';

/** The open loop's default bound on requests in flight. */
export const DEFAULT_MAX_IN_FLIGHT = 256;

/**
 * A request that starts this many ms after its scheduled time is a late start: the client (its
 * event loop, its core) could not keep the rate. Its latency still counts from the schedule.
 */
export const LATE_START_MS = 10;

/** How the requests are paced. */
export type LoadMode =
  /** Exactly `concurrency` requests in flight: a new one starts the moment one ends. */
  | { kind: 'closed'; concurrency: number }
  /** Requests start at a fixed rate whatever the answers do; at most `maxInFlight` (default 256) at once, the rest dropped. */
  | { kind: 'open'; ratePerSec: number; maxInFlight?: number }
  /**
   * Bursts (`--mix cosigner-burst`): every `everyMs`, each Co-signer starts `size` requests at
   * once, whatever the answers do; bounded and measured like the open loop (from the scheduled start).
   */
  | { kind: 'burst'; size: number; everyMs: number; maxInFlight?: number };

/**
 * What a Co-signer does with a RETRY answer (`--mix cosigner-burst`): it sends the identical request
 * (same requestId) again after `backoffMs`, at most `maxResends` times [protocol.md §0.5, §7]. The real
 * Co-signer waits 3 minutes by default; a load run compresses that to keep the run short.
 */
export interface ResendPolicy {
  maxResends: number;
  backoffMs: number;
}

/** What a load run needs of a Co-signer (`resend` only with a {@link ResendPolicy}). */
export type LoadCosigner = Pick<Cosigner, 'sendTx' | 'sendConfigChange'> & Partial<Pick<Cosigner, 'resend'>>;

/** When a run ends: after `durationMs` of measurement, or `requests` measured requests (exactly one). */
export interface LoadStop {
  durationMs?: number;
  requests?: number;
}

/** What a progress line shows, about once a second. */
export interface LoadProgress {
  elapsedMs: number;
  warmingUp: boolean;
  completed: number;
  failed: number;
  inFlight: number;
  /** Completed requests per second since measurement started. */
  ratePerSec: number;
  p50: number;
  p99: number;
}

export interface LoadOptions {
  /** One Co-signer, or several (distinct signerIds, each its own key where there are several): requests go to them in turn. */
  cosigner: LoadCosigner | readonly LoadCosigner[];
  /**
   * Re-send RETRY answers as a Co-signer does; without it a RETRY is one judged answer like any
   * other. A re-send is scheduled like an open-loop request (due at its answer plus the back-off,
   * bounded by `maxInFlight`), so in a closed loop it comes on top of the `concurrency` in flight.
   */
  resend?: ResendPolicy;
  /** The named `--mix` the mix, pacing and re-send policy came from (`cosigner-burst`), for the report. */
  preset?: string;
  /** How the Co-signers were made: over reused connections (`--reuse-connections`), for the report. */
  reuseConnections?: boolean;
  mode: LoadMode;
  stop: LoadStop;
  /** Default `tx` (both stages equally). */
  mix?: readonly MixEntry[];
  /** `--base`: the one-request scenarios the tx and config requests start from. */
  bases?: BaseRequests;
  /** Requests started in the first `warmupMs` are judged but left out of every figure. */
  warmupMs?: number;
  /** Aborting it starts no further request; the running ones finish and the report covers what ran. */
  signal?: AbortSignal;
  onProgress?(p: LoadProgress): void;
  /** Default 1000. */
  progressEveryMs?: number;
  /** @internal For tests: the deadline the share over it is counted against (default the Co-signer's 30 s). */
  deadlineMs?: number;
}

/** One request to send: a new one of `kind`, or the re-send of `first` after a RETRY. */
interface Job {
  /** Index into the Co-signers. */
  cosigner: number;
  kind: LoadKind;
  /** Re-sends so far (0 for a new request). */
  resends: number;
  /** The first answer of the request being re-sent: its request goes again as it was. */
  first?: CallbackResult;
}

/** The Co-signers as a list. */
function cosignersOf(o: LoadOptions): readonly LoadCosigner[] {
  return Array.isArray(o.cosigner) ? (o.cosigner as readonly LoadCosigner[]) : [o.cosigner as LoadCosigner];
}

/** The figures of one phase for each of connect, TLS, first byte and total (ms from the request's start; open loop: its scheduled start). */
export interface PhaseSummaries {
  connect: LatencySummary;
  tls: LatencySummary;
  firstByte: LatencySummary;
  total: LatencySummary;
}

/** A load run's report: counts, rates and histograms, never a row per request. */
export interface LoadReport {
  mode: LoadMode;
  stop: LoadStop;
  mix: string;
  /** The named `--mix` behind `mix`, when one was given. */
  preset?: string;
  warmupMs: number;
  /** Measured time: from the end of the warm-up to the last measured answer. */
  durationMs: number;
  /** How many Co-signers sent. */
  cosigners: number;
  /**
   * Connections and handshakes over the measured requests: fresh (the default) is one TCP connect
   * and one TLS handshake per request; with `--reuse-connections` fewer.
   */
  connections: {
    reused: boolean;
    /** Measured requests during which a TCP connection was opened. */
    opened: number;
    /** Measured requests during which a TLS handshake completed. */
    handshakes: number;
    /** handshakes / measured requests (1 when fresh, on https). */
    handshakesPerRequest: number;
  };
  /** With a re-send policy: RETRY answers and what became of them (measured requests only). */
  retry?: {
    maxResends: number;
    backoffMs: number;
    /** Answers of RETRY. */
    answers: number;
    /** Identical re-sends made after a RETRY (each also counted in `sent`). */
    resends: number;
    /** Requests still answered RETRY after `maxResends` re-sends: the Co-signer would give up on them. */
    gaveUp: number;
    /** Re-sends that were due after the run's bound (duration, --requests, a signal) and were not sent. */
    cut: number;
  };
  counts: {
    /** Measured requests sent (warm-up excluded). */
    sent: number;
    ok: number;
    failed: number;
    /** Open loop: requests due while `maxInFlight` were in flight, never sent. They fail the run. */
    dropped: number;
    /** Open loop: requests that started more than LATE_START_MS after their scheduled time. */
    lateStarts: number;
    /** Answers (or failures) later than the Co-signer's 30 s. */
    overDeadline: number;
    /** Requests judged during the warm-up, and how many of them failed (these fail the run too). */
    warmup: number;
    warmupFailed: number;
    byKind: Partial<Record<LoadKind, number>>;
  };
  /** Every failed check, by id: how many requests failed it (warm-up included: every answer is judged). */
  failedByCheck: Record<string, number>;
  /** The first failure of each check id, so the report can say what went wrong. */
  firstFailure: Record<string, string>;
  throughputPerSec: number;
  peakInFlight: number;
  /** Time-weighted mean of requests in flight from the end of the warm-up until the loop stopped issuing (the drain left out). */
  meanInFlight: number;
  /** overDeadline / sent. */
  overDeadlineShare: number;
  latency: PhaseSummaries;
  /** The total-latency distribution, for the bar charts. */
  chart: ChartBucket[];
  /** True when the signal stopped the run early. */
  interrupted: boolean;
}

/** A tx request built from the base, as `send` builds one (the mix decides the stage). */
function txInput(kind: 'tx.approval' | 'tx.signing', base: BaseRequest | undefined): SendTxOptions {
  return {
    stage: kind === 'tx.approval' ? 'approval' : 'signing',
    ...(base?.operation !== undefined ? { operation: base.operation as NonNullable<SendTxOptions['operation']> } : {}),
    ...(base?.destType !== undefined ? { destType: base.destType as NonNullable<SendTxOptions['destType']> } : {}),
    ...(base?.destinations !== undefined ? { destinations: base.destinations as NonNullable<SendTxOptions['destinations']> } : {}),
    ...(base && Object.keys(base.payload).length > 0 ? { payload: base.payload, verbatim: base.verbatim } : {}),
    ...(base && base.unset.length > 0 ? { unset: base.unset } : {}),
  };
}

function sendKind(o: LoadOptions, cosigner: LoadCosigner, kind: LoadKind): Promise<CallbackResult> {
  if (kind === 'config') {
    const base = o.bases?.config;
    return cosigner.sendConfigChange({
      ...(base?.configType !== undefined ? { type: base.configType } : {}),
      ...(base && Object.keys(base.payload).length > 0 ? { payload: base.payload } : {}),
      ...(base && base.unset.length > 0 ? { unset: base.unset } : {}),
    });
  }
  return cosigner.sendTx(txInput(kind, o.bases?.tx));
}

function checkOptions(o: LoadOptions): void {
  const { durationMs, requests } = o.stop;
  if ((durationMs === undefined) === (requests === undefined)) {
    throw new InvalidArgumentError('runLoad: give exactly one of stop.durationMs and stop.requests', { field: 'stop', hint: 'every load run is bounded: by time or by count' });
  }
  const positive = (n: number | undefined) => n === undefined || (Number.isFinite(n) && n > 0);
  const paces = o.mode.kind === 'closed' ? [o.mode.concurrency] : o.mode.kind === 'open' ? [o.mode.ratePerSec] : [o.mode.size, o.mode.everyMs];
  if (!positive(durationMs) || !positive(requests) || !paces.every(positive)) {
    throw new InvalidArgumentError('runLoad: durations, counts, rates, burst sizes and concurrency must be positive numbers', { field: 'stop' });
  }
  const cosigners = cosignersOf(o);
  if (cosigners.length === 0) throw new InvalidArgumentError('runLoad: give at least one Co-signer', { field: 'cosigner' });
  if (o.resend !== undefined) {
    const { maxResends, backoffMs } = o.resend;
    if (!(Number.isInteger(maxResends) && maxResends >= 0) || !(Number.isFinite(backoffMs) && backoffMs >= 0)) {
      throw new InvalidArgumentError(`runLoad: resend needs a whole maxResends and a backoffMs of at least 0, got ${JSON.stringify(o.resend)}`, { field: 'resend' });
    }
    if (cosigners.some((c) => typeof c.resend !== 'function')) throw new InvalidArgumentError('runLoad: a resend policy needs Co-signers that can resend', { field: 'resend' });
  }
  if (o.mode.kind !== 'closed' && o.mode.maxInFlight !== undefined && !(Number.isInteger(o.mode.maxInFlight) && o.mode.maxInFlight >= 1)) {
    throw new InvalidArgumentError(`runLoad: maxInFlight must be a whole number of at least 1, got ${o.mode.maxInFlight}`, { field: 'maxInFlight' });
  }
}

/**
 * Send load to one handler and measure it: a closed loop keeps exactly `concurrency` requests in
 * flight; an open loop starts requests at a fixed rate and measures each from its scheduled start,
 * so a stalled handler shows in the latency rather than slowing the schedule (no coordinated
 * omission). Every answer is judged by the same checks as `run`; failures are counted by check id.
 *
 * @example
 * const report = await runLoad({ cosigner, mode: { kind: 'closed', concurrency: 16 }, stop: { requests: 5000 } });
 * report.latency.total.p99; // ms
 */
export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  checkOptions(o);
  const cosigners = cosignersOf(o);
  const mix = o.mix ?? parseMix(DEFAULT_MIX_TEXT);
  // One picker per Co-signer: each keeps the mix's ratio in its own requests.
  const pickers = cosigners.map(() => mixPicker(mix));
  const warmupMs = o.warmupMs ?? 0;
  const deadlineMs = o.deadlineMs ?? COSIGNER_DEADLINE_MS;
  const phases = { connect: new LatencyHistogram(), tls: new LatencyHistogram(), firstByte: new LatencyHistogram(), total: new LatencyHistogram() };
  const counts: LoadReport['counts'] = { sent: 0, ok: 0, failed: 0, dropped: 0, lateStarts: 0, overDeadline: 0, warmup: 0, warmupFailed: 0, byKind: {} };
  const connections: LoadReport['connections'] = { reused: o.reuseConnections === true, opened: 0, handshakes: 0, handshakesPerRequest: 0 };
  const retry: LoadReport['retry'] = o.resend === undefined ? undefined : { ...o.resend, answers: 0, resends: 0, gaveUp: 0, cut: 0 };
  const failedByCheck: Record<string, number> = {};
  const firstFailure: Record<string, string> = {};
  const maxInFlight = o.mode.kind === 'closed' ? Infinity : (o.mode.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);

  const t0 = performance.now();
  const measureStart = t0 + warmupMs;
  const endAt = o.stop.durationMs !== undefined ? measureStart + o.stop.durationMs : Infinity;
  let lastMeasuredEnd = measureStart;
  let inFlight = 0;
  let peakInFlight = 0;
  // The time-weighted in-flight count while the loop issues: area under the in-flight curve from
  // the end of the warm-up to the moment issuing stops (the drain after it is not the loop's pacing).
  let area = 0;
  let lastChange = t0;
  let issueEnd = Infinity;
  let error: unknown;
  let stopped = false;
  // Re-sends waiting out their back-off, or running: the run ends when they have.
  const resends = new Set<Promise<void>>();

  const changeInFlight = (delta: number, t: number) => {
    const upTo = Math.min(t, issueEnd);
    if (upTo > measureStart) area += inFlight * Math.max(0, upTo - Math.max(lastChange, measureStart));
    lastChange = t;
    inFlight += delta;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
  };

  /** The n-th new request (not a re-send): which Co-signer sends it (burst: in turn within each burst), and its kind from that Co-signer's mix. */
  const job = (n: number): Job => {
    const c = n % cosigners.length;
    return { cosigner: c, kind: pickers[c]!(), resends: 0 };
  };

  /** One request scheduled at `scheduled` (closed loop: now), judged and recorded. */
  const one = async (scheduled: number, j: Job): Promise<void> => {
    const started = performance.now();
    const measured = scheduled >= measureStart;
    changeInFlight(1, started);
    let result: CallbackResult;
    try {
      const cosigner = cosigners[j.cosigner]!;
      result = j.first !== undefined ? await cosigner.resend!(j.first) : await sendKind(o, cosigner, j.kind);
    } catch (e) {
      // Not a handler failure (those are judged results): a fault of the run itself. Stop and rethrow.
      error ??= e;
      stopped = true;
      changeInFlight(-1, performance.now());
      return;
    }
    const ended = performance.now();
    changeInFlight(-1, ended);
    if (!result.ok) {
      if (measured) counts.failed++;
      else counts.warmupFailed++;
      for (const c of result.checks) {
        if (c.status !== 'fail') continue;
        failedByCheck[c.id] = (failedByCheck[c.id] ?? 0) + 1;
        firstFailure[c.id] ??= c.message ?? c.id;
      }
    }
    if (o.resend !== undefined && result.decision.action === 'RETRY') {
      if (measured) retry!.answers++;
      if (j.resends < o.resend.maxResends) resendLater(ended + o.resend.backoffMs, { ...j, resends: j.resends + 1, first: j.first ?? result });
      else if (measured) retry!.gaveUp++;
    }
    if (!measured) {
      counts.warmup++;
      return;
    }
    if (result.ok) counts.ok++;
    counts.byKind[j.kind] = (counts.byKind[j.kind] ?? 0) + 1;
    lastMeasuredEnd = Math.max(lastMeasuredEnd, ended);
    // Milestones from the scheduled start: a late start is latency the Co-signer would have seen.
    const delay = started - scheduled;
    const t = result.timings;
    if (t.connectMs !== undefined) {
      phases.connect.record(delay + t.connectMs);
      connections.opened++;
    }
    if (t.tlsMs !== undefined) {
      phases.tls.record(delay + t.tlsMs);
      connections.handshakes++;
    }
    if (t.firstByteMs !== undefined) phases.firstByte.record(delay + t.firstByteMs);
    const total = delay + t.totalMs;
    phases.total.record(total);
    if (total > deadlineMs) counts.overDeadline++;
  };

  /**
   * A RETRY answer's identical re-send, after the back-off: sent only within the run's bounds
   * (its duration, --requests, the signal: else counted as cut) and the in-flight bound (else dropped).
   */
  function resendLater(at: number, j: Job): void {
    const p = new Promise<void>((resolve) => {
      setTimeout(() => {
        if (!issue(at, true)) {
          if (at >= measureStart) retry!.cut++;
          return resolve();
        }
        if (inFlight >= maxInFlight) {
          if (at >= measureStart) {
            counts.sent--;
            counts.dropped++;
          }
          return resolve();
        }
        if (at >= measureStart) retry!.resends++;
        void one(at, j).then(resolve);
      }, Math.max(0, at - performance.now()));
    }).finally(() => resends.delete(p));
    resends.add(p);
  }

  const progressTimer =
    o.onProgress === undefined
      ? undefined
      : setInterval(() => {
          const now = performance.now();
          const measuredMs = now - measureStart;
          o.onProgress!({
            elapsedMs: now - t0,
            warmingUp: now < measureStart,
            completed: counts.ok + counts.failed,
            failed: counts.failed + counts.warmupFailed,
            inFlight,
            ratePerSec: measuredMs > 0 ? ((counts.ok + counts.failed) * 1000) / measuredMs : 0,
            p50: phases.total.percentile(50),
            p99: phases.total.percentile(99),
          });
        }, o.progressEveryMs ?? 1000);
  progressTimer?.unref();

  // Counts a measured request as issued before it starts, so no loop overshoots --requests.
  // A re-send refused here does not end the loop's issuing: the loop finds out for itself.
  const issue = (scheduled: number, resend = false): boolean => {
    const more = !stopped && o.signal?.aborted !== true && scheduled < endAt && !(scheduled >= measureStart && o.stop.requests !== undefined && counts.sent >= o.stop.requests);
    if (!more) {
      if (issueEnd === Infinity && !resend) {
        const now = performance.now();
        changeInFlight(0, now);
        issueEnd = now;
      }
      return false;
    }
    if (scheduled >= measureStart) counts.sent++;
    return true;
  };

  try {
    if (o.mode.kind === 'closed') {
      let n = 0;
      const worker = async () => {
        for (;;) {
          const now = performance.now();
          if (!issue(now)) return;
          await one(now, job(n++));
        }
      };
      await Promise.all(Array.from({ length: o.mode.concurrency }, worker));
    } else if (o.mode.kind === 'open') {
      const interval = 1000 / o.mode.ratePerSec;
      await scheduledLoop((i) => t0 + i * interval);
    } else {
      // Each burst holds `size` requests of every Co-signer, all due at the burst's start.
      const perBurst = o.mode.size * cosigners.length;
      const everyMs = o.mode.everyMs;
      await scheduledLoop((i) => t0 + Math.floor(i / perBurst) * everyMs);
    }
    while (resends.size > 0) await Promise.all([...resends]);
  } finally {
    if (progressTimer) clearInterval(progressTimer);
  }
  if (error !== undefined) throw error;

  /** The open loop and the bursts: request `i` is due at `at(i)` whatever the answers do, at most `maxInFlight` at once. */
  async function scheduledLoop(at: (i: number) => number): Promise<void> {
    const running = new Set<Promise<void>>();
    let i = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        for (;;) {
          const scheduled = at(i);
          if (scheduled > now) break;
          if (!issue(scheduled)) return resolve();
          const j = job(i);
          i++;
          if (inFlight >= maxInFlight) {
            // Beyond the bound: not sent, and it fails the run (the handler could not keep up).
            if (scheduled >= measureStart) {
              counts.sent--;
              counts.dropped++;
            }
            continue;
          }
          if (now - scheduled > LATE_START_MS && scheduled >= measureStart) counts.lateStarts++;
          const p = one(scheduled, j).finally(() => running.delete(p));
          running.add(p);
        }
        // Nothing more is due within the run: stop now rather than wait for a time past its end.
        if (at(i) >= endAt) {
          issue(at(i));
          return resolve();
        }
        setTimeout(tick, Math.max(0, at(i) - performance.now()));
      };
      tick();
    });
    while (running.size > 0) await Promise.all([...running]);
  }

  const durationMs = Math.max(0, lastMeasuredEnd - measureStart);
  const issuingMs = Math.min(issueEnd, lastMeasuredEnd) - measureStart;
  const measuredCount = counts.ok + counts.failed;
  connections.handshakesPerRequest = measuredCount > 0 ? connections.handshakes / measuredCount : 0;
  return {
    mode: o.mode,
    stop: o.stop,
    mix: mixText(mix),
    ...(o.preset !== undefined ? { preset: o.preset } : {}),
    warmupMs,
    durationMs,
    cosigners: cosigners.length,
    connections,
    ...(retry ? { retry } : {}),
    counts,
    failedByCheck,
    firstFailure,
    throughputPerSec: durationMs > 0 ? (measuredCount * 1000) / durationMs : 0,
    peakInFlight,
    meanInFlight: issuingMs > 0 ? area / issuingMs : 0,
    overDeadlineShare: measuredCount > 0 ? counts.overDeadline / measuredCount : 0,
    latency: { connect: phases.connect.summary(), tls: phases.tls.summary(), firstByte: phases.firstByte.summary(), total: phases.total.summary() },
    chart: phases.total.chart(),
    interrupted: o.signal?.aborted === true,
  };
}

/** Failed requests plus dropped ones over everything due: what `--max-error-rate` is held against. */
export function errorRate(r: LoadReport): number {
  const due = r.counts.sent + r.counts.dropped + r.counts.warmup;
  return due === 0 ? 0 : (r.counts.failed + r.counts.warmupFailed + r.counts.dropped) / due;
}

/**
 * The verdict: failed when the error rate passes `maxErrorRate` (default 0: one failure fails),
 * any answer passed the 30 s deadline, or a request was dropped.
 *
 * @example
 * loadFailures(report, 0.01); // [] when the run passed, else the reasons
 */
export function loadFailures(r: LoadReport, maxErrorRate = 0): string[] {
  const out: string[] = [];
  const rate = errorRate(r);
  if (rate > maxErrorRate) out.push(`error rate ${(rate * 100).toFixed(2)}% is over --max-error-rate ${(maxErrorRate * 100).toFixed(2)}%`);
  // Measured against the Co-signer's 30 s, not --timeout: a shorter --timeout fails `deadline`, which the error rate counts.
  if (r.counts.overDeadline > 0) out.push(`${r.counts.overDeadline} answer(s) took longer than the Co-signer's 30 s`);
  if (r.counts.dropped > 0) out.push(`${r.counts.dropped} request(s) dropped: --max-in-flight requests were already in flight when they were due`);
  return out;
}
