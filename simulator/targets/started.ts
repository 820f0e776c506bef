import type { ResolvedMaterial } from '../client/material.js';
import type { SecurityOptionNumber } from '../protocol/options.js';

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
}): StartedTarget {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= o.stop ? o.stop() : Promise.resolve());
  return {
    url: o.url,
    option: o.option,
    material: o.material,
    ...(o.logs ? { logs: o.logs } : {}),
    close,
    [Symbol.asyncDispose]: close,
  };
}
