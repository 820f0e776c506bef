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
 */
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createCosigner,
  generateKit,
  SECURITY_OPTIONS,
  parseSecurityOption,
  readKit,
  type Cosigner,
  type MaterialInput,
} from 'cosigner-sim';
import { startReferenceHandler, type HandlerHooks } from 'cosigner-sim/reference';

const env = process.env;

/** The security option under test. */
export const OPTION = parseSecurityOption(env.OPTION ?? '4');
/** True for options 1, 4 and 5, whose answers are signed JWTs. */
export const SIGNED = SECURITY_OPTIONS[OPTION].messageLayer === 'jwt';

export interface Target {
  cosigner: Cosigner;
  /** The key the handler's answers must verify with (JWT options), when known. */
  handlerPublicKey?: KeyObject | string;
  close(): Promise<void>;
}

const read = (path: string | undefined): string | undefined => (path ? readFileSync(path, 'utf8') : undefined);

function material(): Pick<MaterialInput, 'kit' | 'cosignerKey' | 'handlerPublicKey' | 'pinnedCert' | 'ca'> {
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
export async function startTarget(hooks?: HandlerHooks): Promise<Target> {
  if (env.HANDLER_URL && !hooks) {
    const cosigner = createCosigner({ url: env.HANDLER_URL, option: OPTION, seed: 1, ...material() });
    const handlerPublicKey = read(env.HANDLER_PUBLIC_KEY) ?? (env.KIT_DIR ? readKit(env.KIT_DIR).handler.publicKey : undefined);
    return { cosigner, ...(handlerPublicKey ? { handlerPublicKey } : {}), close: () => cosigner.close() };
  }
  const kit = await generateKit();
  const handler = await startReferenceHandler({ option: OPTION, kit, ...(hooks ? { hooks } : {}) });
  const cosigner = createCosigner({ url: handler.url, option: OPTION, kit, seed: 1 });
  return { cosigner, handlerPublicKey: kit.handler.publicKey, close: () => handler.close() };
}
