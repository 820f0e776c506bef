import { PROBES, runConformance } from '../../conformance/index.js';
import { resolveBases } from '../../suite/base.js';
import type { CliIO } from '../io.js';
import type { ConformanceCliOptions } from '../options.js';
import { runPerOption, type CommandOutcome } from './run.js';

/**
 * `cosigner-sim conformance`: the built-in battery (forgery, robustness, protocol, idempotency,
 * TLS posture, deadline) against the handler, one scenario per probe named `<group>/<probe>`,
 * with the same reporters and exit codes as `run`.
 *
 * @example
 * const { exitCode } = await conformanceCommand(resolveConformanceOptions(flags, undefined), processIO());
 */
export async function conformanceCommand(o: ConformanceCliOptions, io: CliIO): Promise<CommandOutcome> {
  // Resolved (the scenario files read) before any handler starts: a bad --base is exit 2 at once.
  const base = await resolveBases({ set: o.set, base: o.base, cwd: io.cwd, profile: o.profile });
  return runPerOption(o, io, { command: 'conformance', detail: false, bail: false, plan: PROBES.map((p) => ({ name: p.id, file: 'conformance' })) }, async (target, nameSuffix, onResult, signal) => {
    const out = await runConformance({
      cosigner: target.cosigner,
      option: target.option,
      url: target.url,
      material: target.material,
      timeoutMs: o.timeoutMs,
      skip: o.skip,
      slowFraction: o.slowFraction,
      base,
      endpoints: o.endpoints,
      concurrency: o.batteryConcurrency,
      knownFailures: o.knownFailures,
      onResult,
      signal,
      ...(nameSuffix !== undefined ? { nameSuffix } : {}),
    });
    return out.results;
  });
}
