/**
 * A harness that passes a broken handler is worse than none. For every rule each check
 * enforces, a handler from the zoo breaks exactly that rule, and this suite proves that the check
 * meant for it fails and no other check does (others pass or skip). The tolerated variants real
 * handlers send must pass every check.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { sharedKit } from './support/shared-kit.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import { createZoo, type ZooEntry } from '../simulator/selftest/zoo.js';
import { CHECK_IDS, type CallbackResult } from '../simulator/protocol/types.js';
import type { SecurityOptionNumber } from '../simulator/protocol/options.js';

const kit = await sharedKit();
const zoo = await createZoo(kit);
const started: StartedReferenceHandler[] = [];
afterAll(async () => {
  await Promise.all(started.map((h) => h.close()));
});

async function probe(entry: ZooEntry, option: SecurityOptionNumber): Promise<CallbackResult> {
  const handler = await startReferenceHandler({ option, kit, hooks: entry.hooks });
  started.push(handler);
  // A handler started by hand is a URL target: option 1 trusts its kit's test Root CA only when told (--ca).
  const cosigner = createCosigner({ url: handler.url, option, kit, ...(option === 1 ? { ca: kit.rootCa.certPem } : {}), seed: 7, ...(entry.timeoutMs ? { timeoutMs: entry.timeoutMs } : {}) });
  try {
    switch (entry.request ?? 'tx-signing') {
      case 'tx-approval':
        return await cosigner.sendTx({ stage: 'approval' });
      case 'tx-batched':
        return await cosigner.sendTx({ batched: true });
      case 'config':
        return await cosigner.sendConfigChange({});
      default:
        return await cosigner.sendTx({ stage: 'signing' });
    }
  } finally {
    await handler.close();
  }
}

function statuses(res: CallbackResult): string {
  return res.checks.map((c) => `${c.id}:${c.status}${c.status === 'fail' ? ` (${c.message})` : ''}`).join('\n');
}

describe('every check can fail, and only the check meant for the defect fails', () => {
  it('covers every check id with at least one defect', () => {
    const covered = new Set(zoo.flatMap((e) => (e.breaks ? [e.breaks] : [])));
    expect([...CHECK_IDS].filter((id) => !covered.has(id))).toEqual([]);
  });

  for (const entry of zoo.filter((e) => e.breaks)) {
    describe(`${entry.breaks}: ${entry.id}`, () => {
      for (const option of entry.options) {
        it(`fails ${entry.breaks} when the handler ${entry.description} [option ${option}]`, async () => {
          const res = await probe(entry, option);
          const failed = res.checks.filter((c) => c.status === 'fail').map((c) => c.id);
          expect(failed, statuses(res)).toEqual([entry.breaks]);
          expect(res.ok).toBe(false);
          // Every check is reported, in order, each with a status.
          expect(res.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
          const failure = res.checks.find((c) => c.id === entry.breaks)!;
          expect(failure.message).toBeTruthy();
          expect(failure.hint).toBeTruthy();
        });
      }
    });
  }
});

describe('tolerated variants pass every check', () => {
  for (const entry of zoo.filter((e) => !e.breaks)) {
    for (const option of entry.options) {
      it(`passes when the handler ${entry.description} [option ${option}]`, async () => {
        const res = await probe(entry, option);
        expect(res.checks.filter((c) => c.status === 'fail'), statuses(res)).toEqual([]);
        expect(res.ok).toBe(true);
        expect(res.decision.action).toBe('APPROVE');
        expect(res.warnings.map((w) => w.id)).toEqual(entry.warns ?? []);
      });
    }
  }
});
