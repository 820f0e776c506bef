import { createCosigner, type Cosigner, type CosignerOptions } from '../client/cosigner.js';
import { MissingMaterialError } from '../errors.js';
import { readKit } from '../keys/kit.js';
import { readMaterialFile } from '../keys/load.js';
import { KIT_FILES, type Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, usesJwt, type SecurityOptionNumber } from '../protocol/options.js';
import type { Warning } from '../protocol/types.js';
import { startReferenceHandler } from '../reference/handler.js';
import type { CommonOptions } from './options.js';
import type { TargetInfo } from './reporters/types.js';

/** A handler to talk to, and the simulated Co-signer pointed at it. */
export interface Target extends TargetInfo {
  cosigner: Cosigner;
  /** What the Co-signer was created from (the conformance battery needs the key material too). */
  cosignerOptions: CosignerOptions;
  /** Stops the embedded handler; a no-op for `--url`. Idempotent. */
  close(): Promise<void>;
}

/** Read once per run: `--option all` opens five targets from the same flags. */
export interface TargetInputs {
  kit?: Kit;
  files: Pick<CosignerOptions, 'cosignerKey' | 'handlerPublicKey' | 'pinnedCert' | 'ca' | 'labels'>;
}

const FLAG_OF = { cosignerKey: '--cosigner-key', handlerPublicKey: '--handler-public-key', pinnedCert: '--pinned-cert', ca: '--ca' } as const;

/**
 * Read the kit and the key and certificate files the flags name. Each file error names the file
 * (FileNotFoundError, KeyFormatError, ...: exit 2). Parsing and the option/flag rules are left
 * to createCosigner (client/material.ts), which labels its errors with these file names.
 *
 * @example
 * const inputs = readTargetInputs({ kit: 'keys/', ... });
 */
export function readTargetInputs(o: CommonOptions): TargetInputs {
  const files: TargetInputs['files'] = { labels: {} };
  for (const key of ['cosignerKey', 'handlerPublicKey', 'pinnedCert', 'ca'] as const) {
    const path = o[key];
    if (path === undefined) continue;
    files[key] = readMaterialFile(path, `${FLAG_OF[key]} file`);
    files.labels![key] = path;
  }
  return { ...(o.kit !== undefined ? { kit: readKit(o.kit) } : {}), files };
}

/**
 * Warnings about flags that do nothing for an option (material.ts refuses the harmful ones).
 *
 * @example
 * targetWarnings({ ...o, checkHostname: false }, 2) // [{ id: 'flag-ignored', ... }]
 */
export function targetWarnings(o: CommonOptions, option: SecurityOptionNumber): Warning[] {
  if (!o.checkHostname && SECURITY_OPTIONS[option].tls === 'pinned') {
    return [{ id: 'flag-ignored', message: `--no-check-hostname has no effect with option ${option} (${SECURITY_OPTIONS[option].label}): the pinned certificate is compared whole`, hint: 'drop --no-check-hostname' }];
  }
  return [];
}

function cosignerOptions(o: CommonOptions, option: SecurityOptionNumber, url: string, inputs: TargetInputs, kit: Kit | undefined): CosignerOptions {
  return {
    url,
    option,
    ...(kit ? { kit } : {}),
    ...inputs.files,
    ...(o.checkHostname ? {} : { checkHostname: false }),
    timeoutMs: o.timeoutMs,
    ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
    seed: o.seed,
  };
}

/**
 * The generated kit of the embedded handlers. One kit serves every option of a run: generating
 * one costs seconds (five RSA-2048 key pairs), each option already uses different parts of it
 * (the pinned certificate for 2 and 4, the Root CA and its leaf for 1, 3 and 5), and every
 * embedded handler is a correct one, so sharing cannot hide a fault.
 *
 * @example
 * const kit = await embeddedKit();
 */
export async function embeddedKit(): Promise<Kit> {
  // Loaded only when needed: the certificate library costs ~100 ms of start-up that --kit runs skip.
  const { cachedKit } = await import('../keys/generate.js');
  return cachedKit('cli-embedded');
}

/**
 * Open the target for one option: the user's handler (`--url`), or the reference handler started
 * in-process from `--kit` or a freshly generated kit.
 *
 * Against the user's handler a JWT option has no sensible default Co-signer key, so a missing
 * key is refused here with the ways to give one.
 *
 * @example
 * const target = await openTarget(options, 1, readTargetInputs(options));
 * try { await target.cosigner.sendTx(); } finally { await target.close(); }
 */
export async function openTarget(o: CommonOptions, option: SecurityOptionNumber, inputs: TargetInputs): Promise<Target> {
  const spec = SECURITY_OPTIONS[option];
  if (o.url !== undefined) {
    if (usesJwt(option) && inputs.kit === undefined && inputs.files.cosignerKey === undefined) {
      throw new MissingMaterialError(`option ${option} (${spec.label}) signs every request with the Co-signer private key, and against your handler (--url) there is no default one`, {
        field: 'cosignerKey',
        hint: [
          'pass --cosigner-key <pem> (the private key whose public half your handler trusts) and --handler-public-key <pem>,',
          `or --kit <dir> holding ${KIT_FILES.cosignerPrivateKey}, ${KIT_FILES.handlerPublicKey}, ... (see README#kits).`,
          'No kit yet? `node examples/reference-handler/start.mjs keys/` writes a fresh one to keys/.',
        ].join('\n'),
      });
    }
    const options = cosignerOptions(o, option, o.url, inputs, inputs.kit);
    const cosigner = createCosigner(options);
    return { option, label: spec.label, url: cosigner.url, embedded: false, cosigner, cosignerOptions: options, close: async () => cosigner.close() };
  }

  const kit = inputs.kit ?? (await embeddedKit());
  // Check the flags before starting a server, so a usage error leaves nothing listening.
  createCosigner(cosignerOptions(o, option, 'https://127.0.0.1:1', inputs, kit));
  const handler = await startReferenceHandler({ option, kit });
  try {
    const options = cosignerOptions(o, option, handler.url, inputs, kit);
    const cosigner = createCosigner(options);
    return {
      option,
      label: spec.label,
      url: handler.url,
      embedded: true,
      cosigner,
      cosignerOptions: options,
      close: async () => {
        await cosigner.close();
        await handler.close();
      },
    };
  } catch (e) {
    await handler.close();
    throw e;
  }
}
