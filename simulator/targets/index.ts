/**
 * The handler side of a run: a TargetSpec says which Callback Handler to talk to, startTarget
 * starts it (or just points at it) and returns a StartedTarget with its URL and the key material
 * resolved once, the way testcontainers turns a builder into a started container. The CLI, the
 * conformance battery, the selftest and the examples start handlers only through here.
 *
 * Each kind is one file (url.ts, reference.ts, command.ts, image.ts, module.ts); adding one is that file, one union member and
 * one entry in START below.
 *
 * @example
 * import { startTarget } from 'cosigner-sim/targets';
 * await using target = await startTarget({ kind: 'reference', option: 4 });
 * const cosigner = createCosigner(target, { seed: 1 });
 */
import { InvalidArgumentError } from '../errors.js';
import { startCommandTarget, type CommandTargetSpec } from './command.js';
import { startImageTarget, type ImageTargetSpec } from './image.js';
import type { TargetMaterial } from './material.js';
import { startModuleTarget, type ModuleTargetSpec } from './module.js';
import { startReferenceTarget, type ReferenceTargetSpec } from './reference.js';
import type { StartedTarget } from './started.js';
import { startUrlTarget, type UrlTargetSpec } from './url.js';

/** Which handler to talk to. */
export type TargetSpec = UrlTargetSpec | ReferenceTargetSpec | CommandTargetSpec | ImageTargetSpec | ModuleTargetSpec;
export type TargetKind = TargetSpec['kind'];

type Starter<K extends TargetKind> = (spec: Extract<TargetSpec, { kind: K }>, material: TargetMaterial) => Promise<StartedTarget>;

/** One starter per kind; the mapped type makes a kind without a starter a compile error. */
const START: { [K in TargetKind]: Starter<K> } = {
  url: startUrlTarget,
  reference: startReferenceTarget,
  command: startCommandTarget,
  image: startImageTarget,
  module: startModuleTarget,
};

/** The kinds startTarget knows, in the order they are documented. */
export const TARGET_KINDS: readonly TargetKind[] = Object.keys(START) as TargetKind[];

/**
 * Start a target: resolve the key material once (a usage error throws before anything
 * listens), start what the kind needs, and return the started handle. Close it with `close()`
 * or `await using`; closing twice is harmless.
 *
 * @example
 * const target = await startTarget({ kind: 'url', url: 'https://127.0.0.1:8443/cb', option: 4 }, { kit: 'keys/' });
 * try { await createCosigner(target).sendTx(); } finally { await target.close(); }
 */
export async function startTarget(spec: TargetSpec, material: TargetMaterial = {}): Promise<StartedTarget> {
  const start = (START as Record<string, Starter<TargetKind> | undefined>)[(spec as { kind?: unknown }).kind as string];
  if (!start) {
    throw new InvalidArgumentError(`startTarget: unknown target kind ${JSON.stringify((spec as { kind?: unknown }).kind)}`, {
      hint: `use one of: ${TARGET_KINDS.join(', ')}`,
    });
  }
  return start(spec as never, material);
}

export type { ScenarioInfo, ScenarioScope, StartedTarget, TargetExit } from './started.js';
export { stopAllStarted } from './started.js';
export type { TargetMaterial } from './material.js';
export type { UrlTargetSpec } from './url.js';
export type { ReferenceTargetSpec } from './reference.js';
export type { CommandTargetSpec } from './command.js';
export type { ImageTargetSpec } from './image.js';
export type { ModuleTargetSpec } from './module.js';
