/**
 * Several Co-signers (issue 13): each Co-signer signs with its own key and has its own signerId,
 * so a handler must trust every Co-signer's key. Real TLS on 127.0.0.1 (option 4), the reference
 * handler as the handler under test: one that trusts both kit keys, and one that trusts only
 * Co-signer 1's (the same kit with its second Co-signer left out of the handler's side).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { resolveMaterial } from '../simulator/client/material.js';
import { runCli } from '../simulator/cli/program.js';
import { resolveSendOptions, type RawFlags } from '../simulator/cli/options.js';
import { publicKeyFingerprint } from '../simulator/keys/fingerprint.js';
import { writeKit } from '../simulator/keys/kit.js';
import { kitCosigners, type Kit } from '../simulator/keys/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import { sharedKit } from './support/shared-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'csim-cosigners-'));
let kit: Kit;
let kitDir: string;
let trustsBoth: StartedReferenceHandler;
let trustsFirst: StartedReferenceHandler;

beforeAll(async () => {
  kit = await sharedKit();
  kitDir = join(dir, 'kit');
  writeKit(kit, kitDir);
  [trustsBoth, trustsFirst] = await Promise.all([
    startReferenceHandler({ option: 4, kit }),
    // The handler's side of the kit holds only Co-signer 1's key: it pins one key.
    startReferenceHandler({ option: 4, kit: { ...kit, cosigners: [kit.cosigner] } }),
  ]);
});
afterAll(async () => {
  await Promise.all([trustsBoth.close(), trustsFirst.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => void (out += s) }, stderr: { write: (s: string) => void (err += s) }, env: { NO_COLOR: '1' }, cwd: dir };
  const code = await runCli(args, io);
  return { code, out, err };
}

const flags = (values: Record<string, unknown>): RawFlags => ({
  values: { option: '4', timeout: '30s', reporter: [], checkHostname: true, color: true, stage: 'signing', ...values },
  typed: (k) => k in values,
});

describe('send --cosigner n', () => {
  it('a handler that trusts both Co-signer keys decides a request from Co-signer 2', async () => {
    const r = await cli(['send', 'tx', '--url', trustsBoth.url, '--option', '4', '--kit', kitDir, '--cosigner', '2']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('APPROVE');
  });

  it('a handler that trusts only Co-signer 1 answers 401, and the hint names key 2\'s file and SHA-256', async () => {
    const second = kitCosigners(kit)[1]!;
    const r = await cli(['send', 'tx', '--url', trustsFirst.url, '--option', '4', '--kit', kitDir, '--cosigner', '2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('handler answered 401');
    expect(r.out).toContain('refused a request signed by Co-signer 2 of 2');
    expect(r.out).toContain(join(kitDir, 'cosigner-2-private.pem'));
    expect(r.out).toContain(publicKeyFingerprint(second.publicKey));
    // Co-signer 1 is still trusted: the same handler decides its request.
    expect((await cli(['send', 'tx', '--url', trustsFirst.url, '--option', '4', '--kit', kitDir])).code).toBe(0);
  });

  it('asking for a Co-signer the material lacks is exit 2, naming the count and the fix', async () => {
    const r = await cli(['send', 'tx', '--url', trustsBoth.url, '--option', '4', '--kit', kitDir, '--cosigner', '3']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Co-signer 3 was asked for');
    expect(r.err).toContain('only 2 Co-signers');
    expect(r.err).toContain('cosigner-3-private.pem');
    expect(r.err).toContain('--cosigner-key');
    expect(r.out).not.toContain('APPROVE');
  });
});

describe('the approval quorum scenario', () => {
  it('sends the same txId from Co-signer 1 and Co-signer 2, two signerIds, both decided; the JSON report says which Co-signer signed', async () => {
    const quorum = new URL('../scenarios/approval-quorum.yaml', import.meta.url).pathname;
    const r = await cli(['run', quorum, '--url', trustsBoth.url, '--option', '4', '--kit', kitDir, '--reporter', 'json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as { scenarios: { requests: { cosigner?: number; stage: string; payload: { txId?: string; signerId?: string } }[] }[] };
    const requests = doc.scenarios[0]!.requests;
    expect(requests.map((q) => [q.cosigner, q.stage])).toEqual([[1, 'approval'], [2, 'approval']]);
    expect(new Set(requests.map((q) => q.payload.txId)).size).toBe(1);
    expect(new Set(requests.map((q) => q.payload.signerId)).size).toBe(2);
    // The handler that pins Co-signer 1's key fails the second step.
    expect((await cli(['run', quorum, '--url', trustsFirst.url, '--option', '4', '--kit', kitDir])).code).toBe(1);
  });
});

describe('--cosigner-key, repeated', () => {
  it('is read as a list, in the order given', () => {
    expect(resolveSendOptions('tx', flags({ cosignerKey: ['b.pem', 'a.pem'], handlerPublicKey: 'h.pem' }), undefined).cosignerKey).toEqual(['b.pem', 'a.pem']);
  });

  it('replaces the kit\'s Co-signers in that order: Co-signer 1 is the first key given', async () => {
    const [first, second] = kitCosigners(kit);
    const k1 = join(kitDir, 'cosigner-private.pem');
    const k2 = join(kitDir, 'cosigner-2-private.pem');
    const m = resolveMaterial({ option: 4, kit, cosignerKey: [second!.privateKeyPem, first!.privateKeyPem], labels: { cosignerKey: [k2, k1] } });
    expect(m.cosigners?.map((c) => [c.n, c.source, c.fingerprint])).toEqual([
      [1, k2, publicKeyFingerprint(second!.publicKey)],
      [2, k1, publicKeyFingerprint(first!.publicKey)],
    ]);
    // Against the handler that trusts only the kit's Co-signer 1: now it is Co-signer 2 that verifies.
    const swapped = ['send', 'tx', '--url', trustsFirst.url, '--option', '4', '--kit', kitDir, '--cosigner-key', k2, '--cosigner-key', k1];
    expect((await cli([...swapped, '--cosigner', '2'])).code).toBe(0);
    const refused = await cli([...swapped, '--cosigner', '1']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('handler answered 401');
  });
});

describe('the library: createCosigner sends as Co-signer n', () => {
  it('signs with Co-signer n\'s key and sends its own signerId, the same for the same seed', async () => {
    const a = createCosigner({ url: trustsBoth.url, option: 4, kit, seed: 7 });
    const b = createCosigner({ url: trustsBoth.url, option: 4, kit, seed: 7 });
    expect(a.cosigners).toBe(2);
    const one = await a.sendTx();
    const two = await a.sendTx({ cosigner: 2 });
    expect([one.ok, two.ok]).toEqual([true, true]);
    expect(one.request.payload.signerId).toBe(a.signerIdOf(1));
    expect(two.request.payload.signerId).toBe(a.signerIdOf(2));
    expect(a.signerIdOf(2)).not.toBe(a.signerIdOf(1));
    expect(b.signerIdOf(2)).toBe(a.signerIdOf(2));
    expect(two.request.signedBy).toMatchObject({ cosigner: 2, of: 2 });
    // Co-signer 2 as the client's default, refused by the handler that pins key 1.
    const pinned = await createCosigner({ url: trustsFirst.url, option: 4, kit, cosigner: 2 }).sendTx();
    expect(pinned.response?.status).toBe(401);
    expect(() => createCosigner({ url: trustsBoth.url, option: 4, kit: { ...kit, cosigners: [kit.cosigner] }, cosigner: 2 })).toThrow(expect.objectContaining({ code: 'CSIM_MISSING_MATERIAL', message: expect.stringContaining('only 1 Co-signer') }));
  });
});

describe('conformance: forgery/every-cosigner-key', () => {
  const only = ['--skip', 'robustness', '--skip', 'protocol', '--skip', 'idempotency', '--skip', 'tls', '--skip', 'deadline', '--reporter', 'json'];
  const probe = (out: string) => (JSON.parse(out) as { scenarios: { name: string; status: string; checks: { status: string; hint?: string }[] }[] }).scenarios.find((s) => s.name === 'forgery/every-cosigner-key')!;

  it('passes a handler that trusts every Co-signer key and refuses a foreign one', async () => {
    const r = await cli(['conformance', '--url', trustsBoth.url, '--option', '4', '--kit', kitDir, ...only]);
    expect(probe(r.out).status).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('fails a handler that trusts only Co-signer 1, with the hint naming key 2', async () => {
    const r = await cli(['conformance', '--url', trustsFirst.url, '--option', '4', '--kit', kitDir, ...only]);
    expect(r.code).toBe(1);
    const p = probe(r.out);
    expect(p.status).toBe('fail');
    expect(p.checks.filter((c) => c.status === 'fail').map((c) => c.hint).join('\n')).toContain('cosigner-2-private.pem');
  });

  it('is skipped, saying why, when one Co-signer key is configured', async () => {
    const r = await cli(['conformance', '--url', trustsFirst.url, '--option', '4', '--kit', kitDir, '--cosigner-key', join(kitDir, 'cosigner-private.pem'), ...only]);
    expect(probe(r.out).status).toBe('skip');
    expect(r.code).toBe(0);
  });
});
