/**
 * One failure story, every surface. A recorded failing CallbackResult (no network: real RSA keys,
 * a response JWT signed with a key the Co-signer does not trust, judged by the same pure checks
 * the client runs) goes through the matcher message, the pretty reporter (with and without
 * colour), the JUnit reporter, and the GitHub annotation and step summary. After stripping colour
 * and undoing each surface's escaping, they carry the same request line, response line, decoded
 * JWT (or body) lines, payload lines and failed-check lines, because all of them render
 * simulator/report.
 */
import { stripVTControlCharacters } from 'node:util';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import '../matchers/vitest.js';
import type { Sink } from '../simulator/cli/io.js';
import { signCompactJws } from '../simulator/codec/jws.js';
import { summarize } from '../simulator/cli/reporters/format.js';
import { renderGithubAnnotations, renderGithubSummary } from '../simulator/cli/reporters/github.js';
import { renderJunitReport } from '../simulator/cli/reporters/junit.js';
import { createPrettyReporter } from '../simulator/cli/reporters/pretty.js';
import type { FinalReport } from '../simulator/cli/reporters/types.js';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { createRedactor } from '../simulator/report/index.js';
import type { ScenarioResult } from '../simulator/runner/types.js';
import { recordExchange, reportKeys } from './fixtures/report/recorded.js';

function scenarioOf(res: CallbackResult): ScenarioResult {
  const expectation = { id: 'expectation' as const, status: 'pass' as const };
  return {
    name: 'small transfer is signed',
    file: 'scenarios/signed.yaml',
    line: 1,
    option: res.request.option,
    status: 'fail',
    steps: [{ endpoint: res.request.endpoint, stage: res.request.stage, attempts: [res], final: res, expectation }],
    checks: [...res.checks, expectation],
    warnings: [],
    durationMs: 40,
  };
}

function reportOf(res: CallbackResult): FinalReport {
  const results = [scenarioOf(res)];
  const summary = summarize(results, false, 40);
  const info = { command: 'run' as const, version: '0.1.0', option: res.request.option, seed: 1, strict: false, embedded: false, targets: [{ option: res.request.option, label: 'x', url: 'https://127.0.0.1:8443', embedded: false }] };
  return { info, results, summary, warnings: [], ok: false };
}

const redact = createRedactor(false);

