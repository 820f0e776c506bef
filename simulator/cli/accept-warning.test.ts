/**
 * `--accept-warning <id>`: under `--strict`, an accepted warning does not fail the run but is
 * still printed, marked accepted. Before it, `--strict` could not be used over `http://` at all:
 * the `plain-http` warning failed every option-1 run. Real plain http on 127.0.0.1, in process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedKit } from '../keys/generate.js';
import { writeKit } from '../keys/kit.js';
import type { ScenarioResult } from '../runner/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../reference/handler.js';
import { loadConfig } from './config.js';
import { resolveConformanceOptions, resolveRunOptions, resolveSendOptions, type RawFlags } from './options.js';
import { runCli } from './program.js';
import { acceptWarnings, failureHeadline, verdict } from './reporters/format.js';

const flags = (values: Record<string, unknown>, typed: string[] = Object.keys(values)): RawFlags => ({
  values: { option: '1', timeout: '30s', reporter: [], checkHostname: true, color: true, concurrency: '1', stage: 'signing', slowFraction: '0.5', ...values },
  typed: (k) => typed.includes(k),
});

const dir = mkdtempSync(join(tmpdir(), 'csim-accept-warning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--accept-warning: parsing', () => {
  it('is repeatable, for run, send and conformance, and defaults to none', () => {
    expect(resolveRunOptions([], flags({}), undefined).acceptWarning).toEqual([]);
    expect(resolveSendOptions('tx', flags({ acceptWarning: ['plain-http', 'slow-response'] }), undefined).acceptWarning).toEqual(['plain-http', 'slow-response']);
    expect(resolveConformanceOptions(flags({ acceptWarning: ['tls/expiry'] }), undefined).acceptWarning).toEqual(['tls/expiry']);
  });

  it('refuses an unknown id with the nearest known one (exit 2)', async () => {
    expect(() => resolveRunOptions([], flags({ acceptWarning: ['plain-htp'] }), undefined)).toThrow(
      expect.objectContaining({ code: 'CSIM_USAGE', field: 'acceptWarning', message: 'Invalid value for --accept-warning: "plain-htp" is not a warning id. Did you mean plain-http?', hint: expect.stringContaining('plain-http, response-exp-past, reason-on-approve, slow-response') }),
    );
    let err = '';
    const io = { stdout: { write: () => {} }, stderr: { write: (s: string) => void (err += s) }, env: { NO_COLOR: '1' }, cwd: dir };
    expect(await runCli(['send', 'tx', '--strict', '--accept-warning', 'slow-responce'], io)).toBe(2);
    expect(err).toContain('Did you mean slow-response?');
  });

  it('is the config key acceptWarning, a list or one string, checked the same way naming file and key', async () => {
    const sub = join(dir, 'config');
    mkdirSync(sub);
    writeFileSync(join(sub, 'cosigner-sim.config.yaml'), 'strict: true\nacceptWarning: [plain-http]\n');
    expect(resolveRunOptions([], flags({}, []), await loadConfig(sub, undefined))).toMatchObject({ strict: true, acceptWarning: ['plain-http'] });
    writeFileSync(join(sub, 'cosigner-sim.config.yaml'), 'send:\n  acceptWarning: slow-response\n');
    expect(resolveSendOptions('tx', flags({}, []), await loadConfig(sub, undefined)).acceptWarning).toEqual(['slow-response']);
    writeFileSync(join(sub, 'cosigner-sim.config.yaml'), 'acceptWarning: [plain-https]\n');
    const bad = await loadConfig(sub, undefined);
    expect(() => resolveRunOptions([], flags({}, []), bad)).toThrow(
      expect.objectContaining({ code: 'CSIM_CONFIG_INVALID', file: 'cosigner-sim.config.yaml', field: 'acceptWarning', message: expect.stringContaining('"plain-https" is not a warning id. Did you mean plain-http?') }),
    );
  });
});

describe('--accept-warning: the --strict verdict', () => {
  const result = (ids: string[]): ScenarioResult =>
    ({ name: 's', file: '', option: 1, status: 'pass', steps: [], checks: [], warnings: ids.map((id) => ({ id, message: `${id} happened` })), durationMs: 1 }) as ScenarioResult;

  it('fails a passing scenario only on a warning that was not accepted', () => {
    expect(verdict(result(['plain-http']), true)).toBe('fail');
    expect(verdict(acceptWarnings(result(['plain-http']), new Set(['plain-http'])), true)).toBe('pass');
    const mixed = acceptWarnings(result(['plain-http', 'slow-response']), new Set(['plain-http']));
    expect(verdict(mixed, true)).toBe('fail');
    expect(failureHeadline(mixed, true)).toBe('warning (--strict): slow-response: slow-response happened');
    expect(mixed.warnings).toEqual([{ id: 'plain-http', message: 'plain-http happened', accepted: true }, { id: 'slow-response', message: 'slow-response happened' }]);
    // Without --strict nothing changes.
    expect(verdict(result(['plain-http']), false)).toBe('pass');
  });
});

describe('--accept-warning: a --strict send over plain http', () => {
  let handler: StartedReferenceHandler;
  let kitDir: string;
  beforeAll(async () => {
    const kit = await cachedKit('accept-warning');
    kitDir = join(dir, 'kit');
    writeKit(kit, kitDir);
    handler = await startReferenceHandler({ option: 1, kit, plainHttp: true });
  });
  afterAll(() => handler.close());

  async function send(extra: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => void (out += s) }, stderr: { write: (s: string) => void (err += s) }, env: { NO_COLOR: '1' }, cwd: dir };
    const code = await runCli(['send', 'tx', '--url', handler.url, '--option', '1', '--kit', kitDir, '--strict', ...extra], io);
    return { code, out, err };
  }

  it('fails on plain-http without it (as before)', async () => {
    const { code, out } = await send([]);
    expect(code).toBe(1);
    expect(out).toContain('plain-http');
    expect(out).toContain('(failing: --strict)');
  });

  it('passes with --accept-warning plain-http, still printing the warning marked accepted', async () => {
    const pretty = await send(['--accept-warning', 'plain-http']);
    expect(pretty.code).toBe(0);
    expect(pretty.out).toContain('--strict: warnings fail (accepted: plain-http)');
    expect(pretty.out).toMatch(/⚠ plain-http: plain http: the request and the decision travel unencrypted \(accepted\)/);
    expect(pretty.out).toContain('Warnings   1 (1 accepted)');
    const json = await send(['--accept-warning', 'plain-http', '--reporter', 'json']);
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as { ok: boolean; scenarios: { warnings: { id: string; accepted?: boolean }[] }[] };
    expect(report.ok).toBe(true);
    expect(report.scenarios[0]!.warnings).toEqual([expect.objectContaining({ id: 'plain-http', accepted: true })]);
  });
});
