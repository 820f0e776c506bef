import { assertMaterialFits, isResolvedMaterial, type ResolvedMaterial } from '../client/material.js';
import { InvalidArgumentError } from '../errors.js';
import { readKit } from '../keys/kit.js';
import type { Kit } from '../keys/types.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { startReferenceHandler, type HandlerHooks } from '../reference/handler.js';
import type { PolicyConfig } from '../reference/policy.js';
import { materialFor, trustingKitRoot, type TargetMaterial } from './material.js';
import { startedTarget, type StartedTarget } from './started.js';

/** The reference Callback Handler, started in-process (the CLI's default target and the zoo's base). */
export interface ReferenceTargetSpec {
  kind: 'reference';
  option: SecurityOptionNumber;
  /**
   * The handler's keys and certificates. Default: the material's kit, else a kit generated once
   * per process (five RSA-2048 key pairs take seconds, and every reference handler is correct,
   * so sharing one cannot hide a fault).
   */
  kit?: Kit;
  /** Deliberately broken behaviour (the selftest zoo); absent means a correct handler. */
  hooks?: HandlerHooks;
  policy?: Partial<PolicyConfig>;
  /** e.g. `/fireblocks/cb` serves `/fireblocks/cb/v2/tx_sign_request`. */
  basePath?: string;
  /** Option 1 only: plain http, which the setup docs allow for development [protocol.md §2]. */
  plainHttp?: boolean;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
}

/**
 * The kit the reference handler uses when none is given.
 *
 * @example
 * const kit = await defaultReferenceKit();
 */
export async function defaultReferenceKit(): Promise<Kit> {
  // Loaded only when needed: the certificate library costs ~100 ms of start-up that kit runs skip.
  const { cachedKit } = await import('../keys/generate.js');
  return cachedKit('reference-target');
}

/**
 * Start the reference handler for one option. The material's flags are checked before a kit is
 * generated, and the material is resolved (once) before the server listens, so a usage error
 * leaves nothing listening. Unless the material says otherwise, the Co-signer side uses the
 * handler's own kit, so the two sides trust each other.
 *
 * @example
 * await using target = await startReferenceTarget({ kind: 'reference', option: 4 }, {});
 */
export async function startReferenceTarget(spec: ReferenceTargetSpec, material: TargetMaterial): Promise<StartedTarget> {
  const { option } = spec;
  let resolved: ResolvedMaterial;
  let kit: Kit;
  if (isResolvedMaterial(material)) {
    const found = spec.kit ?? material.kit;
    if (found === undefined) {
      throw new InvalidArgumentError(`startTarget: a reference target needs a kit, and neither the spec nor the resolved material has one`, {
        hint: 'pass { kind: "reference", kit } or material resolved from a kit; or pass raw material and a kit is generated',
      });
    }
    kit = found;
    resolved = materialFor(option, material);
  } else {
    assertMaterialFits({ ...material, option });
    const own = typeof material.kit === 'string' ? readKit(material.kit) : material.kit;
    kit = spec.kit ?? own ?? (await defaultReferenceKit());
    resolved = materialFor(option, { ...material, kit: own ?? kit });
  }
  const handler = await startReferenceHandler({
    option,
    kit,
    ...(spec.hooks ? { hooks: spec.hooks } : {}),
    ...(spec.policy ? { policy: spec.policy } : {}),
    ...(spec.basePath !== undefined ? { basePath: spec.basePath } : {}),
    ...(spec.plainHttp ? { plainHttp: true } : {}),
    ...(spec.host !== undefined ? { host: spec.host } : {}),
    ...(spec.port !== undefined ? { port: spec.port } : {}),
  });
  // The handler serves this kit's certificates: option 1 trusts its Root CA on purpose.
  return startedTarget({ url: handler.url, option, material: trustingKitRoot(resolved, kit), stop: () => handler.close() });
}