/** Every surface's text for one result, colour stripped and escaping undone. */
function surfaces(res: CallbackResult, matcher: (r: CallbackResult) => void): Record<string, string> {
  let matcherText = '';
  try {
    matcher(res);
  } catch (error) {
    matcherText = stripVTControlCharacters((error as Error).message);
  }
  expect(matcherText, 'the matcher must fail').not.toBe('');

  const report = reportOf(res);
  const pretty = (colors: boolean) => {
    let text = '';
    const out: Sink = { write: (s) => void (text += s) };
    const reporter = createPrettyReporter({ out, colors: pc.createColors(colors), redact, detail: false });
    reporter.onStart?.(report.info);
    for (const r of report.results) reporter.onResult?.(r);
    reporter.onEnd(report);
    return text;
  };
  const coloured = pretty(true);
  expect(coloured).toMatch(/\u001b\[/);

  const xml = renderJunitReport(report, redact);
  const failure = /<failure [^>]*>([\s\S]*?)<\/failure>/.exec(xml)?.[1] ?? '';
  const unXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

  const annotation = renderGithubAnnotations(report, redact).split('\n').find((l) => l.startsWith('::error ')) ?? '';
  const unData = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
  const summary = renderGithubSummary(report, redact);
  const details = /<details>[\s\S]*?\n(`{3,})text\n([\s\S]*?)\n\1\n/.exec(summary)?.[2] ?? '';

  return {
    matcher: matcherText,
    pretty: stripVTControlCharacters(coloured),
    'pretty (no colour)': pretty(false),
    junit: unXml(failure),
    'github annotation': unData(annotation.slice(annotation.indexOf('::', 2) + 2)),
    'github summary': details,
  };
}

/** The lines that must be the same everywhere, each trimmed, the failed-check mark removed. */
function story(text: string, failedIds: readonly string[]) {
  const lines = text.split('\n').map((l) => l.trim());
  const pick = (re: RegExp) => lines.filter((l) => re.test(l));
  const checkLines = failedIds.map((id) => {
    const at = lines.findIndex((l) => l.replace(/^(Check failed: |✗ )/, '').startsWith(`${id}: `));
    return at < 0 ? [`(no line for ${id})`] : [lines[at]!.replace(/^(Check failed: |✗ )/, ''), ...(lines[at + 1]?.startsWith('hint: ') ? [lines[at + 1]!] : [])];
  });
  return {
    request: pick(/^Request: /),
    payload: pick(/^(Payload|rest of payload): /),
    response: pick(/^Response: /),
    body: pick(/^(JWT (header|payload|signature)|JSON body|Body( \(.*\))?): /),
    failedChecks: checkLines,
    checksRow: pick(/^Checks: /).map((l) => l.replace(/ ✓ expectation$/, '')),
  };
}

const cases: { name: string; record: () => CallbackResult; matcher: (r: CallbackResult) => void }[] = [
  { name: 'a JWT signed with the wrong key (toBeSignedApproval)', record: () => recordExchange(), matcher: (r) => expect(r).toBeSignedApproval() },
  {
    name: 'a private key sent back as the body (toPassAllChecks)',
    record: () => recordExchange({ body: (_q, k) => `oops ${k.handlerPem}` }),
    matcher: (r) => expect(r).toPassAllChecks(),
  },
  { name: 'a refused connection (toPassAllChecks)', record: () => recordExchange({ refused: true }), matcher: (r) => expect(r).toPassAllChecks() },
];

describe('one failure story on every surface', () => {
  for (const c of cases) {
    it(c.name, () => {
      const res = c.record();
      const failedIds = res.checks.filter((x) => x.status === 'fail').map((x) => x.id);
      expect(failedIds.length).toBeGreaterThan(0);
      const texts = surfaces(res, c.matcher);
      const stories = Object.fromEntries(Object.entries(texts).map(([surface, text]) => [surface, story(text, failedIds)]));
      const reference = stories['matcher']!;
      expect(reference.request).toHaveLength(1);
      // The request that was sent, in sight on every surface: the payload line and its rest.
      expect(reference.payload).toHaveLength(2);
      expect(reference.payload[0]).toMatch(/^Payload: {2}amount .*destinations \[\{"dstType":.*operation "TRANSFER", stage signing, externalTxId /);
      expect(reference.response).toHaveLength(1);
      expect(reference.failedChecks.flat().join('\n')).not.toContain('(no line for');
      if (res.response) expect(reference.body.length).toBeGreaterThan(0);
      for (const [surface, s] of Object.entries(stories)) expect(s, surface).toEqual(reference);

      // Nothing secret on any surface.
      const signature = res.response?.body.split('.')[2];
      for (const [surface, text] of Object.entries(texts)) {
        if (signature && signature.length > 20) expect(text, surface).not.toContain(signature);
        expect(text, surface).not.toContain('BEGIN');
        expect(text, surface).not.toContain(reportKeys().handlerPem.split('\n')[2]!);
      }
    });
  }

  it('shows the decoded JWT header, payload and redacted signature in the JWT case', () => {
    const res = recordExchange();
    const s = story(surfaces(res, (r) => expect(r).toBeSignedApproval())['junit']!, ['jwt-signature']);
    expect(s.body).toEqual([
      'JWT header:    {"alg":"RS256","typ":"JWT"}',
      `JWT payload:   {"action":"APPROVE","requestId":"${res.request.requestId}"}`,
      'JWT signature: <342 chars, redacted>',
    ]);
    expect(s.failedChecks).toEqual([['jwt-signature: response JWT does not verify with the handler public key (RS256)', expect.stringMatching(/^hint: sign with the private key/)]]);
  });

  it('expected and received values read the same in the reporters', () => {
    // Signed with the right key, but echoing another requestId: request-id records both values.
    const res = recordExchange({ body: (_q, k) => signCompactJws(JSON.stringify({ action: 'APPROVE', requestId: 'not-the-request-id' }), k.handler, '{"alg":"RS256","typ":"JWT"}') });
    expect(res.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['request-id']);
    const texts = surfaces(res, (r) => expect(r).toPassAllChecks());
    const values = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => /^(expected|received): /.test(l));
    const reference = values(texts['junit']!);
    expect(reference).toEqual([`expected: "${res.request.requestId}"`, 'received: "not-the-request-id"']);
    for (const surface of ['pretty', 'pretty (no colour)', 'github annotation', 'github summary']) expect(values(texts[surface]!), surface).toEqual(reference);
  });
});
