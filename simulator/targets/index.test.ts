/**
 * startTarget: the key material is resolved once and carried in the started target, close is
 * idempotent, and `await using` closes it (TypeScript downlevels it for target ES2022; Node 20
 * has Symbol.asyncDispose).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../client/cosigner.js';
import { resolveMaterial } from '../client/material.js';
import { sharedKit } from '../../test/support/shared-kit.js';
import type { Kit } from '../keys/types.js';
import { startTarget, TARGET_KINDS, type StartedTarget } from './index.js';

let kit: Kit;
const started: StartedTarget[] = [];
beforeAll(async () => {
  kit = await sharedKit();
});
afterAll(async () => {
  await Promise.all(started.map((t) => t.close()));
});

describe('the url kind', () => {
  it('resolves the material once and starts nothing', async () => {
    const target = await startTarget({ kind: 'url', url: 'https://127.0.0.1:8443/fireblocks/cb/', option: 4 }, { kit });
    expect(target.url).toBe('https://127.0.0.1:8443/fireblocks/cb');
    expect(target.option).toBe(4);
    expect(target.material.option).toBe(4);
    expect(target.material.cosignerKey?.type).toBe('private');
    expect(target.material.handlerPublicKey?.type).toBe('public');
    expect(target.material.trust.pinnedCertPem?.trim()).toBe(kit.pinned.certPem.trim());
    expect(target.logs).toBeUndefined();
    // The Co-signer takes the material as it is.
    expect(createCosigner(target, { seed: 1 })).toMatchObject({ option: 4, url: target.url, seed: 1 });
  });

  it('close() is idempotent and is what Symbol.asyncDispose calls', async () => {
    const target = await startTarget({ kind: 'url', url: 'https://127.0.0.1:8443', option: 2 }, { kit });
    const first = target.close();
    expect(target.close()).toBe(first);
    expect(target[Symbol.asyncDispose]()).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });

  it('takes material resolved before, as it is, and refuses one for another option', async () => {
    const material = resolveMaterial({ option: 3, kit });
    const target = await startTarget({ kind: 'url', url: 'https://127.0.0.1:8443', option: 3 }, material);
    expect(target.material).toBe(material);
    await expect(startTarget({ kind: 'url', url: 'https://127.0.0.1:8443', option: 5 }, material)).rejects.toMatchObject({
      code: 'CSIM_INVALID_ARGUMENT',
      message: 'startTarget: the key material is for option 3, the target for option 5',
    });
  });

  it('refuses a JWT option with no Co-signer key, a flag the option does not use, and a bad URL', async () => {
    await expect(startTarget({ kind: 'url', url: 'https://127.0.0.1:8443', option: 1 })).rejects.toMatchObject({
      code: 'CSIM_MISSING_MATERIAL',
      message: expect.stringContaining('there is no default one'),
    });
    await expect(startTarget({ kind: 'url', url: 'https://127.0.0.1:8443', option: 2 }, { kit, ca: kit.rootCa.certPem })).rejects.toMatchObject({ code: 'CSIM_INVALID_OPTION' });
    await expect(startTarget({ kind: 'url', url: 'ftp://127.0.0.1', option: 2 }, { kit })).rejects.toMatchObject({ code: expect.stringMatching(/^CSIM_/) });
  });
});

describe('the reference kind', () => {
  it('starts the reference handler, whose answers pass every check with the carried material', async () => {
    const target = await startTarget({ kind: 'reference', option: 5, kit, basePath: '/cb' });
    started.push(target);
    expect(target.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/cb$/);
    expect(target.material.trust.caPem?.trim()).toBe(kit.rootCa.certPem.trim());
    expect(target.material.kit).toBe(kit);
    const res = await createCosigner(target, { seed: 2 }).sendTx();
    expect(res.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(res.decision.action).toBe('APPROVE');
  });

  it('passes hooks to the handler, including intercept with the raw request', async () => {
    const paths: string[] = [];
    const target = await startTarget({ kind: 'reference', option: 2, kit, hooks: { intercept: (req) => (paths.push(req.url ?? ''), false) } });
    started.push(target);
    await createCosigner(target).sendConfigChange();
    expect(paths).toEqual(['/config_change_sign_request']);
  });

  it('uses the material kit when the spec has none, with explicit values winning', async () => {
    const target = await startTarget({ kind: 'reference', option: 3 }, { kit, checkHostname: false });
    started.push(target);
    expect(target.material.kit).toBe(kit);
    expect(target.material.trust.checkHostname).toBe(false);
    expect((await createCosigner(target).sendTx()).ok).toBe(true);
  });

  it('closes on `await using`, and a closed handler refuses connections', async () => {
    let url: string;
    {
      await using target = await startTarget({ kind: 'reference', option: 4, kit });
      url = target.url;
      expect((await createCosigner(target).sendTx()).ok).toBe(true);
    }
    const after = await createCosigner({ url, option: 4, kit, timeoutMs: 5_000 }).sendTx();
    expect(after.transportFailure?.code).toBe('ECONNREFUSED');
  });

  it('refuses a usage error before it starts anything, and resolved material without a kit', async () => {
    await expect(startTarget({ kind: 'reference', option: 1 }, { pinnedCert: kit.pinned.certPem })).rejects.toMatchObject({ code: 'CSIM_INVALID_OPTION', field: 'pinnedCert' });
    const noKit = resolveMaterial({ option: 2, pinnedCert: kit.pinned.certPem });
    await expect(startTarget({ kind: 'reference', option: 2 }, noKit)).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('needs a kit') });
  });
});

describe('startTarget', () => {
  it('knows the url, reference, command, image and module kinds, and refuses another with the list', async () => {
    expect(TARGET_KINDS).toEqual(['url', 'reference', 'command', 'image', 'module']);
    await expect(startTarget({ kind: 'docker' } as never)).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT', hint: 'use one of: url, reference, command, image, module' });
  });
});
