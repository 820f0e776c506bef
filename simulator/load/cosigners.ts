import type { KeyObject } from 'node:crypto';
import { createCosigner, type ClientOptions, type Cosigner, type CosignerTarget } from '../client/cosigner.js';

/**
 * The Co-signers of a several-Co-signer run (`--mix cosigner-burst`): `first` (the target's own)
 * and `count - 1` more from the same target and client options, each on its own seed, so each
 * draws its own `signerId` (and its own requestIds), and each with its own connections. With
 * `keys`, Co-signer i signs with `keys[i % keys.length]`: give the list of Co-signer keys the
 * material holds (several Co-signers in HA sign with several keys [I], protocol.md §14.2); with
 * none, all sign with the material's one key.
 *
 * @example
 * const all = loadCosigners(target.cosigner, target.started, target.client, 3); // 3 signerIds, one key
 */
export function loadCosigners(first: Cosigner, target: CosignerTarget, client: ClientOptions, count: number, keys: readonly KeyObject[] = []): Cosigner[] {
  const out: Cosigner[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys.length > 0 ? keys[i % keys.length] : undefined;
    // Co-signer 0 is the target's own unless a key list says which key it signs with.
    if (i === 0 && key === undefined) {
      out.push(first);
      continue;
    }
    const material = key !== undefined ? { ...target.material, cosignerKey: key } : target.material;
    out.push(createCosigner({ url: target.url, material, ...(target.exited ? { exited: target.exited.bind(target) } : {}) }, { ...client, seed: first.seed + i }));
  }
  return out;
}
