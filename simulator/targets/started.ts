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

/** How a started handler process ended: its exit code or signal, and its last lines of output. */
export interface TargetExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it printed (at most 50). */
  logs: string[];
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
  /** The kit folder the handler was given, for kinds that give one (a command, a container). */
  readonly kitDir?: string;
  /** True when `kitDir` is a temporary folder cosigner-sim wrote (removed at close unless kept). */
  readonly kitIsTemporary?: boolean;
  /** What the handler printed, for kinds that run one (a command, a container). */
  logs?(): string[];
  /**
   * For kinds that run a process: how it ended, if it has ended or ends within `withinMs` (a
   * refused connection usually means the process is going away, and its exit event may lag the
   * refusal by a few milliseconds). `undefined` while it runs. createCosigner consults it when a
   * connection fails, so the `connect` check names the exit instead of a bare ECONNREFUSED.
   */
  exited?(withinMs?: number): Promise<TargetExit | undefined>;
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
 * Everything started and not yet stopped, in this process: a signal handler stops them all
 * before the process exits (stopAllStarted). Kinds register through startedTarget(), and a kind
 * that has a process running before it is ready (a command waiting for its port) registers that
 * stop itself with {@link trackStop}.
 */
const open = new Set<() => Promise<void>>();

/**
 * Register a stop function until it runs; returns the function that unregisters it.
 *
 * @example
 * const untrack = trackStop(stop); // ... later, once stopped: untrack();
 */
export function trackStop(stop: () => Promise<void>): () => void {
  open.add(stop);
  return () => open.delete(stop);
}

/** How many started targets (or starts in progress) are open: for tests and diagnostics. */
export function openStartedCount(): number {
  return open.size;
}

/**
 * Stop every started target of this process (process groups killed, containers removed) and
 * wait for it; what fails to stop is ignored, so one bad stop cannot keep the others running.
 * The CLI calls this on SIGINT/SIGTERM before it exits.
 *
 * @example
 * process.once('SIGTERM', () => void stopAllStarted().finally(() => process.exit(143)));
 */
export async function stopAllStarted(): Promise<void> {
  await Promise.all([...open].map((stop) => stop().catch(() => undefined)));
}

/**
 * Wrap what a kind started as a StartedTarget: `close` runs `stop` once (later calls share its
 * promise, so two closers never race), and `[Symbol.asyncDispose]` is `close`. Until it is
 * closed, the target is in the registry stopAllStarted() stops.
 *
 * @example
 * return startedTarget({ url, option, material, stop: () => server.close() });
 */
export function startedTarget(o: {
  url: string;
  option: SecurityOptionNumber;
  material: ResolvedMaterial;
  kitDir?: string;
  kitIsTemporary?: boolean;
  logs?: () => string[];
  exited?: (withinMs?: number) => Promise<TargetExit | undefined>;
  stop?: () => Promise<void>;
  scenario?: StartedTarget['scenario'];
  prepareScenarios?: StartedTarget['prepareScenarios'];
}): StartedTarget {
  let closing: Promise<void> | undefined;
  let untrack = (): void => {};
  const close = (): Promise<void> => {
    closing ??= (o.stop ? o.stop() : Promise.resolve()).finally(() => untrack());
    return closing;
  };
  if (o.stop) untrack = trackStop(close);
  return {
    url: o.url,
    option: o.option,
    material: o.material,
    ...(o.kitDir !== undefined ? { kitDir: o.kitDir, kitIsTemporary: o.kitIsTemporary === true } : {}),
    ...(o.logs ? { logs: o.logs } : {}),
    ...(o.exited ? { exited: o.exited } : {}),
    ...(o.scenario ? { scenario: o.scenario } : {}),
    ...(o.prepareScenarios ? { prepareScenarios: o.prepareScenarios } : {}),
    close,
    [Symbol.asyncDispose]: close,
  };
}
