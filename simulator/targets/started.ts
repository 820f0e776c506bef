import type { ResolvedMaterial } from '../client/material.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import type { Warning } from '../protocol/types.js';
import type { ScenarioCheckOutcome, UpstreamMock } from '../suite/types.js';

/** What a target's per-scenario hook is told about the scenario about to run. */
export interface ScenarioInfo {
  name: string;
  file: string;
  line?: number;
  /** The scenario's `upstream:` mocks; present (maybe empty) when it declares them. */
  upstream?: UpstreamMock[];
}

/** One scenario's stay in a target: `end()` after its last exchange gives the target's own checks and warnings on it. */
export interface ScenarioScope {
  end(): Promise<{ checks: ScenarioCheckOutcome[]; warnings: Warning[] }>;
}

/**
 * A handler that is up: where it listens, the option it speaks, and the key material resolved
 * for it (hand it to createCosigner, which will not parse it again). Stop it with `close()`, or
 * let `await using` do it.
 */
export interface StartedTarget extends AsyncDisposable {
  /** The base URL to configure in the Co-signer: scheme, host, port, base path, no `/v2`. */
  readonly url: string;
  readonly option: SecurityOptionNumber;
  /** Resolved once, when the target started. */
  readonly material: ResolvedMaterial;
  /** What the handler printed, for kinds that run one (a command, a container). */
  logs?(): string[];
  /**
   * Around each scenario, for kinds that judge more than the exchanges (the module target: a fresh
   * worker after a stuck one, `upstream:` mocks). The runner calls it before a scenario's first
   * request and `end()` after its last; a scenario with `upstream:` has the target to itself until
   * then. Kinds without it refuse `upstream:`.
   */
  scenario?(info: ScenarioInfo): Promise<ScenarioScope>;
  /** Before a run sends anything: refuse (throw) what the scenarios need and the target cannot give (msw missing). */
  prepareScenarios?(scenarios: readonly ScenarioInfo[]): Promise<void>;
  /** Stop what the target started (nothing for a URL). Idempotent: every call gets the same promise. */
  close(): Promise<void>;
}

/**
 * Wrap what a kind started as a StartedTarget: `close` runs `stop` once (later calls share its
 * promise, so two closers never race), and `[Symbol.asyncDispose]` is `close`.
 *
 * @example
 * return startedTarget({ url, option, material, stop: () => server.close() });
 */
export function startedTarget(o: {
  url: string;
  option: SecurityOptionNumber;
  material: ResolvedMaterial;
  logs?: () => string[];
  stop?: () => Promise<void>;
  scenario?: StartedTarget['scenario'];
  prepareScenarios?: StartedTarget['prepareScenarios'];
}): StartedTarget {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= o.stop ? o.stop() : Promise.resolve());
  return {
    url: o.url,
    option: o.option,
    material: o.material,
    ...(o.logs ? { logs: o.logs } : {}),
    ...(o.scenario ? { scenario: o.scenario } : {}),
    ...(o.prepareScenarios ? { prepareScenarios: o.prepareScenarios } : {}),
    close,
    [Symbol.asyncDispose]: close,
  };
}
