/**
 * The selftest zoo's `upstream` defect (selftest/zoo.ts UPSTREAM_ZOO_ENTRY), as a handler module
 * for the module target (`--handler`). It lives here, beside the target that runs it, because
 * only simulator/targets/ may build a handler from the reference listener. It is a
 * correct reference handler that first calls a risk API with the global fetch and swallows any
 * failure. Run with a scenario whose `upstream:` does not mock that call, msw answers it with a
 * network error inside the worker, the handler approves anyway, and only the `upstream` check may
 * fail. It is a module, not reference-handler hooks like the rest of the zoo, because the check
 * judges what a handler running in a module target's worker sent out.
 */
import type { RequestListener } from 'node:http';
import { readKit } from '../keys/kit.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { createReferenceListener } from '../reference/handler.js';

/** The URL the defect calls and never expects to be mocked. */
export const UNMOCKED_UPSTREAM_URL = 'http://risk.internal/score';

/**
 * @example
 * await startTarget({ kind: 'module', module: fileURLToPath(new URL('./module-zoo.js', import.meta.url)), option: 4 }, { kit });
 */
export function createHandler(kit: { option: SecurityOptionNumber; kitDir: string }): RequestListener {
  const listener = createReferenceListener({ option: kit.option, kit: readKit(kit.kitDir) });
  return (req, res) => {
    fetch(UNMOCKED_UPSTREAM_URL)
      .catch(() => undefined) // the defect: a failed risk call is ignored
      .finally(() => listener(req, res));
  };
}
