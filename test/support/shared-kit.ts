import { inject } from 'vitest';
import { generateKit } from '../../simulator/keys/generate.js';
import { parsePrivateKey, parsePublicKey } from '../../simulator/keys/parse.js';
import type { Kit, KeyPairMaterial } from '../../simulator/keys/types.js';
import type { KitPem } from './kit-pem.js';

let provided: Kit | undefined;
let kit: Promise<Kit> | undefined;

function pair(p: KitPem['cosigner'], label: string): KeyPairMaterial {
  return {
    privateKeyPem: p.privateKeyPem,
    publicKeyPem: p.publicKeyPem,
    privateKey: parsePrivateKey(p.privateKeyPem, { label: `shared kit: ${label} private key` }),
    publicKey: parsePublicKey(p.publicKeyPem, { label: `shared kit: ${label} public key` }),
  };
}

function fromPem(pem: KitPem): Kit {
  const cosigner = pair(pem.cosigner, 'cosigner');
  return { cosigner, cosigners: [cosigner, ...pem.cosigners.slice(1).map((p, i) => pair(p, `cosigner ${i + 2}`))], handler: pair(pem.handler, 'handler'), pinned: { ...pem.pinned }, rootCa: { ...pem.rootCa }, leaf: { ...pem.leaf } };
}

/**
 * The run's shared kit, parsed (once per worker) from what test/support/kit.global-setup.ts
 * provided, or undefined without that global setup (another vitest config). Synchronous, for
 * fixtures that cannot wait; sharedKit() is the usual way.
 *
 * @example
 * const handlerKey = providedKit()?.handler.privateKey;
 */
export function providedKit(): Kit | undefined {
  if (!provided) {
    const pem = inject('cosignerSimKit');
    if (pem) provided = fromPem(pem);
  }
  return provided;
}

/**
 * The test run's one kit: generated once per run by test/support/kit.global-setup.ts and parsed
 * once per worker. For tests where sharing cannot hide a fault; a test that needs a different or
 * a wrong key makes its own. Without the global setup (another config), it generates a kit, once
 * per process.
 *
 * @example
 * const kit = await sharedKit();
 * const handler = await startReferenceHandler({ option: 4, kit });
 */
export function sharedKit(): Promise<Kit> {
  if (!kit) {
    const fromSetup = providedKit();
    kit = fromSetup ? Promise.resolve(fromSetup) : generateKit();
    kit.catch(() => (kit = undefined));
  }
  return kit;
}
