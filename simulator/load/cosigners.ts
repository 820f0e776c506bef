import type { KeyObject } from 'node:crypto';
import { createCosigner, type ClientOptions, type Cosigner, type CosignerTarget } from '../client/cosigner.js';

/**
 * The Co-signers of a several-Co-signer run (`--mix cosigner-burst`): `first` (the target's own)
 * and `count - 1` more from the same target and client options, each on its own seed, so each
 * draws its own `signerId` (and its own requestIds), and each with its own connections. Co-signer
 * i sends as the material's Co-signer `(i mod n) + 1`, so with the kit's two Co-signer keys the
 * burst is signed by both (several Co-signers in HA sign with several keys [I], protocol.md
 * §14.2). With `keys`, Co-signer i signs with `keys[i % keys.length]` instead.
 *
 * @example
 * const all = loadCosigners(target.cosigner, target.started, target.client, 3); // 3 signerIds, the kit's keys in turn
 */
export function loadCosigners(first: Cosigner, target: CosignerTarget, client: ClientOptions, count: number, keys: readonly KeyObject[] = []): Cosigner[] {
  const out: Cosigner[] = [first];
  for (let i = 1; i < count; i++) {
    const key = keys.length > 0 ? keys[i % keys.length] : undefined;
    const options = { ...client, seed: first.seed + i };
    const exited = target.exited ? { exited: target.exited.bind(target) } : {};
    if (key !== undefined) {
      // One key of the caller's list: the material's own Co-signer list would win over it.
      const { cosigners: _own, ...rest } = target.material;
      out.push(createCosigner({ url: target.url, material: { ...rest, cosignerKey: key }, ...exited }, options));
    } else {
      out.push(createCosigner(target, { ...options, cosigner: (i % first.cosigners) + 1 }));
    }
  }
  return out;
}
