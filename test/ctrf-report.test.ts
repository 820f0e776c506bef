/**
 * `--reporter ctrf[:file]`: the output validates against the CTRF JSON schema, committed under
 * test/fixtures/ctrf/ from the npm package `ctrf` 0.3.0 (see its README; ctrf is not a
 * dependency), and says per scenario what the other reporters say.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { CTRF_SPEC_VERSION, renderCtrfReport } from '../simulator/cli/reporters/ctrf.js';
import { summarize } from '../simulator/cli/reporters/format.js';
import type { FinalReport } from '../simulator/cli/reporters/types.js';
import { createRedactor } from '../simulator/report/index.js';
import type { ScenarioResult } from '../simulator/runner/types.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { PASS_AND_FAIL_SCENARIOS } from './fixtures/reports/scenarios.js';

const ROOT = new URL('..', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ctrf', 'ctrf-schema-0.0.json'), 'utf8')) as Record<string, unknown>;
// The schema uses the uuid and date-time formats; ajv without ajv-formats would refuse to
// compile them, so formats are not validated (our reportId/timestamp are checked below instead).
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
const errorsOf = (doc: unknown) => (validate(doc) ? '' : JSON.stringify(validate.errors, null, 1));

const SCENARIOS = `${PASS_AND_FAIL_SCENARIOS}- name: only option 2
  options: [2]
  request: { type: tx }
  expect: { action: APPROVE }
`;

describe('CTRF reporter', () => {
  let doc: Record<string, any>;
  let file: string;
  let before: number;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csim-ctrf-'));
    file = join(dir, 'scenarios.yaml');
    writeFileSync(file, SCENARIOS);
    before = Date.now();
    const r = await runInProcess(['run', file, '--option', '4', '--seed', '9', '--reporter', 'ctrf:out/ctrf.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    doc = JSON.parse(readFileSync(join(dir, 'out', 'ctrf.json'), 'utf8'));
  }, 60_000);

  it('writes a document the CTRF JSON schema accepts', () => {
    expect(errorsOf(doc)).toBe('');
    expect(doc).toMatchObject({ reportFormat: 'CTRF', specVersion: CTRF_SPEC_VERSION, results: { tool: { name: 'cosigner-sim', version: expect.any(String) } } });
    expect(new Date(doc.timestamp).getTime()).toBe(doc.results.summary.stop);
  });

  it('counts and lists each scenario with its status, duration and extra fields', () => {
    const { summary, tests } = doc.results;
    expect(summary).toMatchObject({ tests: 3, passed: 1, failed: 1, skipped: 1, pending: 0, other: 0 });
    expect(summary.start).toBeGreaterThanOrEqual(before);
    expect(summary.stop).toBeGreaterThanOrEqual(summary.start);
    expect(tests.map((t: { name: string; status: string }) => [t.name, t.status])).toEqual([
      ['small transfer is signed', 'passed'],
      ['expects an APPROVE the handler refuses', 'failed'],
      ['only option 2', 'skipped'],
    ]);
    for (const t of tests) expect(Number.isInteger(t.duration)).toBe(true);
    const failed = tests[1];
    expect(failed.extra).toMatchObject({ option: 4, seed: 9, failedChecks: ['expectation'] });
    expect(failed.extra.checks).toContainEqual({ id: 'jwt-signature', status: 'pass' });
    expect(failed.filePath).toBe(file);
    // The failure story, as JUnit and the pretty reporter tell it, redacted.
    expect(failed.message).toMatch(/^✗ expectation: /);
    expect(failed.message).toMatch(/\nPayload: {2}amount .*stage approval/);
    expect(failed.message).toMatch(/JWT signature: <\d+ chars, redacted>/);
    expect(tests[2].message).toMatch(/option 4/);
    expect(tests[0]).not.toHaveProperty('message');
  });

  it('the schema refuses what is not CTRF (it can fail)', () => {
    expect(errorsOf({ ...doc, reportFormat: 'JUnit' })).toContain('reportFormat');
    const results = doc.results;
    expect(errorsOf({ ...doc, results: { ...results, tests: [{ ...results.tests[0], status: 'pass' }] } })).toContain('status');
    expect(errorsOf({ ...doc, results: { ...results, summary: { ...results.summary, pending: undefined } } })).toContain('pending');
  });

  it('maps --strict failures and keeps the text the same for the same run and clock', () => {
    const base = { name: 'warned', file: 'x.yaml', option: 1 as const, status: 'pass' as const, steps: [], checks: [], durationMs: 12.4, warnings: [{ id: 'plain-http', message: 'plain http' }] };
    const result = base as unknown as ScenarioResult;
    const report = (strict: boolean): FinalReport => ({
      info: { command: 'run', version: '0.1.0', option: 1, seed: 3, strict, embedded: true, targets: [] },
      results: [result],
      summary: summarize([result], strict, 12),
      warnings: [],
      ok: !strict,
    });
    const clock = { start: 1_700_000_000_000, stop: 1_700_000_000_050 };
    const strict = JSON.parse(renderCtrfReport(report(true), createRedactor(false), clock));
    expect(errorsOf(strict)).toBe('');
    expect(strict.results.tests[0]).toMatchObject({ status: 'failed', rawStatus: 'pass', duration: 12, stdout: ['⚠ plain-http: plain http'] });
    expect(JSON.parse(renderCtrfReport(report(false), createRedactor(false), clock)).results.tests[0].status).toBe('passed');
    expect(renderCtrfReport(report(true), createRedactor(false), clock)).toBe(renderCtrfReport(report(true), createRedactor(false), clock));
  });
});
