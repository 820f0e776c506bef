import { stripVTControlCharacters } from 'node:util';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { Sink } from '../simulator/cli/io.js';
import { createRedactor, redactText, redactValue } from '../simulator/report/index.js';
import { escapeData, escapeProperty, renderGithubAnnotations, renderGithubSummary } from '../simulator/cli/reporters/github.js';
import { summarize } from '../simulator/cli/reporters/format.js';
import { renderJsonReport } from '../simulator/cli/reporters/json.js';
import { escapeXml, renderJunitReport } from '../simulator/cli/reporters/junit.js';
import { createPrettyReporter } from '../simulator/cli/reporters/pretty.js';
import { renderCtrfReport } from '../simulator/cli/reporters/ctrf.js';
import { resolveProfile } from '../simulator/protocol/profiles.js';
import type { FinalReport, RunInfo } from '../simulator/cli/reporters/types.js';
import type { CallbackResult, CheckOutcome, Warning } from '../simulator/protocol/types.js';
import type { ScenarioResult } from '../simulator/runner/types.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { xmlProblems } from './fixtures/cli/well-formed-xml.js';

// A compact JWS whose third segment stands in for a signature.
const SIGNATURE = 'c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const JWS = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhY3Rpb24iOiJBUFBST1ZFIn0.${SIGNATURE}`;
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

interface ExchangeSpec {
  action?: unknown;
  rejectionReason?: unknown;
  hasRejectionReason?: boolean;
  checks?: CheckOutcome[];
  warnings?: Warning[];
}

function passing(): CheckOutcome[] {
  return (['connect', 'tls', 'http-status', 'body-format', 'jwt-alg', 'jwt-signature', 'request-id', 'action'] as const).map((id) => ({ id, status: 'pass' }));
}

function exchange(spec: ExchangeSpec = {}): CallbackResult {
  const action = 'action' in spec ? spec.action : 'APPROVE';
  const checks = spec.checks ?? passing();
  const claims: Record<string, unknown> = { action, requestId: 'req-1', ...(spec.hasRejectionReason ? { rejectionReason: spec.rejectionReason } : {}) };
  return {
    request: {
      method: 'POST',
      endpoint: 'tx_sign_request',
      url: 'https://127.0.0.1:8443/v2/tx_sign_request',
      option: 1,
      stage: 'signing',
      requestId: 'req-1',
      txId: 'req-1',
      payload: { requestId: 'req-1', apiKey: 'super-secret' },
      body: JWS,
      headers: { 'content-type': 'text/plain' },
    },
    response: {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: JWS,
      bodyBytes: JWS.length,
      truncated: false,
      complete: true,
      jwt: { header: { alg: 'RS256', typ: 'JWT' }, payload: claims },
    },
    decision: { action, requestId: 'req-1', ...(spec.hasRejectionReason ? { rejectionReason: spec.rejectionReason } : {}), hasRejectionReason: spec.hasRejectionReason ?? false },
    timings: { totalMs: 38 },
    checks,
    warnings: spec.warnings ?? [],
    ok: checks.every((c) => c.status !== 'fail'),
  };
}

function scenario(name: string, ex: CallbackResult | undefined, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const steps = ex ? [{ endpoint: ex.request.endpoint, stage: ex.request.stage, attempts: [ex], final: ex, expectation: { id: 'expectation' as const, status: 'pass' as const } }] : [];
  return {
    name,
    file: 'scenarios/x.yaml',
    line: 3,
    option: 1,
    status: ex ? (ex.ok ? 'pass' : 'fail') : 'skip',
    steps,
    checks: ex ? [...ex.checks.filter((c) => c.status === 'fail'), ...ex.checks.filter((c) => c.status !== 'fail'), { id: 'expectation', status: 'pass' }] : [],
    warnings: ex?.warnings ?? [],
    durationMs: 40,
    ...extra,
  };
}

