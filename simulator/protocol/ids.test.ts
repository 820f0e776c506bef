import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_SUFFIX, formatBatchRequestId, validateBatchSuffix } from './ids.js';

describe('batch suffix', () => {
  it('defaults to {txId}_{n}', () => {
    expect(DEFAULT_BATCH_SUFFIX).toBe('{txId}_{n}');
    expect(formatBatchRequestId(DEFAULT_BATCH_SUFFIX, 'abc', 3)).toBe('abc_3');
    expect(formatBatchRequestId('{txId}-b{n}-{n}', 'abc', 1)).toBe('abc-b1-1');
  });

  it('accepts formats that start with {txId} and add a suffix', () => {
    expect(() => validateBatchSuffix('{txId}.{n}')).not.toThrow();
    expect(() => validateBatchSuffix('{txId}_batch')).not.toThrow();
  });

  it('refuses formats that add nothing, do not start with {txId} or use unknown placeholders', () => {
    for (const bad of ['{txId}', '{n}_{txId}', 'x{txId}', '{txId}_{index}']) {
      expect(() => validateBatchSuffix(bad)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining(JSON.stringify(bad)) }));
    }
  });
});
