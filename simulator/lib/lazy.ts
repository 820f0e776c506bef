/**
 * A memoised loader for a module the package needs only sometimes (undici on the first send,
 * selfsigned on the first certificate), so that importing cosigner-sim does not pay for it. A
 * failed load (a broken install) is not cached: the next call tries again.
 *
 * @example
 * const loadUndici = lazy(() => import('undici'));
 * const { Agent } = await loadUndici();
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      pending = load();
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}