const failedSignature: CheckOutcome[] = passing().map((c) =>
  c.id === 'jwt-signature'
    ? { id: 'jwt-signature', status: 'fail', message: 'response JWT does not verify with the handler public key (RS256)', hint: 'sign with the right key', expected: 'a valid RS256 signature', received: JWS }
    : c,
);

function report(results: ScenarioResult[], over: Partial<RunInfo> = {}, warnings: Warning[] = []): FinalReport {
  const info: RunInfo = {
    command: 'run',
    version: '0.1.0',
    option: 1,
    seed: 42,
    strict: false,
    embedded: true,
    targets: [{ option: 1, label: 'jwt+public-ca', url: 'https://127.0.0.1:8443', embedded: true }],
    ...over,
  };
  const summary = summarize(results, info.strict, 212);
  return { info, results, summary, warnings, ok: summary.failed === 0 };
}

const sample = () =>
  report([
    scenario('approve transfer', exchange()),
    scenario('reject <unknown> & "weird" \u0001 name', exchange({ action: 'REJECT', hasRejectionReason: true, rejectionReason: null, checks: failedSignature })),
    scenario('only option 4', undefined, { skipReason: 'option 1 not in options [4]' }),
    scenario('approve with a warning', exchange({ warnings: [{ id: 'plain-http', message: 'plain http: 100% unencrypted,\nreally', hint: 'use https' }] })),
  ]);

describe('redact', () => {
  it('removes PEM blocks, JWS signatures and URL passwords from text', () => {
    const out = redactText(`key ${PEM} body ${JWS} url https://user:hunter2@host/x`);
    expect(out).not.toContain('MIIEvQ');
    // One redactor for matchers and reporters (simulator/report): the PEM armour goes too.
    expect(out).toContain('key [PRIVATE KEY redacted] body');
    expect(out).not.toContain('BEGIN');
    expect(out).not.toContain(SIGNATURE);
    expect(out).toContain(`eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhY3Rpb24iOiJBUFBST1ZFIn0.<signature: ${SIGNATURE.length} chars, redacted>`);
    expect(out).not.toContain('hunter2');
  });

  it('replaces fields named like secrets, at any depth, without changing the input', () => {
    const input = { apiKey: 'a', nested: { client_secret: 'b', password: 'c', accessToken: 'd', privateKey: PEM, requestId: 'keep' }, list: [{ token: 'e' }] };
    const out = redactValue(input);
    expect(out).toEqual({ apiKey: '[redacted]', nested: { client_secret: '[redacted]', password: '[redacted]', accessToken: '[redacted]', privateKey: '[redacted]', requestId: 'keep' }, list: [{ token: '[redacted]' }] });
    expect(input.apiKey).toBe('a');
  });

  it('does nothing with --show-secrets', () => {
    const r = createRedactor(true);
    expect(r.text(JWS)).toBe(JWS);
    expect(r.value({ apiKey: 'a' })).toEqual({ apiKey: 'a' });
  });
});

