/**
 * The consequence line is told for the Co-signer version the exchange was judged under, not for
 * the run's: a scenario's own `profile:` in a run under latest, and a library Co-signer created
 * with its own profile, explained by the matchers. RETRY before sgx@3.6.5 is not honoured, so the
 * `action` check fails (reason `not-honoured`) and the line must say the request fails, as
 * sgx@3.3.0 does it, not latest's generic broken-answer row. Real TLS on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { resolveProfile } from '../simulator/protocol/profiles.js';
import type { CallbackResult } from '../simulator/protocol/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import { consequenceOf, consequenceMark } from '../simulator/report/index.js';
import { failureOf } from './fixtures/matchers/messages.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { sharedKit } from './support/shared-kit.js';
import '../matchers/vitest.js';

/** The row sgx@3.3.0 has for a RETRY at the approval stage, as every surface prints it. */
const old = consequenceOf('action', { endpoint: 'tx_sign_request', stage: 'approval', action: 'RETRY', profile: resolveProfile('sgx@3.3.0') })!;
const OLD_LINE = `consequence: ${old.text} ${consequenceMark(old)}`;

// The reference handler answers RETRY once to an externalTxId `csim-retry-1…`.
const SUITE = `- name: an old Co-signer gets RETRY
  profile: sgx@3.3.0
  request:
    type: tx
    stage: approval
    payload:
      externalTxId: csim-retry-1
  expect:
    action: RETRY
`;

describe("a scenario's own profile in a run under latest", () => {
  let stdout: string;
  let doc: Record<string, any>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csim-consequence-'));
    writeFileSync(join(dir, 'suite.yaml'), SUITE);
    const cli = await runInProcess(['run', join(dir, 'suite.yaml'), '--option', '1', '--seed', '5', '--reporter', 'pretty', '--reporter', `json:${join(dir, 'r.json')}`]);
    expect(cli.code, cli.stderr).toBe(1);
    stdout = cli.stdout;
    doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Record<string, any>;
  }, 60_000);

  it('fails action, not-honoured, under the run profile latest', () => {
    expect(old.text).toContain('this run simulates sgx@3.3.0');
    expect(doc.profile).toBe(resolveProfile('latest').id);
    expect(doc.scenarios[0].checks.find((c: { id: string }) => c.id === 'action')).toMatchObject({ status: 'fail', reason: 'not-honoured' });
  });

  it("prints the consequence row of the scenario's profile (pretty), not latest's", () => {
    expect(stdout).toContain(OLD_LINE);
    expect(stdout).not.toContain('not documented: the Co-signer most likely treats');
  });

  it("gives the JSON check that row, and the request names the profile it was judged under", () => {
    const action = doc.scenarios[0].checks.find((c: { id: string }) => c.id === 'action');
    expect(action.consequence).toEqual(old);
    expect(doc.scenarios[0].request.profile).toBe('sgx@3.3.0');
    expect(doc.scenarios[0].requests[0].profile).toBe('sgx@3.3.0');
  });
});

describe('a library Co-signer with its own profile, explained by the matchers', () => {
  let handler: StartedReferenceHandler;
  let res: CallbackResult;
  beforeAll(async () => {
    const kit = await sharedKit();
    handler = await startReferenceHandler({ option: 1, kit });
    const cosigner = createCosigner({ url: handler.url, option: 1, kit, ca: kit.rootCa.certPem, profile: resolveProfile('sgx@3.3.0') });
    res = await cosigner.sendTx({ stage: 'approval', payload: { externalTxId: 'csim-retry-1-library' } });
  });
  afterAll(() => handler?.close());

  it('records the profile the exchange was judged under', () => {
    expect(res.decision.action).toBe('RETRY');
    expect(res.checks.find((c) => c.id === 'action')).toMatchObject({ status: 'fail', reason: 'not-honoured' });
    expect(res.profile).toBe('sgx@3.3.0');
  });

  it("prints the consequence row of the Co-signer's profile in the matcher message", () => {
    const message = failureOf(() => expect(res).toPassAllChecks());
    expect(message).toContain('Check failed: action: ');
    expect(message).toContain(OLD_LINE);
    expect(failureOf(() => expect(res).toBeApproval())).toContain(OLD_LINE);
  });
});
