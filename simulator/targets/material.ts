import { isResolvedMaterial, resolveMaterial, type MaterialInput, type ResolvedMaterial } from '../client/material.js';
import { InvalidArgumentError } from '../errors.js';
import type { Kit } from '../keys/types.js';
import { parseSecurityOption, SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';

/**
 * The Co-signer side's key material for a target: raw inputs (resolved once, when the target
 * starts; the option comes from the spec) or material resolved before.
 */
export type TargetMaterial = ResolvedMaterial | (Omit<MaterialInput, 'option'> & { option?: MaterialInput['option'] });

/**
 * The material for a spec's option: resolved material is checked to be for that option and
 * used as it is; raw inputs are resolved here, once.
 *
 * @example
 * materialFor(4, { kit }).trust.pinnedCertPem === kit.pinned.certPem; // true
 */
export function materialFor(option: SecurityOptionNumber, material: TargetMaterial): ResolvedMaterial {
  if (isResolvedMaterial(material)) {
    if (material.option !== option) throw optionMismatch(option, material.option);
    return material;
  }
  if (material.option !== undefined && parseSecurityOption(material.option) !== option) throw optionMismatch(option, material.option);
  return resolveMaterial({ ...material, option });
}

/**
 * Material for a handler cosigner-sim started itself with `kit` (reference, command): under option 1
 * the Co-signer side trusts that kit's Root CA too, since the handler serves the kit's leaf because
 * it was told to. Against a URL (targets/url.ts) it never does (client/material.ts).
 *
 * @example
 * trustingKitRoot(materialFor(1, { kit }), kit).trust.trustKitRootCa; // true
 */
export function trustingKitRoot(material: ResolvedMaterial, kit: Kit): ResolvedMaterial {
  if (SECURITY_OPTIONS[material.option].tls !== 'public-ca') return material;
  return { ...material, trust: { ...material.trust, kitRootCaPem: kit.rootCa.certPem, trustKitRootCa: true } };
}

function optionMismatch(option: SecurityOptionNumber, got: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`startTarget: the key material is for option ${String(got)}, the target for option ${option}`, {
    hint: 'resolve the material for the option the target speaks, or leave the option out of the material (the spec gives it)',
  });
}
