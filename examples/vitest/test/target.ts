/**
 * Which handler the tests talk to. With no HANDLER_URL, the reference handler that ships with
 * cosigner-sim is started on 127.0.0.1 with fresh keys. With HANDLER_URL, your own handler:
 *
 *   HANDLER_URL=https://127.0.0.1:8443/fireblocks/cb   base URL, without /v2 or the endpoint name
 *   OPTION=4                                           security option 1..5 (default 4, jwt+pinned)
 *   KIT_DIR=.cosigner-sim/kit                          a kit folder (writeKit / reference-handler start.mjs)
 * or the files one by one (PEM paths; each option needs only some of them):
 *   COSIGNER_KEY=cosigner-private.pem                  options 1, 4, 5: the key requests are signed with
 *   HANDLER_PUBLIC_KEY=handler-public.pem              options 1, 4, 5: verifies your handler's answers
 *   PINNED_CERT=handler-cert.pem                       options 2, 4: your handler's certificate
 *   CA=root-ca.pem                                     options 3, 5 (and extra CA for 1): the CA your certificate chains to
 *                                                      (option 1 trusts a kit's Root CA only when given here, never from KIT_DIR)
 *
 * startTarget does the rest, as the cosigner-sim CLI does: it checks the keys fit the option,
 * parses them once, and starts (or just points at) the handler.
 */
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createCosigner, SECURITY_OPTIONS, parseSecurityOption, type Cosigner } from 'cosigner-sim';
import { startTarget, type ReferenceTargetSpec, type StartedTarget, type TargetMaterial } from 'cosigner-sim/targets';

const env = process.env;

/** The security option under test. */
export const OPTION = parseSecurityOption(env.OPTION ?? '4');
/** True for options 1, 4 and 5, whose answers are signed JWTs. */
export const SIGNED = SECURITY_OPTIONS[OPTION].messageLayer === 'jwt';

/** Hooks that break the reference handler on purpose (see cosigner-sim's selftest zoo). */
export type Hooks = NonNullable<ReferenceTargetSpec['hooks']>;

export interface Target {
  cosigner: Cosigner;
  /** The key the handler's answers must verify with (JWT options). */
  handlerPublicKey?: KeyObject;
  /** The started handler (or your URL): its `close()` is idempotent. */
  target: StartedTarget;
  close(): Promise<void>;
}

const read = (path: string | undefined): string | undefined => (path ? readFileSync(path, 'utf8') : undefined);

function material(): TargetMaterial {
  const files = {
    cosignerKey: read(env.COSIGNER_KEY),
    handlerPublicKey: read(env.HANDLER_PUBLIC_KEY),
    pinnedCert: read(env.PINNED_CERT),
    ca: read(env.CA),
  };
  return {
    ...(env.KIT_DIR ? { kit: env.KIT_DIR } : {}),
    ...Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)),
  };
}

/** The handler under test and a seeded simulated Co-signer pointed at it. */
export async function openTarget(hooks?: Hooks): Promise<Target> {
  const target =
    env.HANDLER_URL && !hooks
      ? await startTarget({ kind: 'url', url: env.HANDLER_URL, option: OPTION }, material())
      : await startTarget({ kind: 'reference', option: OPTION, ...(hooks ? { hooks } : {}) });
  const cosigner = createCosigner(target, { seed: 1 });
  const { handlerPublicKey } = target.material;
  return { cosigner, target, ...(handlerPublicKey ? { handlerPublicKey } : {}), close: () => target.close() };
}
