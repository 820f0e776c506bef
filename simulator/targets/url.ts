import { isResolvedMaterial } from '../client/material.js';
import { MissingMaterialError } from '../errors.js';
import { KIT_FILES } from '../keys/types.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import { SECURITY_OPTIONS, usesJwt, type SecurityOptionNumber } from '../protocol/options.js';
import { materialFor, type TargetMaterial } from './material.js';
import { startedTarget, type StartedTarget } from './started.js';

/** A handler that is already running somewhere: yours. */
export interface UrlTargetSpec {
  kind: 'url';
  /** The handler's base URL, without `/v2` or an endpoint name (e.g. `https://127.0.0.1:8443/fireblocks/cb`). */
  url: string;
  option: SecurityOptionNumber;
}

/**
 * Point at a running handler: nothing is started, so `close()` does nothing. The key material is
 * resolved and the URL validated here, so a bad flag or URL fails before any request is sent.
 *
 * Against your handler a JWT option has no sensible default Co-signer key, so a missing key is
 * refused with the ways to give one. Option 1 trusts the public roots plus an explicit `ca` only:
 * a kit's test Root CA is never added silently (the real Co-signer would refuse a certificate from
 * it); a failure caused by it says so and how to trust it for local testing.
 *
 * @example
 * const target = await startUrlTarget({ kind: 'url', url: 'https://127.0.0.1:8443', option: 4 }, { kit: 'keys/' });
 */
export async function startUrlTarget(spec: UrlTargetSpec, material: TargetMaterial): Promise<StartedTarget> {
  const { option } = spec;
  if (!isResolvedMaterial(material) && usesJwt(option) && material.kit === undefined && material.cosignerKey === undefined) {
    throw new MissingMaterialError(`option ${option} (${SECURITY_OPTIONS[option].label}) signs every request with the Co-signer private key, and against your handler (--url) there is no default one`, {
      field: 'cosignerKey',
      hint: [
        'pass --cosigner-key <pem> (the private key whose public half your handler trusts) and --handler-public-key <pem>,',
        `or --kit <dir> holding ${KIT_FILES.cosignerPrivateKey}, ${KIT_FILES.handlerPublicKey}, ... (see README#kits).`,
        'No kit yet? `cosigner-sim init --keys-only` writes a fresh one to keys/ (`init --option N` also says what your handler loads).',
      ].join('\n'),
    });
  }
  const resolved = materialFor(option, material);
  const base = validateBaseUrl(spec.url, option);
  return startedTarget({ url: base.url, option, material: resolved });
}
