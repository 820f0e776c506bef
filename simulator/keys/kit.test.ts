import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import { generateRsaKeyPair } from './generate.js';
import { readKit, writeKit } from './kit.js';
import { kitCosigners, type Kit } from './types.js';

let kit: Kit;
beforeAll(async () => {
  kit = await sharedKit();
});

const tempDir = () => mkdtempSync(join(tmpdir(), 'csim-kit-'));

describe('a kit with several Co-signers', () => {
  it('the generated kit has two Co-signers, Co-signer 1 being kit.cosigner', () => {
    const all = kitCosigners(kit);
    expect(all).toHaveLength(2);
    expect(all[0]).toBe(kit.cosigner);
    expect(all[1]!.publicKeyPem).not.toBe(kit.cosigner.publicKeyPem);
  });

  it('writes Co-signer 2 as cosigner-2-*.pem and reads every Co-signer back in order', async () => {
    const third = await generateRsaKeyPair();
    const dir = tempDir();
    writeKit({ ...kit, cosigners: [...kitCosigners(kit), third] }, dir);
    expect(existsSync(join(dir, 'cosigner-private.pem'))).toBe(true);
    expect(existsSync(join(dir, 'cosigner-2-private.pem'))).toBe(true);
    expect(existsSync(join(dir, 'cosigner-3-public.pem'))).toBe(true);
    const back = kitCosigners(readKit(dir));
    expect(back.map((p) => p.publicKeyPem)).toEqual([kit.cosigner.publicKeyPem, kitCosigners(kit)[1]!.publicKeyPem, third.publicKeyPem]);
    // A smaller kit written over it leaves no stale Co-signer 3 behind.
    writeKit({ ...kit, cosigners: [kit.cosigner] }, dir);
    expect(existsSync(join(dir, 'cosigner-2-private.pem'))).toBe(false);
    expect(kitCosigners(readKit(dir))).toHaveLength(1);
    rmSync(dir, { recursive: true });
  });

  it('a Co-signer 3 without a Co-signer 2 is refused by name', async () => {
    const dir = tempDir();
    const third = await generateRsaKeyPair();
    writeKit({ ...kit, cosigners: [kit.cosigner, kitCosigners(kit)[1]!, third] }, dir);
    rmSync(join(dir, 'cosigner-2-private.pem'));
    expect(() => readKit(dir)).toThrow(expect.objectContaining({ code: 'CSIM_FILE_NOT_FOUND', message: expect.stringContaining('has cosigner-3-private.pem but no cosigner-2-private.pem') }));
    rmSync(dir, { recursive: true });
  });
});
