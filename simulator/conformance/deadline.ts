import { createReport, type ProbeContext, type ProbeReport } from './context.js';

/** The value at quantile `q` (0..1) of sorted numbers, nearest-rank. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const ms = (n: number) => `${Math.round(n)} ms`;

/**
 * `deadline/latency`: p50, p95 and max over every answered request of the battery so far,
 * against the deadline [protocol.md §0.5.1]. A max above `slowFraction` of it is a warning; a
 * request past the deadline already failed its own probe (the `deadline` check).
 */
export function latencyProbe(slowFraction: number): (ctx: ProbeContext) => Promise<ProbeReport> {
  return async (ctx) => {
    const report = createReport();
    const totals = ctx.timings.map((t) => t.totalMs).sort((a, b) => a - b);
    if (totals.length === 0) {
      report.skip('no request of the battery was answered');
      return report;
    }
    const p50 = quantile(totals, 0.5);
    const p95 = quantile(totals, 0.95);
    const max = totals[totals.length - 1]!;
    const limit = ctx.timeoutMs * slowFraction;
    report.expect('latency', {
      ok: true,
      message: `p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(max)} over ${totals.length} answered requests (deadline ${ms(ctx.timeoutMs)}), measured with up to ${ctx.concurrency} requests of the battery in flight`,
      expected: { maxMs: Math.round(limit) },
      received: { p50Ms: Math.round(p50), p95Ms: Math.round(p95), maxMs: Math.round(max), requests: totals.length, concurrency: ctx.concurrency },
    });
    if (max > limit) {
      report.warn({
        id: 'deadline/latency',
        message: `the slowest answer took ${ms(max)}, more than ${Math.round(slowFraction * 100)}% of the ${ms(ctx.timeoutMs)} deadline (p50 ${ms(p50)}, p95 ${ms(p95)}; with up to ${ctx.concurrency} requests in flight: --battery-concurrency 1 measures one at a time)`,
        hint: 'the Co-signer fails a request not answered in time: answer RETRY and decide on a later call when a decision needs long',
      });
    }
    return report;
  };
}