describe('JSON reporter', () => {
  it('lists every scenario in order with every check, and the response fields as sent', () => {
    const doc = JSON.parse(renderJsonReport(sample(), createRedactor(false))) as Record<string, any>;
    expect(doc).toMatchObject({ ok: false, option: 1, url: 'https://127.0.0.1:8443', seed: 42, warnings: [] });
    expect(doc.summary).toEqual({ total: 4, passed: 2, failed: 1, skipped: 1, notRun: 0, durationMs: 212, warnings: 1 });
    expect(doc.scenarios.map((s: { name: string }) => s.name)).toEqual(['approve transfer', 'reject <unknown> & "weird" \u0001 name', 'only option 4', 'approve with a warning']);
    const [approve, reject, skipped] = doc.scenarios;
    expect(approve).toMatchObject({ file: 'scenarios/x.yaml', option: 1, ok: true, attempts: 1, request: { endpoint: 'tx_sign_request', stage: 'signing', requestId: 'req-1' }, response: { status: 200, action: 'APPROVE', requestId: 'req-1', latencyMs: 38 } });
    expect('rejectionReason' in approve.response).toBe(false);
    expect(reject.response.rejectionReason).toBeNull();
    expect(reject.checks[0]).toMatchObject({ id: 'jwt-signature', status: 'fail', message: expect.any(String), hint: 'sign with the right key' });
    expect(reject.checks.map((c: { id: string }) => c.id)).toContain('request-id');
    expect(skipped).toMatchObject({ ok: true, status: 'skip', skipReason: 'option 1 not in options [4]', request: null, response: null });
  });

  it('carries every request sent (path, headers, payload, stage) by default; secrets, signatures and raw bodies only with --show-secrets', () => {
    const hidden = renderJsonReport(sample(), createRedactor(false));
    expect(hidden).not.toContain(SIGNATURE);
    expect(hidden).not.toContain('super-secret');
    const doc = JSON.parse(hidden) as Record<string, any>;
    expect(doc.reportVersion).toBe(4);
    const request = { path: '/v2/tx_sign_request', stage: 'signing', headers: { 'content-type': 'text/plain' }, payload: { requestId: 'req-1', apiKey: '[redacted]' } };
    expect(doc.scenarios[0].request).toMatchObject(request);
    expect(doc.scenarios[0].request).not.toHaveProperty('body');
    expect(doc.scenarios[0].requests).toEqual([{ step: 1, attempt: 1, ...doc.scenarios[0].request }]);
    expect(doc.scenarios[2].requests).toEqual([]);
    const shown = JSON.parse(renderJsonReport(sample(), createRedactor(true))) as Record<string, any>;
    expect(shown.scenarios[0].request.body).toBe(JWS);
    expect(shown.scenarios[0].request.payload.apiKey).toBe('super-secret');
  });

  it('reports "all" and a null url for --option all', () => {
    const doc = JSON.parse(renderJsonReport(report([scenario('a [option 2]', exchange(), { option: 2 })], { option: 'all', targets: [] }), createRedactor(false))) as Record<string, any>;
    expect(doc.option).toBe('all');
    expect(doc.url).toBeNull();
    expect(doc.scenarios[0].option).toBe(2);
  });

  it('fails a scenario with warnings under --strict', () => {
    const doc = JSON.parse(renderJsonReport(report(sample().results, { strict: true }), createRedactor(false))) as Record<string, any>;
    expect(doc.summary.failed).toBe(2);
    expect(doc.scenarios[3].ok).toBe(false);
  });
});

