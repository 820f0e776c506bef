import { InvalidArgumentError } from '../errors.js';

/**
 * Default batch suffix format. For a batched transaction `requestId` keeps a batch suffix that
 * `txId` lacks [protocol.md §4.1, C-doc D-tx]; the suffix's real format is unknown [U], so this is
 * our choice: the transaction ID, an underscore and the item's index in the batch
 * (`9c794cee-…-ed68295ff06b_0`).
 *
 * @example
 * formatBatchRequestId(DEFAULT_BATCH_SUFFIX, 'abc', 2) // 'abc_2'
 */
export const DEFAULT_BATCH_SUFFIX = '{txId}_{n}';

const PLACEHOLDER_RE = /\{([^{}]*)\}/g;

/**
 * Check a batch suffix format: it must start with `{txId}`, add something after it, and use no
 * placeholders other than `{txId}` and `{n}`.
 *
 * @example
 * validateBatchSuffix('{txId}-batch{n}') // ok
 * validateBatchSuffix('{n}_{txId}')      // throws InvalidArgumentError
 */
export function validateBatchSuffix(format: string): void {
  const bad = (why: string): InvalidArgumentError =>
    new InvalidArgumentError(`Invalid batch suffix format ${JSON.stringify(format)}: ${why}.`, {
      hint: `use a template that starts with {txId} and adds a suffix, e.g. '${DEFAULT_BATCH_SUFFIX}'`,
    });
  if (!format.startsWith('{txId}')) throw bad('it must start with {txId} (the suffix goes after the transaction ID)');
  if (format.length === '{txId}'.length) throw bad('it adds no suffix, so requestId would equal txId');
  for (const m of format.matchAll(PLACEHOLDER_RE)) {
    if (m[1] !== 'txId' && m[1] !== 'n') throw bad(`unknown placeholder {${m[1] ?? ''}} (known: {txId}, {n})`);
  }
}

/**
 * The `requestId` of a batched request: the format with `{txId}` and `{n}` filled in.
 *
 * @example
 * formatBatchRequestId('{txId}_{n}', '48f6871c-0467-4b56-8c44-426f3d6487f5', 0)
 * // '48f6871c-0467-4b56-8c44-426f3d6487f5_0'
 */
export function formatBatchRequestId(format: string, txId: string, n: number): string {
  return format.replace(PLACEHOLDER_RE, (whole, name: string) => (name === 'txId' ? txId : name === 'n' ? String(n) : whole));
}
