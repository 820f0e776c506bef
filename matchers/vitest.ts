/**
 * `cosigner-sim/vitest`: registers the matchers and brings their types.
 *
 * vitest.config.ts:  test: { setupFiles: ['cosigner-sim/vitest'] }
 * tsconfig.json:     "compilerOptions": { "types": ["node", "cosigner-sim/vitest"] }
 *
 * @example
 * const res = await cosigner.sendTx({ payload: { amountStr: '250000' } });
 * expect(res).toBeSignedRejection(/limit/);
 *
 * @packageDocumentation
 */
import { findExpect, registerMatchers } from './setup.js';
import type { CosignerMatchers } from './types.js';

export type { CosignerMatchers, ReasonExpectation } from './types.js';

declare module 'vitest' {
  // vitest 4 declares `interface Matchers<T = any>`; merged declarations must repeat its
  // type parameters exactly (vitest 5 changes them to <R, T>). Matchers feeds `expect(x).…`
  // and the asymmetric `expect.…`; `expect.not.…` is typed by AsymmetricMatchersContaining.
  interface Matchers<T = any> extends CosignerMatchers<T> {}
  interface AsymmetricMatchersContaining extends CosignerMatchers<any> {}
}

registerMatchers(await findExpect());
