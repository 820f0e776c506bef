import { REQUEST_CONTENT_TYPES, type RequestContentType } from '../client/cosigner.js';
import { SECURITY_OPTIONS } from '../protocol/options.js';
import type { Endpoint } from '../protocol/types.js';
import type { ContentTypeVerdict } from '../runner/types.js';
import { buildConfig, buildTx, classify, correctAnswer, createReport, describe, encodeGenuine, sendBody, sendValid, sendValidConfig, type ProbeContext, type ProbeReport } from './context.js';

type ProbeFn = (ctx: ProbeContext) => Promise<ProbeReport>;

/** An address no allow-list holds: a policy refuses it, which is where IGNORE tends to slip in. */
const UNKNOWN_ADDRESS = '0x000000000000000000000000000000000000dEaD';

/** The protocol probes, by id. */
export const PROTOCOL_PROBES: Record<string, ProbeFn> = {
  async 'protocol/endpoints'(ctx) {
    const report = createReport();
    // Only the routes the handler serves (--endpoints); the other is reported as left out.
    const [tx, config] = await Promise.all([ctx.endpoints !== 'config' ? sendValid(ctx) : undefined, ctx.endpoints !== 'tx' ? sendValidConfig(ctx) : undefined]);
    if (tx) report.step('tx_sign_request', tx, correctAnswer(tx, `POST ${new URL(tx.request.url).pathname}`), true);
    if (config) report.step('config_change_sign_request', config, correctAnswer(config, `POST ${new URL(config.request.url).pathname}`), true);
    if (ctx.endpoints !== 'both') report.expect('scope', { ok: true, message: `--endpoints ${ctx.endpoints}: the ${ctx.endpoints === 'tx' ? 'config_change_sign_request' : 'tx_sign_request'} route is not probed` });
    return report;
  },
  async 'protocol/wrong-prefix'(ctx) {
    const report = createReport();
    const wrongPrefix = SECURITY_OPTIONS[ctx.option].pathPrefix === '/v2' ? '' : '/v2';
    const served: string[] = [];
    const endpoints: Endpoint[] = ctx.endpoints === 'both' ? ['tx_sign_request', 'config_change_sign_request'] : ctx.endpoints === 'tx' ? ['tx_sign_request'] : ['config_change_sign_request'];
    for (const endpoint of endpoints) {
      const path = `${wrongPrefix}/${endpoint}`;
      const built = endpoint === 'tx_sign_request' ? buildTx(ctx) : buildConfig(ctx);
      const r = await sendBody(ctx, { body: encodeGenuine(ctx, built.payload), requestId: built.requestId, stage: built.stage, path });
      const a = classify(r);
      if (a.kind === 'decision') served.push(path);
      report.step(path, r, { ok: true, message: `handler ${describe(a)}${a.kind === 'decision' ? ' (a decision where the Co-signer never calls)' : ''}` });
    }
    if (served.length > 0) {
      const right = SECURITY_OPTIONS[ctx.option].pathPrefix === '/v2' ? 'under /v2' : 'without /v2';
      report.warn({
        id: 'protocol/wrong-prefix',
        message: `the handler serves decisions at ${served.join(' and ')}, where the Co-signer never calls in option ${ctx.option} (${SECURITY_OPTIONS[ctx.option].label})`,
        hint: `option ${ctx.option} calls the endpoints ${right} [protocol.md §1]: serve only those routes, so that a handler configured for the wrong option fails loudly`,
      });
    }
    return report;
  },
  async 'protocol/stages'(ctx) {
    const report = createReport();
    const [approval, signing] = await Promise.all([sendValid(ctx, { stage: 'approval' }), sendValid(ctx, { stage: 'signing' })]);
    report.step('approval stage', approval, correctAnswer(approval, 'an approval-stage request (no fee)'), true);
    report.step('signing stage', signing, correctAnswer(signing, 'a signing-stage request (with fee)'), true);
    return report;
  },
  async 'protocol/no-ignore-at-signing'(ctx) {
    const report = createReport();
    const variants: { label: string; send: () => Promise<Awaited<ReturnType<typeof sendValid>>> }[] = [
      { label: 'unknown destination', send: () => sendValid(ctx, { payload: { destAddress: UNKNOWN_ADDRESS, 'destinations.0.dstAddress': UNKNOWN_ADDRESS, 'destinations.0.displayDstAddress': UNKNOWN_ADDRESS } }) },
      { label: 'large amount', send: () => sendValid(ctx, { payload: { 'destinations.0.amountUSD': 25_000_000 } }) },
      { label: 'contract call', send: () => sendValid(ctx, { operation: 'CONTRACT_CALL' }) },
    ];
    for (const v of variants) {
      const r = await v.send();
      const a = classify(r);
      report.step(v.label, r, r.decision.action === 'IGNORE'
        ? {
            ok: false,
            reason: 'ignore-at-signing',
            message: `a signing-stage request (${v.label}) was answered IGNORE`,
            hint: 'IGNORE is valid for approvals only [protocol.md §0.5.5]: at the signing stage answer REJECT (or RETRY)',
            expected: 'APPROVE, REJECT or RETRY',
            received: 'IGNORE',
          }
        : { ok: true, message: `signing stage, ${v.label}: handler ${describe(a)}` });
    }
    return report;
  },
  async 'protocol/batched-request-id'(ctx) {
    const report = createReport();
    const r = await sendValid(ctx, { batched: true });
    report.step('batched request', r, correctAnswer(r, `a batched request (requestId ${r.request.requestId}, txId ${r.request.txId ?? '?'})`), true);
    return report;
  },
  async 'protocol/content-types'(ctx) {
    const report = createReport();
    const table: Record<string, ContentTypeVerdict> = {};
    const results = await Promise.all(REQUEST_CONTENT_TYPES.map((type) => sendValid(ctx, { contentType: type })));
    const accepted: RequestContentType[] = [];
    const refused: string[] = [];
    for (const [i, type] of REQUEST_CONTENT_TYPES.entries()) {
      const r = results[i]!;
      const a = classify(r);
      const label = type === 'none' ? 'no Content-Type' : type;
      table[type] = a.kind === 'decision' ? 'accepted' : a.kind === 'refusal' ? 'refused' : a.kind === 'timeout' ? 'no answer' : 'error';
      if (a.kind === 'decision') accepted.push(type);
      else if (a.kind !== 'timeout') refused.push(`${type} (${describe(a)})`);
      // A hang fails here (report.step's no-answer rule), naming the Content-Type: the Co-signer's
      // request would be held open until its own deadline.
      report.step(label, r, { ok: true, message: `${label}: handler ${describe(a)}` });
    }
    report.contentTypes = table;
    const shown = REQUEST_CONTENT_TYPES.map((t) => `${t} ${table[t]}`).join(', ');
    const hung = REQUEST_CONTENT_TYPES.filter((t) => table[t] === 'no answer');
    report.expect('Content-Types', accepted.length > 0 || hung.length > 0
      ? { ok: true, message: shown }
      : { ok: false, reason: 'refused-all', message: `no request Content-Type got a correct answer: ${refused.join(', ')}`, hint: 'read the raw body as text whatever its Content-Type' });
    if (accepted.length > 0 && refused.length > 0) {
      report.warn({
        id: 'protocol/content-types',
        message: `the handler answers only ${accepted.length === 1 ? `one request Content-Type (${accepted[0]})` : `some request Content-Types (${accepted.join(', ')})`}; refused: ${refused.join(', ')}`,
        hint: CONTENT_TYPE_HINT,
      });
    }
    return report;
  },
  async 'protocol/unknown-config-type'(ctx) {
    const report = createReport();
    const r = await sendValidConfig(ctx, { type: UNKNOWN_CONFIG_TYPE });
    if (r.response?.status === 404) {
      // A 404 may be "no config route at all" (protocol/endpoints' defect, not this one) or a route
      // that refuses types it does not know. A known type tells them apart: one more request, only here.
      const known = await sendValidConfig(ctx);
      if (known.response?.status === 404) {
        report.step('known type', known, { ok: true, message: 'a documented config change type gets 404 too: the handler has no config route' });
        report.notRunBecause('the handler has no config_change_sign_request route (a documented type gets 404 too), so an unknown type cannot be judged: protocol/endpoints reports the missing route', 'protocol/endpoints');
        return report;
      }
    }
    const v = correctAnswer(r, `a config change of the undocumented type ${UNKNOWN_CONFIG_TYPE}${ctx.base.config ? ' (the probe replaces the base request\'s type: that is what it tests)' : ''}`);
    report.step('unknown type', r, v.ok ? v : { ...v, reason: 'unknown-type', hint: 'decide on a type you do not know (REJECT it, or IGNORE it) instead of crashing: the Co-signer keeps adding configuration change types [protocol.md §6]' }, true);
    return report;
  },
};

/** A type the docs do not list (yet): the kind the Co-signer keeps adding. */
export const UNKNOWN_CONFIG_TYPE = 'POLICY_CHANGE';

/** Framework-free first, then the two stacks handlers are written in most. */
const CONTENT_TYPE_HINT =
  'the real Co-signer\'s request Content-Type is not documented [protocol.md §1, §13.1]: read the raw body as text whatever its Content-Type (Express: express.text({ type: () => true }); FastAPI: body = (await request.body()).decode(); Flask: request.get_data(as_text=True))';
