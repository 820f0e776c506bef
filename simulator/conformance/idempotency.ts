import { createRng } from '../protocol/index.js';
import type { CallbackResult } from '../protocol/types.js';
import { classify, correctAnswer, createReport, describe, sendValid, type ProbeContext, type ProbeReport } from './context.js';

type ProbeFn = (ctx: ProbeContext) => Promise<ProbeReport>;

/** Sends of one request in `idempotency/resend`: the original, then re-sends while it says RETRY. */
const MAX_SENDS = 4;
const CONCURRENT_REQUESTS = 20;
const SIGNERS = 4;

/** The idempotency and concurrency probes, by id. */
export const IDEMPOTENCY_PROBES: Record<string, ProbeFn> = {
  async 'idempotency/resend'(ctx) {
    const report = createReport();
    const first = await sendValid(ctx);
    const sends: CallbackResult[] = [first];
    // The Co-signer re-sends the identical request [protocol.md §0.5.4]: once at least, and again
    // while the handler keeps answering RETRY.
    do {
      sends.push(ctx.record(await ctx.cosigner.resend(first)));
    } while (sends.length < MAX_SENDS && sends.every((r) => r.decision.action === 'RETRY'));

    for (const [i, r] of sends.entries()) report.step(i === 0 ? 'original' : `re-send ${i}`, r, correctAnswer(r, i === 0 ? 'the original request' : 'the identical re-sent request'), true);
    if (sends.some((r) => classify(r).kind !== 'decision')) return report;

    const actions = sends.map((r) => String(r.decision.action));
    const decided = actions.findIndex((a) => a !== 'RETRY');
    const sequence = actions.join(' → ');
    if (decided === -1) {
      report.expect('decisions', { ok: true, message: `${sequence} (still deciding after ${sends.length} sends)` });
      return report;
    }
    const decision = actions[decided]!;
    const changed = actions.slice(decided + 1).find((a) => a !== decision);
    report.expect('decisions', changed === undefined
      ? { ok: true, message: sequence }
      : {
          ok: false,
          reason: changed === 'RETRY' ? 'regressed' : 'flip',
          message: `the identical request got ${decision}, then ${changed} (${sequence})`,
          hint: 'the Co-signer re-sends identical requests after RETRY [protocol.md §0.5.4]: remember the decision per requestId and give the same one again',
          expected: `${decision} every time (or RETRY, then one decision)`,
          received: sequence,
        });
    return report;
  },
  async 'idempotency/concurrent'(ctx) {
    const report = createReport();
    const rng = createRng(ctx.cosigner.seed + 1);
    const signers = [ctx.factory.signerId, ...Array.from({ length: SIGNERS - 1 }, () => rng.uuid())];
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => sendValid(ctx, { payload: { signerId: signers[i % SIGNERS]! } })),
    );
    let correct = 0;
    for (const [i, r] of results.entries()) {
      const v = correctAnswer(r, `concurrent request ${i + 1} (signerId ${String(r.request.payload.signerId).slice(0, 8)}…)`);
      if (v.ok) correct++;
      report.step(`request ${i + 1}`, r, v, true);
    }
    const firstBad = results.find((r) => classify(r).kind !== 'decision');
    report.expect('all answered', correct === results.length
      ? { ok: true, message: `${correct}/${results.length} concurrent requests from ${SIGNERS} signerIds got correct answers` }
      : {
          ok: false,
          reason: 'concurrency',
          message: `${results.length - correct} of ${results.length} concurrent requests from ${SIGNERS} signerIds got no correct answer (first: ${firstBad ? describe(classify(firstBad)) : '?'})`,
          hint: 'keep per-request state local (no shared "current request" variable) and accept every signerId of your API users: Co-signers can run active-active [protocol.md §1]',
        });
    return report;
  },
};
