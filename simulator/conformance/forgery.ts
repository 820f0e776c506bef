import { createHmac } from 'node:crypto';
import { base64url, signCompactJws } from '../codec/jws.js';
import { generateRsaKeyPair } from '../keys/generate.js';
import { serializePayload } from '../protocol/index.js';
import type { CallbackResult, JsonObject } from '../protocol/types.js';
import {
  buildTx,
  classify,
  correctAnswer,
  cosignerPublicPem,
  createReport,
  describe,
  encodeGenuine,
  isSignedReject,
  sendBody,
  sendValid,
  sendValidConfig,
  type ProbeContext,
  type ProbeReport,
  type Verdict,
} from './context.js';

/**
 * Refusal verdict for a forged request: a 4xx status or a signed REJECT passes; any other
 * decision, a 5xx, a dropped connection or no answer fails [protocol.md §0.5.9].
 */
export function refusalVerdict(r: CallbackResult, what: string, ctx?: ProbeContext): Verdict {
  const a = classify(r);
  const expected = 'a 4xx status (401) or a signed REJECT';
  if (a.kind === 'refusal') return { ok: true, message: `${what}: refused (${a.status})` };
  // The base request got this very answer: the policy, not verification, may have given it.
  if (ctx?.controlDecision !== undefined && a.kind === 'decision' && a.action === ctx.controlDecision) {
    return {
      ok: true,
      message: `${what}: handler ${describe(a)}, as it answered the valid base request`,
      inconclusive: `inconclusive: the handler answered ${a.action}, the same as forgery/positive-control's valid request, so this does not show that it checked the signature (give a base request your policy approves with --set or --base)`,
    };
  }
  if (isSignedReject(r)) return { ok: true, message: `${what}: refused with a signed REJECT` };
  const received = describe(a);
  if (a.kind === 'decision') {
    return {
      ok: false,
      reason: 'accepted-forgery',
      message: `${what}: handler ${received}`,
      hint: 'verify the request JWT with the Co-signer public key, RS256 only (algorithms: ["RS256"]), before reading anything from it; answer 401 when it does not verify',
      expected,
      received,
    };
  }
  return {
    ok: false,
    reason: a.kind === 'server-error' || a.kind === 'dropped' ? 'crashed' : 'no-refusal',
    message: `${what}: handler ${received} instead of refusing`,
    hint:
      a.kind === 'server-error' || a.kind === 'dropped'
        ? 'catch verification and parse errors and answer 401 (or 400): a crash on forged input is a denial-of-service handle'
        : 'refuse a request that does not verify with 401',
    expected,
    received,
  };
}

const HEADER_RS256 = '{"typ":"JWT","alg":"RS256"}';

/** A forged body for a fresh payload: `make(payload, payloadText)` returns the body. */
async function forged(ctx: ProbeContext, report: ProbeReport, label: string, what: string, make: (payload: JsonObject, text: string) => string | Promise<string>, contentType?: string): Promise<void> {
  const { payload, requestId } = buildTx(ctx);
  const body = await make(payload, serializePayload(payload, 'faithful'));
  const r = await sendBody(ctx, { body, requestId, ...(contentType !== undefined ? { contentType } : {}) });
  report.step(label, r, refusalVerdict(r, what, ctx));
}

/**
 * The key the wrong-key probe signs with: made in this process, on first use, and never written
 * anywhere, so a handler cannot have it on any list. One per process rather than per battery: the
 * selftest runs dozens of batteries, and each RSA key costs a few hundred ms.
 */
let attackerPair: ReturnType<typeof generateRsaKeyPair> | undefined;
function attackerKey(): ReturnType<typeof generateRsaKeyPair> {
  if (!attackerPair) {
    attackerPair = generateRsaKeyPair();
    // A failed generation is not kept: the next battery tries again.
    attackerPair.catch(() => (attackerPair = undefined));
  }
  return attackerPair;
}