describe('JUnit reporter', () => {
  it('writes well-formed, escaped XML with one testcase per scenario', () => {
    const xml = renderJunitReport(sample(), createRedactor(false));
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('<skipped message="option 1 not in options [4]"/>');
    expect(xml).toContain('name="reject &lt;unknown&gt; &amp; &quot;weird&quot; \uFFFD name"');
    expect(xml).toMatch(/<failure message="jwt-signature: [^"]*" type="jwt-signature">✗ jwt-signature: response JWT does not verify/);
    expect(xml).toContain('hint: sign with the right key');
    expect(xml).toContain('<system-out>⚠ plain-http: plain http: 100% unencrypted,\nreally');
    expect(xml).not.toContain(SIGNATURE);
  });

  it('lists scenarios that never ran as skipped testcases saying why (--bail, or the signal), counted in tests and skipped', () => {
    const bailed = report([scenario('first', exchange({ checks: failedSignature }))]);
    bailed.summary.notRun = 2;
    bailed.notRun = [
      { name: 'second <2>', file: 'scenarios/x.yaml', line: 9, option: 1 },
      { name: 'third', file: 'scenarios/y.yaml', option: 1 },
    ];
    const xml = renderJunitReport(bailed, createRedactor(false));
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1" errors="0" skipped="2"/);
    expect(xml).toMatch(/<testsuite name="scenarios\/x.yaml" tests="2" failures="1" errors="0" skipped="1"/);
    expect(xml).toContain('<testcase name="second &lt;2&gt;" classname="scenarios/x.yaml" file="scenarios/x.yaml" line="9" time="0.000">\n      <skipped message="not run: --bail stopped the run after a failure"/>');
    expect(xml).toMatch(/<testsuite name="scenarios\/y.yaml" tests="1" failures="0" errors="0" skipped="1"/);
    bailed.summary.interrupted = 'SIGINT';
    expect(renderJunitReport(bailed, createRedactor(false)).match(/<skipped message="not run: the run was interrupted \(SIGINT\)"\/>/g)).toHaveLength(2);
    const doc = JSON.parse(renderJsonReport(bailed, createRedactor(false))) as { summary: Record<string, unknown>; notRun: unknown[] };
    expect(doc.summary).toMatchObject({ notRun: 2, interrupted: 'SIGINT' });
    expect(doc.notRun).toEqual([
      { name: 'second <2>', file: 'scenarios/x.yaml', line: 9, option: 1, status: 'not-run', reason: 'not run: the run was interrupted (SIGINT)' },
      { name: 'third', file: 'scenarios/y.yaml', option: 1, status: 'not-run', reason: 'not run: the run was interrupted (SIGINT)' },
    ]);
  });

  it('escapes what XML cannot carry', () => {
    expect(escapeXml('a<b>&"\'\u0000\uD800')).toBe('a&lt;b&gt;&amp;&quot;&apos;\uFFFD\uFFFD');
    expect(escapeXml('two\nlines', true)).toBe('two&#10;lines');
    expect(xmlProblems('<a><b></a></b>')).not.toEqual([]);
    expect(xmlProblems('<a x="1 & 2"/>')).not.toEqual([]);
  });
});

describe('GitHub reporter', () => {
  it('escapes workflow command data and properties like actions/toolkit', () => {
    expect(escapeData('50%\r\nok')).toBe('50%25%0D%0Aok');
    expect(escapeProperty('a: b, c')).toBe('a%3A b%2C c');
  });

  it('writes one single-line ::error per failed scenario and ::warning for warnings', () => {
    const out = renderGithubAnnotations(sample(), createRedactor(false));
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=scenarios\/x\.yaml,line=3,title=cosigner-sim%3A reject <unknown> & "weird" \u0001 name::jwt-signature: response JWT does not verify .*%0Ahint: sign with the right key%0Aconsequence: not documented: the Co-signer most likely treats it as no answer: .* \[unknown; D-resp §0\.5\.8\]%0Aexpected: .*%0ARequest:  POST https/);
    expect(lines[1]).toMatch(/^::warning file=scenarios\/x\.yaml,line=3,title=.*::plain-http: plain http: 100%25 unencrypted,%0Areally%0Ahint: use https$/);
  });

  it('renders a Markdown summary table with escaped cells', () => {
    const md = renderGithubSummary(report([scenario('a | b', exchange({ checks: failedSignature }))]), createRedactor(false));
    expect(md).toContain('| | Scenario | Option | Action | Latency | Failed checks |');
    expect(md).toContain('| ❌ | a \\| b | 1 | APPROVE | 38ms | `jwt-signature` response JWT does not verify');
  });
});

