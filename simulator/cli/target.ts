import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { createCosigner, type ClientOptions, type Cosigner, type CosignerOptions } from '../client/cosigner.js';
import type { ResolvedMaterial } from '../client/material.js';
import { readKit } from '../keys/kit.js';
import { readMaterialFile } from '../keys/parse.js';
import type { Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import type { Warning } from '../protocol/types.js';
import { startTarget, type StartedTarget, type TargetMaterial, type TargetSpec } from '../targets/index.js';
import { checkProxyUrl, type CommonOptions } from './options.js';
import type { TargetInfo } from './reporters/types.js';

/** A handler to talk to, and the simulated Co-signer pointed at it. */
export interface Target extends TargetInfo {
  cosigner: Cosigner;
  /** The client options the Co-signer was made with (`load` makes more Co-signers like it). */
  client: ClientOptions;
  /** The key material, resolved once when the target started (the conformance battery needs it too). */
  material: ResolvedMaterial;
  /** The started target (simulator/targets/) behind this one. */
  started: StartedTarget;
  /** Stops the embedded handler; a no-op for `--url`. Idempotent. */
  close(): Promise<void>;
}

/** Read once per run: `--option all` opens five targets from the same flags. */
export interface TargetInputs {
  kit?: Kit;
  /** The command's working folder: a started handler runs there. */
  cwd?: string;
  files: Pick<CosignerOptions, 'cosignerKey' | 'handlerPublicKey' | 'pinnedCert' | 'ca' | 'labels'>;
  /** `--cwd`, resolved against `cwd`: where a started handler runs. */
  startCwd?: string;
  /** `--proxy`, else HTTPS_PROXY (https_proxy); with NO_PROXY (no_proxy). */
  proxy?: { url: string; noProxy?: string };
}

const FLAG_OF = { cosignerKey: '--cosigner-key', handlerPublicKey: '--handler-public-key', pinnedCert: '--pinned-cert', ca: '--ca' } as const;

/**
 * Read the kit and the key and certificate files the flags name. Each file error names the file
 * (FileNotFoundError, KeyFormatError, ...: exit 2). That each flag fits every option of the run
 * was checked with the flags, before any file was read (cli/options.ts). Parsing is left to
 * startTarget, which resolves the material once per option (client/material.ts) and labels its
 * errors with these file names.
 *
 * @example
 * const inputs = readTargetInputs({ kit: 'keys/', ... });
 */
export function readTargetInputs(o: CommonOptions, cwd: string = process.cwd(), env: Readonly<Record<string, string | undefined>> = {}): TargetInputs {
  // The paths are relative to the command's working folder (io.cwd, which in-process runs set),
  // not the process's; when the two agree the path is kept as given, so messages name it as typed.
  const at = (path: string) => (resolve(cwd, path) === resolve(path) ? path : resolve(cwd, path));
  const files: TargetInputs['files'] = { labels: {} };
  for (const key of ['handlerPublicKey', 'pinnedCert', 'ca'] as const) {
    const path = o[key];
    if (path === undefined) continue;
    files[key] = readMaterialFile(at(path), `${FLAG_OF[key]} file`);
    files.labels![key] = path;
  }
  // Repeated, the keys are Co-signer 1, 2, ... in the order given, and replace the kit's.
  if (o.cosignerKey !== undefined) {
    files.cosignerKey = o.cosignerKey.map((path) => readMaterialFile(at(path), `${FLAG_OF.cosignerKey} file`));
    files.labels!.cosignerKey = o.cosignerKey;
  }
  let startCwd: string | undefined;
  if (o.cwd !== undefined) {
    startCwd = resolve(cwd, o.cwd);
    if (!existsSync(startCwd) || !statSync(startCwd).isDirectory()) {
      throw new UsageError(`--cwd ${o.cwd}: no such folder (${startCwd})`, { field: 'cwd', hint: 'give the folder your handler starts in, relative to where you run cosigner-sim (or to the config file)' });
    }
  }
  // The usual proxy variables, as curl reads them: the lower-case name wins when both are set.
  const fromEnv = env['https_proxy'] || env['HTTPS_PROXY'] || undefined;
  if (o.proxy === undefined && fromEnv !== undefined) checkProxyUrl(fromEnv, 'HTTPS_PROXY');
  const proxyUrl = o.proxy ?? fromEnv;
  const noProxy = env['no_proxy'] || env['NO_PROXY'] || undefined;
  return {
    ...(o.kit !== undefined ? { kit: readKit(at(o.kit)) } : {}),
    files,
    cwd,
    ...(startCwd !== undefined ? { startCwd } : {}),
    ...(proxyUrl !== undefined ? { proxy: { url: proxyUrl, ...(noProxy !== undefined ? { noProxy } : {}) } } : {}),
  };
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

/**
 * The target the flags describe: `--image` is the user's handler image run by cosigner-sim,
 * `--handler` the user's handler module served in a worker thread,
 * `--start` with `--url` the user's handler started by cosigner-sim, `--url` alone the user's running handler, neither the reference handler started
 * in-process (from `--kit`, or a kit generated once per process). Specs are built from the flags
 * only; what a kind does is simulator/targets/'s business.
 *
 * @example
 * targetSpec({ ...o, url: 'https://127.0.0.1:8443' }, 4); // { kind: 'url', url: 'https://127.0.0.1:8443', option: 4 }
 */
export function targetSpec(o: CommonOptions, option: SecurityOptionNumber, cwd?: string): TargetSpec {
  if (o.handler !== undefined) return { kind: 'module', module: o.handler, option, ...(cwd !== undefined ? { cwd } : {}) };
  const env = Object.keys(o.env).length > 0 ? { env: o.env } : {};
  if (o.image !== undefined && o.port !== undefined) return { kind: 'image', image: o.image, containerPort: o.port, option, mountKeys: o.mountKeys, network: o.network, readyTimeoutMs: o.readyTimeoutMs, ...env };
  if (o.start !== undefined && o.url !== undefined) {
    return {
      kind: 'command',
      command: o.start,
      url: o.url,
      option,
      readyTimeoutMs: o.readyTimeoutMs,
      ...(o.readyPath !== undefined ? { readyPath: o.readyPath } : {}),
      ...(cwd !== undefined ? { cwd } : {}),
      ...(o.keepKit ? { keepKit: true } : {}),
      ...env,
    };
  }
  return o.url !== undefined ? { kind: 'url', url: o.url, option } : { kind: 'reference', option };
}

/** True when the run talks to the embedded reference handler (no flag names a handler of the user's). */
export function isEmbedded(o: CommonOptions): boolean {
  return o.url === undefined && o.image === undefined && o.handler === undefined;
}

/**
 * Open the target for one option through startTarget (simulator/targets/): the user's handler
 * (`--url`), or the reference handler started in-process. The key material is resolved once,
 * before any server starts, and the Co-signer is created from it without parsing it again.
 *
 * @example
 * const target = await openTarget(options, 1, readTargetInputs(options));
 * try { await target.cosigner.sendTx(); } finally { await target.close(); }
 */
export async function openTarget(o: CommonOptions, option: SecurityOptionNumber, inputs: TargetInputs, extra: ClientOptions = {}): Promise<Target> {
  const material: TargetMaterial = { ...(inputs.kit ? { kit: inputs.kit } : {}), ...inputs.files, ...(o.checkHostname ? {} : { checkHostname: false }) };
  const started = await startTarget(targetSpec(o, option, inputs.startCwd ?? inputs.cwd), material);
  try {
    const client: ClientOptions = {
      timeoutMs: o.timeoutMs,
      ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
      seed: o.seed,
      optionalFields: o.optionalFields,
      profile: o.profile,
      ...(o.marker !== undefined ? { marker: o.marker } : {}),
      ...(inputs.proxy !== undefined ? { proxy: inputs.proxy.url, ...(inputs.proxy.noProxy !== undefined ? { noProxy: inputs.proxy.noProxy } : {}) } : {}),
      ...extra,
    };
    const cosigner = createCosigner(started, client);
    return {
      option,
      label: SECURITY_OPTIONS[option].label,
      url: started.url,
      embedded: isEmbedded(o),
      cosigner,
      client,
      material: started.material,
      started,
      close: async () => {
        await cosigner.close();
        await started.close();
      },
    };
  } catch (e) {
    await started.close();
    throw e;
  }
}