/** The forgery probes, by id. Each sends one forged request (payload-tampered: a genuine one first). */
export const FORGERY_PROBES: Record<string, (ctx: ProbeContext) => Promise<ProbeReport>> = {
  async 'forgery/wrong-key'(ctx) {
    const report = createReport();
    const attacker = await attackerKey();
    await forged(ctx, report, 'forged request', 'a request signed RS256 with a key that is not the Co-signer\'s', (_p, text) => signCompactJws(text, attacker.privateKey));
    return report;
  },
  async 'forgery/every-cosigner-key'(ctx) {
    const report = createReport();
    const count = ctx.cosigner.cosigners;
    if (count < 2) {
      report.skip('one Co-signer key is configured, and forgery/positive-control sent it: give a kit with cosigner-2-private.pem, or --cosigner-key once per Co-signer');
      return report;
    }
    // Co-signer 1 is the positive control's; each other one signs a genuine request of its own.
    for (let n = 2; n <= count; n++) {
      const r = await sendValid(ctx, { cosigner: n });
      report.step(`Co-signer ${n}'s request`, r, correctAnswer(r, `a genuine request signed by Co-signer ${n} of ${count}`), true);
    }
    // The same foreign key as forgery/wrong-key: trusting several keys must not mean trusting any.
    const attacker = await attackerKey();
    await forged(ctx, report, 'foreign-key request', 'a request signed RS256 with a key that is none of the Co-signers\'', (_p, text) => signCompactJws(text, attacker.privateKey));
    return report;
  },
  async 'forgery/alg-none'(ctx) {
    const report = createReport();
    await forged(ctx, report, 'forged request', 'an unsigned request (alg none)', (_p, text) => `${base64url('{"typ":"JWT","alg":"none"}')}.${base64url(text)}.`);
    return report;
  },
  async 'forgery/hs256-confusion'(ctx) {
    const report = createReport();
    const secret = cosignerPublicPem(ctx);
    await forged(ctx, report, 'forged request', 'a request signed HS256 with the Co-signer public key as the secret', (_p, text) => {
      const input = `${base64url('{"typ":"JWT","alg":"HS256"}')}.${base64url(text)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    });
    return report;
  },
  async 'forgery/payload-tampered'(ctx) {
    const report = createReport();
    const original = buildTx(ctx);
    const genuine = encodeGenuine(ctx, original.payload);
    // Send the genuine request first, as an attacker who captured it would have seen it pass.
    const first = await sendBody(ctx, { body: genuine, requestId: original.requestId });
    report.step('genuine request', first, { ok: true, message: `sent first so its signature is known to the handler: handler ${describe(classify(first))}` });
    // Same transaction details, new ids: whatever the policy answered the genuine one, it would
    // answer this one too, so only signature verification can refuse it.
    const fresh = buildTx(ctx);
    const changed: JsonObject = { ...original.payload, txId: fresh.payload.txId ?? fresh.requestId, requestId: fresh.requestId };
    const [h, , s] = genuine.split('.');
    const body = `${h}.${base64url(serializePayload(changed, 'faithful'))}.${s}`;
    const r = await sendBody(ctx, { body, requestId: fresh.requestId });
    report.step('tampered request', r, refusalVerdict(r, 'a genuine signature over a changed payload (new txId and requestId)', ctx));
    return report;
  },
  async 'forgery/truncated-signature'(ctx) {
    const report = createReport();
    await forged(ctx, report, 'forged request', 'a genuine request with its signature cut in half', (p) => {
      const jws = encodeGenuine(ctx, p);
      const dot = jws.lastIndexOf('.');
      const sig = jws.slice(dot + 1);
      return `${jws.slice(0, dot)}.${sig.slice(0, Math.floor(sig.length / 2))}`;
    });
    return report;
  },
  async 'forgery/empty-signature'(ctx) {
    const report = createReport();
    await forged(ctx, report, 'forged request', 'a request with an empty signature', (_p, text) => `${base64url(HEADER_RS256)}.${base64url(text)}.`);
    return report;
  },
  async 'forgery/json-body'(ctx) {
    const report = createReport();
    // Sent as application/json: what a JSON fallback expects, and what an attacker would send.
    await forged(ctx, report, 'forged request', 'the payload as plain JSON (application/json) instead of a JWT', (_p, text) => text, 'application/json');
    return report;
  },
  async 'forgery/empty-body'(ctx) {
    const report = createReport();
    const r = await sendBody(ctx, { body: '', requestId: '' });
    report.step('forged request', r, refusalVerdict(r, 'an empty body', ctx));
    return report;
  },
};

/**
 * The positive control of a group: one genuine request built from the base (signing stage, or a
 * config change under `--endpoints config`). The forgery group needs it approved: a refusal of a
 * forgery only means something when the same request, genuinely signed, is approved.
 */
export async function positiveControl(
  ctx: ProbeContext,
  o: { group: string; requireApprove: boolean; seeAlso?: string | undefined; sent?: Promise<CallbackResult> },
): Promise<{ report: ProbeReport; ok: boolean; why?: string; decision?: string }> {
  const report = createReport();
  const r = await (o.sent ?? sendControl(ctx));
  const a = classify(r);
  const ok = a.kind === 'decision' && (!o.requireApprove || a.action === 'APPROVE');
  const source = ctx.endpoints === 'config' ? ctx.base.config?.source : ctx.base.tx?.source;
  const what = source !== undefined ? `the base request (${source})` : 'the default request';
  const fix = source !== undefined
    ? `change the base request (${source}) so that your policy ${o.requireApprove ? 'approves' : 'decides'} it`
    : `give a request your policy ${o.requireApprove ? 'approves' : 'decides'}: --set path=value (e.g. --set note=ticket-42) or --base <scenario file>[#name]`;
  const story = o.seeAlso !== undefined
    ? `the same root cause as ${o.seeAlso}: ${what} got no ${o.requireApprove ? 'approval' : 'correct answer'} (handler ${describe(a)})`
    : `root cause: ${what} got no ${o.requireApprove ? 'approval' : 'correct answer'}: handler ${describe(a)}; the ${o.group} probes that need it are not run`;
  report.step('valid request', r, ok
    ? { ok: true, message: `${what}: handler ${describe(a)}` }
    : {
        ok: false,
        reason: 'refused-valid',
        message: story,
        hint: `${fix}${a.kind === 'decision' ? '' : `; ${r.checks.find((c) => c.status === 'fail')?.hint ?? 'answer 200 with the decision'}`}`,
        expected: o.requireApprove ? 'APPROVE (200, signed where the option signs, well-shaped, requestId echoed)' : 'a correct decision (200, signed where the option signs, well-shaped, requestId echoed)',
        received: describe(a),
      }, true);
  return { report, ok, ...(ok ? {} : { why: describe(a) }), ...(!ok && a.kind === 'decision' ? { decision: a.action } : {}) };
}

/** The control's one request: the base tx at the signing stage, or the config base under `--endpoints config`. */
export function sendControl(ctx: ProbeContext): Promise<CallbackResult> {
  return ctx.endpoints === 'config' ? sendValidConfig(ctx) : sendValid(ctx);
}
