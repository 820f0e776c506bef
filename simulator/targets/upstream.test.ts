/** The upstream mock rules (matching, sequences, the verdict) and how the loader reads `upstream:`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../suite/load.js';
import { globToRegExp, judgeUpstream, mockMatches, responseFor } from './upstream.js';

const tmp = mkdtempSync(join(tmpdir(), 'csim-upstream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
async function load(yaml: string) {
  const file = join(tmp, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return loadScenarioFile(file);
}

describe('matching', () => {
  it('globs with * across slashes, ignores the query unless the glob has one, and a trailing slash', () => {
    expect(globToRegExp('https://a.internal/addresses/*').test('https://a.internal/addresses/0x1/x')).toBe(true);
    expect(globToRegExp('http://a.internal/score').test('http://a.internal/scores')).toBe(false);
    expect(mockMatches({ url: 'http://risk.internal/score' }, 'GET', 'http://risk.internal/score/?id=7', '')).toBe(true);
    expect(mockMatches({ url: 'http://risk.internal/score?id=8' }, 'GET', 'http://risk.internal/score?id=7', '')).toBe(false);
  });

  it('matches the method (any when absent) and the body: a string it contains, a mapping its JSON contains', () => {
    expect(mockMatches({ method: 'POST', url: 'http://x/*' }, 'get', 'http://x/a', '')).toBe(false);
    expect(mockMatches({ url: 'http://x/*' }, 'DELETE', 'http://x/a', '')).toBe(true);
    expect(mockMatches({ url: 'http://x', body: 'ETH' }, 'POST', 'http://x', '{"asset":"ETH"}')).toBe(true);
    expect(mockMatches({ url: 'http://x', body: { asset: 'ETH', to: { id: 1 } } }, 'POST', 'http://x', '{"asset":"ETH","to":{"id":1,"n":2},"z":0}')).toBe(true);
    expect(mockMatches({ url: 'http://x', body: { asset: 'BTC' } }, 'POST', 'http://x', '{"asset":"ETH"}')).toBe(false);
    expect(mockMatches({ url: 'http://x', body: { asset: 'ETH' } }, 'POST', 'http://x', 'not json')).toBe(false);
  });

  it('answers a sequence in order, the last repeating', () => {
    const mock = { url: 'http://x', responses: [{ status: 503 }, { status: 200, json: { ok: true } }] };
    expect([0, 1, 2, 5].map((n) => responseFor(mock, n).status)).toEqual([503, 200, 200, 200]);
  });
});

describe('judgeUpstream', () => {
  const mocks = [{ url: 'http://risk.internal/score', responses: [{ status: 200 }] }, { method: 'POST', url: 'http://kyc/*', responses: [{ status: 200 }] }];

  it('fails upstream naming each unmatched method and URL, and warns about a mock never called', () => {
    const v = judgeUpstream(mocks, { calls: [{ method: 'GET', url: 'http://risk.internal/score', mock: 0 }, { method: 'PUT', url: 'http://other/x' }], used: [1, 0] });
    expect(v.checks).toEqual([expect.objectContaining({ id: 'upstream', status: 'fail', message: expect.stringContaining('PUT http://other/x') })]);
    expect(v.checks[0]!.hint).toContain('undici.request()');
    expect(v.warnings).toEqual([expect.objectContaining({ id: 'upstream-unused', message: expect.stringContaining('POST http://kyc/*') })]);
  });

  it('passes when every call matched', () => {
    const v = judgeUpstream(mocks, { calls: [{ method: 'POST', url: 'http://kyc/a', mock: 1 }, { method: 'GET', url: 'http://risk.internal/score', mock: 0 }], used: [1, 1] });
    expect(v).toEqual({ checks: [{ id: 'upstream', status: 'pass', message: '2 outbound requests, each answered by a mock' }], warnings: [] });
  });
});

describe('the loader reads upstream:', () => {
  it('into mocks with a response sequence each (defaults: status 200, any method)', async () => {
    const [s] = await load(`name: a
upstream:
  - method: get
    url: http://risk.internal/score
    json: { score: 12 }
  - url: https://allowlist.internal/*
    delay: 40s
  - url: http://kyc/check
    responses: [{ status: 503 }, { text: ok, headers: { x-a: b } }]
request: { type: tx }
`);
    expect(s!.upstream).toEqual([
      { method: 'GET', url: 'http://risk.internal/score', responses: [{ status: 200, json: { score: 12 } }] },
      { url: 'https://allowlist.internal/*', responses: [{ status: 200, delayMs: 40_000 }] },
      { url: 'http://kyc/check', responses: [{ status: 503 }, { status: 200, text: 'ok', headers: { 'x-a': 'b' } }] },
    ]);
  });

  it('refuses a bad mock naming the file, line and field', async () => {
    await expect(load('name: a\nrequest: { type: tx }\nupstream:\n  - url: http://x\n    stauts: 200\n')).rejects.toMatchObject({ code: 'CSIM_SCENARIO_INVALID', message: expect.stringMatching(/:5.*upstream\[0\]\.stauts: did you mean upstream\[0\]\.status\?/s) });
    await expect(load('name: a\nrequest: { type: tx }\nupstream:\n  - url: http://x\n    status: 200\n    responses: [{ status: 500 }]\n')).rejects.toMatchObject({ message: expect.stringContaining('upstream[0].status must not be used together with responses') });
    await expect(load('name: a\nrequest: { type: tx }\nupstream:\n  - url: http://x\n    delay: soon\n')).rejects.toMatchObject({ message: expect.stringContaining('upstream[0].delay must be a duration') });
    await expect(load('name: a\nrequest: { type: tx }\nupstream:\n  - method: GET\n')).rejects.toMatchObject({ message: expect.stringContaining('upstream[0].url is required') });
  });
});
