/**
 * The cosigner-sim matchers as plain functions, for `expect.extend`. Only matchers are exported
 * at run time (types aside), so the module namespace can be passed as it is:
 *
 * @example
 * import * as cosignerMatchers from 'cosigner-sim/matchers';
 * expect.extend(cosignerMatchers);
 * // or, in vitest, register them and their types in one line: setupFiles: ['cosigner-sim/vitest']
 */
export { toBeApproval } from './toBeApproval.js';
export { toBeIgnore } from './toBeIgnore.js';
export { toBeRefused } from './toBeRefused.js';
export { toBeRejection } from './toBeRejection.js';
export { toBeRetry } from './toBeRetry.js';
export { toBeSignedApproval } from './toBeSignedApproval.js';
export { toBeSignedBy } from './toBeSignedBy.js';
export { toBeSignedIgnore } from './toBeSignedIgnore.js';
export { toBeSignedRejection } from './toBeSignedRejection.js';
export { toBeSignedRetry } from './toBeSignedRetry.js';
export { toEchoRequestId } from './toEchoRequestId.js';
export { toFailCheck } from './toFailCheck.js';
export { toHaveRejectionReason } from './toHaveRejectionReason.js';
export { toHaveStatus } from './toHaveStatus.js';
export { toPassAllChecks } from './toPassAllChecks.js';
export { toRespondWithin } from './toRespondWithin.js';
export type { CosignerMatchers, ReasonExpectation } from './types.js';
