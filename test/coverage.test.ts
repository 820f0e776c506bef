/**
 * The coverage summary at the end of `run`: real runs, in-process, against the embedded reference
 * handler over TLS on 127.0.0.1. A one-scenario suite must be told what it never tried; a suite
 * that tries more must see those lines shrink (so the summary is counted, not printed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { configTypesOf, resolveProfile } from '../simulator/protocol/profiles.js';
import { runInProcess, type CliRun } from './fixtures/cli/memory-io.js';

const ROOT = new URL('..', import.meta.url).pathname;
const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'report.schema.json'), 'utf8')) as Record<string, unknown>);

const ONE_SCENARIO = `- name: an address whitelisting is approved
  request: { type: config, configType: UNMANAGED_WALLET }
  expect: { action: APPROVE }
`;

const WIDER = `${ONE_SCENARIO}- name: approval then signing
  steps:
    - request: { type: tx, stage: approval, destType: VAULT, destinations: 2 }
      expect: { action: APPROVE }
    - request: { type: tx, stage: signing, batched: true }
      expect: { action: APPROVE }
- name: unknown destination is refused
  request:
    type: tx
    stage: approval
    payload:
      destinations.0.dstAddress: "0x000000000000000000000000000000000000dEaD"
  expect: { action: REJECT }
`;

interface Run {
  cli: CliRun;
  json: Record<string, any>;
  ctrf: Record<string, any>;
}

async function run(suite: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'csim-coverage-'));
  writeFileSync(join(dir, 'suite.yaml'), suite);
  const cli = await runInProcess(['run', join(dir, 'suite.yaml'), '--option', '4', '--seed', '3', '--reporter', `json:${join(dir, 'r.json')}`, '--reporter', `ctrf:${join(dir, 'c.json')}`]);
  expect(cli.code, cli.stderr).toBe(0);
  return { cli, json: JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')), ctrf: JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) };
}

describe('coverage at the end of run', () => {
  let one: Run;
  let wider: Run;
  beforeAll(async () => {
    one = await run(ONE_SCENARIO);
    wider = await run(WIDER);
  }, 60_000);

  it('a one-scenario suite is told it never tried RETRY answers, the approval stage, and every config type but one', () => {
    const lines = one.cli.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Coverage   '));
    expect(at).toBeGreaterThan(0);
    const block = lines.slice(at, lines.findIndex((l, i) => i > at && !l.startsWith('           ')));
    expect(block.length).toBeLessThanOrEqual(6); // a few lines, not a wall
    expect(block[0]).toBe('Coverage   exercised: 1 exchange with a readable answer · APPROVE 1 · configuration changes 1 · 0 of 9 operations · 1 of 15 config types · 0 of 5 destination types');
    const never = block.find((l) => l.includes('never exercised: '))!;
    expect(never).toContain('RETRY answers');
    expect(never).toContain('the approval stage');
    const types = block.find((l) => l.includes('config types: '))!;
    const all = configTypesOf(resolveProfile('latest'));
    expect(types).toContain(`config types: ${all.length - 1} of ${all.length} never sent (`);
    for (const t of all.filter((x) => x !== 'UNMANAGED_WALLET')) expect(types).toContain(t);
    expect(types).not.toContain('UNMANAGED_WALLET');
  });

  it('the JSON report carries the same counts in a coverage object the schema describes', () => {
    expect(validate(one.json), JSON.stringify(validate.errors)).toBe(true);
    const c = one.json.coverage;
    expect(c).toMatchObject({
      profile: resolveProfile('latest').id,
      exchanges: 1,
      unreadable: 0,
      actions: { APPROVE: 1, REJECT: 0, RETRY: 0, IGNORE: 0 },
      kinds: { 'tx-approval': 0, 'tx-signing': 0, 'config-change': 1 },
      severalDestinations: 0,
      batched: 0,
      optionalFieldsMissing: 0,
    });
    expect(c.configTypes.seen.UNMANAGED_WALLET).toBe(1);
    expect(c.configTypes.never).toEqual(configTypesOf(resolveProfile('latest')).filter((t) => t !== 'UNMANAGED_WALLET'));
    expect(c.operations.never).toHaveLength(9);
    expect(one.ctrf.results.summary.extra.coverage).toEqual(c);
    // The schema holds the shape: it refuses a coverage object that lacks a count.
    const { batched: _dropped, ...withoutBatched } = c;
    expect(validate({ ...one.json, coverage: withoutBatched })).toBe(false);
  });

  it('a wider suite sees those lines shrink: answers, stages, operations, several destinations and batches counted', () => {
    const c = wider.json.coverage;
    expect(validate(wider.json), JSON.stringify(validate.errors)).toBe(true);
    expect(c.exchanges).toBe(4);
    expect(c.actions).toEqual({ APPROVE: 3, REJECT: 1, RETRY: 0, IGNORE: 0 });
    expect(c.kinds).toEqual({ 'tx-approval': 2, 'tx-signing': 1, 'config-change': 1 });
    expect(c.operations.seen.TRANSFER).toBe(3);
    expect(c.severalDestinations).toBe(1);
    expect(c.batched).toBe(1);
    const never = wider.cli.stdout.split('\n').find((l) => l.includes('never exercised: '))!;
    expect(never).toContain('RETRY answers, IGNORE answers');
    expect(never).not.toContain('approval stage');
    expect(never).not.toContain('several destinations');
    expect(never).not.toContain('batched requests');
    expect(never).toContain('requests missing optional fields');
  });

  it('send prints no coverage: it is about a suite', async () => {
    const sent = await runInProcess(['send', 'tx', '--option', '4', '--reporter', 'json']);
    expect(JSON.parse(sent.stdout)).not.toHaveProperty('coverage');
    expect(sent.stderr).not.toContain('Coverage');
  });
});
