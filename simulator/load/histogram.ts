import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** The percentiles every report gives, in order. */
export const PERCENTILES = [50, 90, 99, 99.9] as const;

/** One phase's latency figures, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
  mean: number;
}

/**
 * The upper bounds (ms) of the buckets the distribution chart draws: roughly 1-2-5 steps up to
 * the Co-signer's 30 s, then everything later. Fixed so two runs' charts line up; a count per
 * bucket, never a row per request.
 */
export const CHART_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, Infinity] as const;

/** One bar of the distribution: the answers that took more than the previous bound and at most `le` ms. */
export interface ChartBucket {
  le: number;
  count: number;
}

/**
 * A latency histogram: node's HDR histogram (`createHistogram`, microsecond resolution) for the
 * percentiles, plus fixed buckets for the chart. Memory is bounded whatever the run's length.
 */
export class LatencyHistogram {
  private readonly hdr: RecordableHistogram = createHistogram();
  private readonly buckets = CHART_BOUNDS_MS.map(() => 0);

  /** Record one latency in ms (sub-millisecond kept: the HDR histogram records microseconds). */
  record(ms: number): void {
    // createHistogram takes whole numbers of at least 1.
    this.hdr.record(Math.max(1, Math.round(ms * 1000)));
    const i = CHART_BOUNDS_MS.findIndex((b) => ms <= b);
    this.buckets[i]! += 1;
  }

  get count(): number {
    return this.hdr.count;
  }

  /** A percentile in ms (0 when nothing was recorded). */
  percentile(p: number): number {
    return this.hdr.count === 0 ? 0 : this.hdr.percentile(p) / 1000;
  }

  summary(): LatencySummary {
    const empty = this.hdr.count === 0;
    const ms = (us: number) => (empty ? 0 : us / 1000);
    return {
      count: this.hdr.count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: ms(this.hdr.max),
      min: ms(this.hdr.min),
      mean: empty ? 0 : this.hdr.mean / 1000,
    };
  }

  /** The chart's buckets from the first to the last non-empty one (empty ones between are kept). */
  chart(): ChartBucket[] {
    const first = this.buckets.findIndex((c) => c > 0);
    if (first === -1) return [];
    let last = this.buckets.length - 1;
    while (this.buckets[last] === 0) last--;
    const out: ChartBucket[] = [];
    for (let i = first; i <= last; i++) out.push({ le: CHART_BOUNDS_MS[i]!, count: this.buckets[i]! });
    return out;
  }
}
