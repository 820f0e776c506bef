/**
 * schema/report.schema.json is the published shape of `--reporter json` (CI consumers parse it):
 * real reports of run, send and conformance, made in-process against the embedded reference
 * handler, must validate against it, and the schema must refuse what is not that shape.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { JSON_REPORT_VERSION } from '../simulator/cli/reporters/json.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { PASS_AND_FAIL_SCENARIOS } from './fixtures/reports/scenarios.js';

const ROOT = new URL('..', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'report.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

function errorsOf(doc: unknown): string {
  return validate(doc) ? '' : JSON.stringify(validate.errors, null, 1);
}

/** A passing scenario, one the handler answers otherwise than expected, and two steps. */
const SCENARIOS = `${PASS_AND_FAIL_SCENARIOS}- name: approval then signing
  steps:
    - request: { type: tx, stage: approval }
      expect: { action: APPROVE }
    - request: { type: tx, stage: signing }
      expect: { action: APPROVE }
`;

describe('schema/report.schema.json', () => {
  const reports: Record<string, Record<string, any>> = {};

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csim-report-schema-'));
    const file = join(dir, 'scenarios.yaml');
    writeFileSync(file, SCENARIOS);
    const runs = {
      run: ['run', file, '--option', '4', '--seed', '7', '--reporter', 'json'],
      'run --show-secrets': ['run', file, '--option', '2', '--seed', '7', '--reporter', 'json', '--show-secrets'],
      send: ['send', 'config', '--option', '5', '--reporter', 'json'],
      conformance: ['conformance', '--option', '1', '--reporter', 'json'],
    };
    for (const [name, args] of Object.entries(runs)) {
      const r = await runInProcess(args);
      expect(r.code, `${name}: ${r.stderr}`).not.toBe(2);
      reports[name] = JSON.parse(r.stdout);
    }
  }, 120_000);

  it.each(['run', 'run --show-secrets', 'send', 'conformance'])('validates a real %s report', (name) => {
    const doc = reports[name]!;
    expect(errorsOf(doc)).toBe('');
    expect(doc.reportVersion).toBe(JSON_REPORT_VERSION);
    expect(doc.scenarios.length).toBeGreaterThan(0);
  });

  it('the run report holds the failure, both steps, and every request with its payload', () => {
    const doc = reports['run']!;
    expect(doc.scenarios.map((s: { status: string }) => s.status)).toEqual(['pass', 'fail', 'pass']);
    const refused = doc.scenarios[1];
    expect(refused.response.action).toBe('REJECT');
    expect(refused.request.payload.destinations[0].dstAddress).toBe('0x000000000000000000000000000000000000dEaD');
    expect(doc.scenarios[2].steps).toHaveLength(2);
    expect(doc.scenarios[2].requests.map((q: { step: number; stage: string }) => [q.step, q.stage])).toEqual([
      [1, 'approval'],
      [2, 'signing'],
    ]);
    for (const s of doc.scenarios) for (const q of s.requests) expect(q).toMatchObject({ path: '/v2/tx_sign_request', payload: expect.any(Object), headers: expect.any(Object) });
    expect(reports['run --show-secrets']!.scenarios[0].request.body).toEqual(expect.any(String));
  });

  it('refuses what is not a version 2 report (the schema can fail)', () => {
    const doc = reports['send']!;
    const without = (o: Record<string, any>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
    expect(errorsOf({ ...doc, reportVersion: 1 })).toContain('reportVersion');
    expect(errorsOf(without(doc, 'reportVersion'))).toContain('reportVersion');
    expect(errorsOf({ ...doc, extra: true })).toContain('additionalProperties');
    const scenario = doc.scenarios[0];
    expect(errorsOf({ ...doc, scenarios: [{ ...scenario, request: without(scenario.request, 'payload') }] })).toContain('payload');
    expect(errorsOf({ ...doc, scenarios: [{ ...scenario, status: 'passed' }] })).toContain('status');
  });
});
