import { packageVersion } from '../lib/package-version.js';
import { userAgentOf } from '../protocol/profiles.js';
import { DEFAULT_MAX_BODY_BYTES } from '../client/cosigner.js';
import { exchange } from '../client/transport.js';
import { signCompactJws } from '../codec/jws.js';
import { SECURITY_OPTIONS } from '../protocol/options.js';
import { serializePayload } from '../protocol/index.js';
import type { CallbackResult } from '../protocol/types.js';
import { baseFields, overlaps } from '../suite/base.js';
import { buildTx, classify, createReport, describe, encodeGenuine, pathOf, sendBody, sendValid, type ProbeContext, type ProbeReport, type Verdict } from './context.js';

const MIB = 1024 * 1024;
/** Just under the 1 MiB a handler must read before it may close on a large body. */
const NEAR_LIMIT_BYTES = MIB - 16 * 1024;
const HUGE_BYTES = 5 * MIB;

/**
 * Robustness verdict: a clear refusal (4xx) or a normal decision passes; a crash (5xx), a
 * dropped connection, no answer, or a broken answer fails. With `validRequest`, a refusal is
 * legal but raises a warning: the Co-signer may really send this.
 */
function robustVerdict(r: CallbackResult, what: string, o: { probe: string; report: ProbeReport; validRequest?: string; allowClose?: string }): Verdict {
  const a = classify(r);
  const received = describe(a);
  const expected = 'a clear refusal (4xx) or a normal decision';
  if (a.kind === 'decision') return { ok: true, message: `${what}: handler ${received}` };
  if (a.kind === 'refusal') {
    if (o.validRequest) {
      o.report.warn({ id: o.probe, message: `${what}: handler refused it with ${a.status}, but the Co-signer may send exactly this`, hint: o.validRequest });
    }
    return { ok: true, message: `${what}: refused (${a.status})` };
  }
  if (a.kind === 'dropped' && o.allowClose) return { ok: true, message: `${what}: handler ${received} (${o.allowClose})` };
  return {
    ok: false,
    reason: a.kind === 'server-error' || a.kind === 'dropped' ? 'crashed' : a.kind,
    message: `${what}: handler ${received}`,
    hint:
      a.kind === 'timeout'
        ? 'never stall on bad input: answer 400/413 at once (and stop reading a body past your limit)'
        : a.kind === 'dropped'
          ? 'answer a status (400, 413) instead of closing the connection: the Co-signer cannot tell a dropped connection from a crash'
          : 'catch parse and validation errors and answer 400 (or decide normally); never let bad input crash the handler',
    expected,
    received,
  };
}

/** After each probe: the handler must still answer a valid request. */
async function liveness(ctx: ProbeContext, report: ProbeReport): Promise<void> {
  const r = await sendValid(ctx);
  const a = classify(r);
  report.step('liveness', r, a.kind === 'decision'
    ? { ok: true, message: `the next valid request: handler ${describe(a)}` }
    : {
        ok: false,
        reason: 'not-alive',
        message: `the handler no longer answers a valid request after this probe: it ${describe(a)}`,
        hint: `bad input must not leave the handler broken (crashed worker, poisoned state, leaked lock)${ctx.concurrency > 1 ? `; probes run ${ctx.concurrency} requests at a time, so the request that broke it may be another probe's: --battery-concurrency 1 runs them one after another and blames the right one` : ''}`,
        expected: 'a correct decision',
        received: describe(a),
      }, true);
}

/**
 * A genuine tx padded so that its body is about `bytes` long. The padding sits in
 * `extraParameters`, which carries free-form data [protocol.md §4.1], so that this probe tests
 * size alone, not unknown top-level fields (robustness/unknown-fields does that).
 */
function paddedPayload(ctx: ProbeContext, bytes: number): Record<string, unknown> {
  const probe = buildTx(ctx);
  const base = serializePayload(probe.payload, 'faithful').length + 32;
  // base64url makes the JWS payload segment 4/3 of the JSON; header and signature add ~400 bytes.
  const budget = ctx.jwt ? Math.floor(((bytes - 512) * 3) / 4) : bytes - 64;
  return { extraParameters: { csimPadding: 'x'.repeat(Math.max(0, budget - base)) } };
}

const VALID_HINT = 'the docs say handlers must tolerate missing optional fields and unknown fields [protocol.md §4.1]: decide on what is there instead of refusing';

type ProbeFn = (ctx: ProbeContext) => Promise<ProbeReport>;

/** What robustness/missing-optional-fields leaves out [protocol.md §4.1, §4.2]. */
const OPTIONAL_PROBE_FIELDS = ['externalTxId', 'players', 'signerId', 'rawTx', 'extraParameters', 'destinations.0.dstAddress', 'destinations.0.dstWalletId', 'destinations.0.dstName', 'destinations.0.dstSubType'];

function hasPath(root: unknown, path: string): boolean {
  let cur: unknown = root;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur !== undefined;
}

/** One request, its robustness verdict, then liveness. */
function simple(probe: string, what: string, send: (ctx: ProbeContext) => Promise<CallbackResult>, o: { validRequest?: string } = {}): ProbeFn {
  return async (ctx) => {
    const report = createReport();
    const r = await send(ctx);
    report.step('probe request', r, robustVerdict(r, what, { probe, report, ...o }));
    await liveness(ctx, report);
    return report;
  };
}