describe('pretty reporter', () => {
  function render(r: FinalReport, colors = pc.createColors(false), verbose = false): string {
    let text = '';
    const out: Sink = { write: (s) => void (text += s) };
    const reporter = createPrettyReporter({ out, colors, redact: createRedactor(false), detail: false, verbose });
    reporter.onStart?.(r.info);
    for (const res of r.results) reporter.onResult?.(res);
    reporter.onEnd(r);
    return text;
  }

  it('prints the header, a line per scenario, a failure block and the summary with the seed', () => {
    const text = render(sample());
    const lines = text.split('\n');
    expect(lines[0]).toBe('cosigner-sim 0.1.0 · option 1 jwt+public-ca · embedded reference handler https://127.0.0.1:8443 (no --url given)');
    expect(lines[1]).toMatch(/^ ✓ approve transfer\s+APPROVE\s+38ms$/);
    expect(lines[2]).toMatch(/^ ✗ reject .* REJECT\s+38ms  jwt-signature: response JWT does not verify .*scenarios\/x\.yaml:3$/);
    expect(lines[3]).toMatch(/^ – only option 4\s+skipped: option 1 not in options \[4\]$/);
    expect(text).toContain(' FAIL  reject');
    expect(text).toContain('    hint: sign with the right key');
    expect(text).toContain('  Request:  POST https://127.0.0.1:8443/v2/tx_sign_request  (option 1 jwt+public-ca, signing stage)');
    expect(text).toContain('    JWT header:    {"alg":"RS256","typ":"JWT"}');
    expect(text).toContain('    JWT payload:   {"action":"REJECT","requestId":"req-1","rejectionReason":null}');
    expect(text).toContain(`    JWT signature: <${SIGNATURE.length} chars, redacted>`);
    expect(text).toContain('⚠ plain-http: plain http: 100% unencrypted,');
    expect(text).toContain('Scenarios  2 passed | 1 failed | 1 skipped (4)   Duration 0.21s   Seed 42');
    expect(text).not.toContain(SIGNATURE);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('shows the payload under a failure, the fields a policy decides on first, and not under a pass', () => {
    const tx = exchange({ checks: failedSignature });
    tx.request.payload = { txId: 't', amount: 250000, amountStr: '250000', asset: 'ETH', destinations: [{ dstType: 'ONE_TIME_ADDRESS', dstAddress: '0xabc', dstId: 'd1' }], operation: 'TRANSFER', externalTxId: 'ext-1', apiKey: 'super-secret', requestId: 'req-1' };
    const text = render(report([scenario('approve transfer', exchange()), scenario('bad signature', tx)]));
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  Payload:  '));
    expect(lines[at]).toBe('  Payload:  amount 250000, amountStr "250000", asset "ETH", destinations [{"dstType":"ONE_TIME_ADDRESS","dstAddress":"0xabc"}], operation "TRANSFER", stage signing, externalTxId "ext-1"');
    expect(lines[at + 1]).toBe('            rest of payload: {"txId":"t","destinations":[{"dstId":"d1"}],"apiKey":"[redacted]","requestId":"req-1"}');
    expect(lines[at - 2]).toMatch(/^ {2}Request: {2}POST /);
    expect(lines.filter((l) => l.includes('Payload:'))).toHaveLength(1); // the passing scenario tells none
    expect(text).not.toContain('super-secret');
  });

  it('--verbose shows the full exchange under every scenario: headers, the whole payload, the response', () => {
    const long = exchange();
    long.request.payload = { requestId: 'req-1', note: 'x'.repeat(2000) };
    const text = render(report([scenario('approve transfer', long), scenario('bad signature', exchange({ checks: failedSignature }))]), pc.createColors(false), true);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^ ✓ approve transfer/);
    expect(lines.slice(2, 5)).toEqual([
      '  Request:  POST https://127.0.0.1:8443/v2/tx_sign_request  (option 1 jwt+public-ca, signing stage)',
      '            requestId req-1',
      '            headers {"content-type":"text/plain"}',
    ]);
    expect(lines[5]).toBe('  Payload:  stage signing');
    expect(lines[6]).toBe(`            rest of payload: {"requestId":"req-1","note":"${'x'.repeat(2000)}"}`);
    expect(text.match(/Payload: /g)).toHaveLength(2);
    expect(text.match(/headers \{/g)).toHaveLength(2);
    expect(render(report([scenario('approve transfer', long)]))).not.toContain('Payload:');
  });

  it('--verbose reaches the pretty reporter from the command line', async () => {
    const [plain, verbose] = await Promise.all([runInProcess(['send', 'config', '--option', '2']), runInProcess(['send', 'config', '--option', '2', '--verbose'])]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(plain.stdout).toMatch(/\n {2}Payload: {2}type "UNMANAGED_WALLET", stage approval\n/);
    expect(plain.stdout).not.toMatch(/^ {12}headers \{/m);
    expect(verbose.stdout).toMatch(/^ {12}headers \{.*"content-type":"text\/plain"/m);
  }, 60_000);

  it('colours only when asked', () => {
    const text = render(sample(), pc.createColors(true));
    expect(text).toMatch(/\u001b\[/);
    expect(stripVTControlCharacters(text)).toBe(render(sample()));
  });
});

describe('the consequence line on every surface', () => {
  const consequence = 'consequence: not documented: the Co-signer most likely treats it as no answer: as after 30 s, the transaction fails at the signing stage (this Co-signer does not sign it), without a retry [I] [unknown; D-resp §0.5.8]';

  it('is printed under the failed check by the pretty, JUnit, GitHub and CTRF reporters, and only under it', () => {
    let pretty = '';
    const reporter = createPrettyReporter({ out: { write: (s) => void (pretty += s) }, colors: pc.createColors(false), redact: createRedactor(false), detail: false });
    const r = sample();
    reporter.onStart?.(r.info);
    for (const res of r.results) reporter.onResult?.(res);
    reporter.onEnd(r);
    const lines = pretty.split('\n');
    expect(lines[lines.findIndex((l) => l === '    hint: sign with the right key') + 1]).toBe(`    ${consequence}`);
    expect(pretty.split('consequence:')).toHaveLength(2);
    expect(renderJunitReport(r, createRedactor(false))).toContain(escapeXml(`hint: sign with the right key\n  ${consequence}`));
    expect(renderGithubSummary(r, createRedactor(false))).toContain(consequence);
    const ctrf = JSON.parse(renderCtrfReport(r, createRedactor(false), { start: 0, stop: 1 })) as Record<string, any>;
    expect(ctrf.results.tests[1].message).toContain(`hint: sign with the right key\n  ${consequence}`);
    expect(ctrf.results.tests[0]).not.toHaveProperty('message');
  });

  it('the JSON report gives each failed check {text, mark, source, section}, and a passing check none', () => {
    const doc = JSON.parse(renderJsonReport(sample(), createRedactor(false))) as Record<string, any>;
    const failed = doc.scenarios[1].checks.find((c: { id: string }) => c.id === 'jwt-signature');
    expect(failed.consequence).toEqual({ text: expect.stringMatching(/^not documented: /), mark: 'unknown', source: 'D-resp', section: '§0.5.8' });
    for (const s of doc.scenarios) for (const c of s.checks) if (c.status !== 'fail') expect(c).not.toHaveProperty('consequence');
  });

  it('follows the profile the run simulates: RETRY before sgx@3.6.5 fails the request', () => {
    const retryFailed = passing().map((c): CheckOutcome => (c.id === 'action' ? { id: 'action', status: 'fail', reason: 'invalid', message: 'RETRY arrived with sgx@3.6.5', hint: 'answer APPROVE or REJECT' } : c));
    const r = report([scenario('retry', exchange({ action: 'RETRY', checks: retryFailed }))], { profile: resolveProfile('sgx@3.5.0') });
    const doc = JSON.parse(renderJsonReport(r, createRedactor(false))) as Record<string, any>;
    expect(doc.scenarios[0].checks[0].consequence).toMatchObject({ mark: 'inferred', source: 'D-arch', text: expect.stringContaining('the Co-signer fails the request') });
    expect(renderJunitReport(r, createRedactor(false))).toContain('this run simulates sgx@3.5.0');
    const latest = JSON.parse(renderJsonReport({ ...r, info: { ...r.info, profile: resolveProfile('latest') } }, createRedactor(false))) as Record<string, any>;
    expect(latest.scenarios[0].checks[0].consequence.mark).toBe('unknown');
  });
});
