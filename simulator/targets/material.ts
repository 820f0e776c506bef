import { isResolvedMaterial, resolveMaterial, type MaterialInput, type ResolvedMaterial } from '../client/material.js';
import { InvalidArgumentError } from '../errors.js';
import { parseSecurityOption, type SecurityOptionNumber } from '../protocol/options.js';

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

function optionMismatch(option: SecurityOptionNumber, got: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`startTarget: the key material is for option ${String(got)}, the target for option ${option}`, {
    hint: 'resolve the material for the option the target speaks, or leave the option out of the material (the spec gives it)',
  });
}