/** The robustness probes, by id. Each is followed by a liveness request. */
export const ROBUSTNESS_PROBES: Record<string, ProbeFn> = {
  'robustness/malformed-json': simple('robustness/malformed-json', 'a body whose JSON does not parse', async (ctx) => {
    const { requestId } = buildTx(ctx);
    const broken = `{"txId":"${requestId}","operation":"TRANSFER","requestId":"${requestId}","amount":`;
    // JWT options: correctly signed, so the handler gets past verification to the parser.
    const body = ctx.jwt ? signCompactJws(broken, ctx.cosignerKey!) : broken;
    return sendBody(ctx, { body, requestId });
  }),
  async 'robustness/huge-body'(ctx) {
    const report = createReport();
    const probe = 'robustness/huge-body';
    const near = await sendValid(ctx, { payload: paddedPayload(ctx, NEAR_LIMIT_BYTES) });
    const nearKib = Math.round(near.request.body.length / 1024);
    report.step('near 1 MiB', near, robustVerdict(near, `a valid request of ${nearKib} KiB`, { probe, report }));
    const huge = await sendValid(ctx, { payload: paddedPayload(ctx, HUGE_BYTES) });
    const hugeMb = (huge.request.body.length / MIB).toFixed(1);
    report.step('5 MB', huge, robustVerdict(huge, `a valid request of ${hugeMb} MiB`, {
      probe,
      report,
      allowClose: 'a body limit that stops reading; the near-1-MiB request shows it reads at least that much',
    }));
    await liveness(ctx, report);
    return report;
  },
  async 'robustness/missing-optional-fields'(ctx) {
    const report = createReport();
    const probe = 'robustness/missing-optional-fields';
    // Say which fields went missing: those of the list the full request carried (rawTx and
    // extraParameters only exist for some operations and workspaces).
    const full = buildTx(ctx).payload;
    // Base request fields stay (they are what the policy needs); the probe says which it kept.
    const fixed = baseFields(ctx.base.tx);
    const kept = OPTIONAL_PROBE_FIELDS.filter((path) => fixed.some((f) => overlaps(f, path)));
    const dropped = OPTIONAL_PROBE_FIELDS.filter((path) => hasPath(full, path) && !kept.includes(path));
    const r = await sendValid(ctx, { unset: dropped });
    report.step('probe request', r, robustVerdict(r, `a payload without its optional fields (${dropped.join(', ')})${kept.length > 0 ? `, keeping the base request's ${kept.join(', ')}` : ''}`, { probe, report, validRequest: VALID_HINT }));
    await liveness(ctx, report);
    return report;
  },
  'robustness/unknown-fields': simple(
    'robustness/unknown-fields',
    'a payload with unknown extra fields',
    (ctx) =>
      sendValid(ctx, {
        payload: {
          csimFutureField: 'added by a later Co-signer version',
          csimFutureObject: { nested: [1, 'two', null, { deeper: true }] },
          'destinations.0.csimFutureField': 42,
        },
      }),
    { validRequest: VALID_HINT },
  ),
  'robustness/unknown-enum-values': simple(
    'robustness/unknown-enum-values',
    'a payload with unknown operation, peer type and address type values',
    (ctx) =>
      sendValid(ctx, {
        // These fields are the probe's purpose: it replaces them even in a base request.
        purpose: ['operation', 'sourceType', 'destAddressType', 'destinations.0.dstAddressType'],
        payload: { operation: 'CSIM_FUTURE_OPERATION', sourceType: 'CSIM_FUTURE_PEER', destAddressType: 'CSIM_FUTURE_ADDRESS_TYPE', 'destinations.0.dstAddressType': 'CSIM_FUTURE_ADDRESS_TYPE' },
      }),
    { validRequest: 'new operations and types appear over time [protocol.md §4.5]: treat an unknown value as "not covered by my rules" (REJECT, or IGNORE at approval), never as a crash' },
  ),
  'robustness/whitespace-body': simple('robustness/whitespace-body', 'a genuine body surrounded by whitespace', (ctx) => sendValid(ctx, { body: (genuine) => `\r\n  ${genuine} \n\t\n` })),
  'robustness/quoted-jwt': simple('robustness/quoted-jwt', 'a genuine JWT wrapped in double quotes', (ctx) => sendValid(ctx, { body: (genuine) => JSON.stringify(genuine) })),
  async 'robustness/wrong-method'(ctx) {
    const report = createReport();
    const url = `${ctx.baseUrl}${pathOf(ctx, 'tx_sign_request')}`;
    const out = await ctx.slot(() => exchange({ url, option: ctx.option, method: 'GET', headers: { 'user-agent': userAgentOf(ctx.cosigner.profile, packageVersion()) }, body: '', tls: ctx.tls, timeoutMs: ctx.timeoutMs, maxBodyBytes: DEFAULT_MAX_BODY_BYTES }));
    if (out.status !== undefined && !out.failure) ctx.timings.push(out.timings);
    const path = new URL(url).pathname;
    const received = out.failure ? `${out.failure.check}: ${out.failure.message}` : `status ${out.status}`;
    const ok = out.status !== undefined && out.status >= 400 && out.status < 500 && !out.failure;
    report.expect(`GET ${path}`, ok
      ? { ok: true, message: `refused (${out.status})` }
      : {
          ok: false,
          reason: out.status !== undefined && out.status >= 500 ? 'crashed' : 'no-refusal',
          message: `handler answered GET with ${received}`,
          hint: `serve only POST on ${path}: answer 405 (with Allow: POST) to other methods`,
          expected: 'a 4xx status (405)',
          received,
        });
    await liveness(ctx, report);
    return report;
  },
  'robustness/unknown-path': simple('robustness/unknown-path', 'a genuine request at an unknown endpoint', (ctx) => {
    const { payload, requestId } = buildTx(ctx);
    return sendBody(ctx, { body: encodeGenuine(ctx, payload), requestId, path: `${SECURITY_OPTIONS[ctx.option].pathPrefix}/csim_unknown_request` });
  }),
};
