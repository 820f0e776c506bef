import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../test/fixtures/cli/memory-io.js';

// Issue 9, "no hidden randomness" and "typed overrides", through the CLI in-process.

interface JsonRequest {
  payload: Record<string, unknown> & { destinations: Record<string, unknown>[] };
  omittedFields?: string[];
}

async function sent(args: string[]): Promise<JsonRequest> {
  const r = await runInProcess(['send', 'tx', '--option', '2', '--reporter', 'json', '--show-secrets', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { scenarios: { request: JsonRequest }[] }).scenarios[0]!.request;
}

function fieldSet(p: JsonRequest['payload']): string[] {
  return [...Object.keys(p), ...p.destinations.flatMap((d, i) => Object.keys(d).map((k) => `destinations.${i}.${k}`))].sort();
}

describe('cosigner-sim send: optional fields and typed overrides', () => {
  it('sends the same field set whatever the seed unless --optional-fields random, whose results list what they lacked', async () => {
    const a = await sent(['--seed', '1']);
    const b = await sent(['--seed', '2']);
    expect(fieldSet(a.payload)).toEqual(fieldSet(b.payload));
    expect([a.omittedFields, b.omittedFields]).toEqual([[], []]);

    const randoms = await Promise.all([1, 2, 3, 4].map((seed) => sent(['--seed', String(seed), '--optional-fields', 'random'])));
    expect(new Set(randoms.map((r) => fieldSet(r.payload).join())).size).toBeGreaterThan(1);
    for (const r of randoms) {
      const missing = ['externalTxId', 'players', 'destinations.0.dstAddress', 'destinations.0.dstWalletId'].filter((f) => !fieldSet(r.payload).includes(f));
      expect(r.omittedFields).toEqual(missing);
    }
    expect(randoms.some((r) => r.omittedFields!.length > 0)).toBe(true);
  }, 60_000);

  it('--set amountStr=250000 puts "250000" on the wire; --set-json sends the number as written', async () => {
    const typed = await sent(['--seed', '1', '--set', 'amountStr=250000', '--set', 'amount=250000']);
    expect(typed.payload.amountStr).toBe('250000');
    expect(typed.payload.amount).toBe(250000);
    const raw = await sent(['--seed', '1', '--set-json', 'amountStr=250000']);
    expect(raw.payload.amountStr).toBe(250000);
  }, 60_000);

  it('a --set value that cannot be the field\u2019s type is exit 2 naming the field', async () => {
    const r = await runInProcess(['send', 'tx', '--set', 'amount=lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('payload field "amount": it is a number on the wire, got string "lots"');
  });

  it('--type NOT_A_TYPE is exit 2 naming the nearest real type; --allow-unknown-type sends it', async () => {
    const r = await runInProcess(['send', 'config', '--type', 'NOT_A_TYPE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^CSIM_USAGE {2}Invalid value for --type: "NOT_A_TYPE" is not a documented configuration change type\. Did you mean [A-Z_]+\?/);
    expect(r.stderr).toContain('--allow-unknown-type');
    const typo = await runInProcess(['send', 'config', '--type', 'EXCHANGES']);
    expect(typo.stderr).toContain('Did you mean EXCHANGE?');
    const ok = await runInProcess(['send', 'config', '--option', '2', '--type', 'NOT_A_TYPE', '--allow-unknown-type']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('send config (NOT_A_TYPE)');
  }, 60_000);

  it('--help lists the documented config-change types', async () => {
    const r = await runInProcess(['send', '--help']);
    expect(r.stdout).toContain('SET_NETWORK_CONNECTION_ROUTING_POLICY');
  });
});
