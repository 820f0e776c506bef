import { describe, expect, it } from 'vitest';
import { filterScenarios } from './filter.js';
import type { Scenario } from './types.js';

const s = (name: string, tags: string[] = []): Scenario => ({ name, file: 'x.yaml', tags, steps: [{ request: { type: 'tx' }, expect: {} }] });
const all = [s('large transfers are rejected', ['smoke']), s('RETRY twice then APPROVE', ['retry']), s('config change approved', ['smoke', 'config'])];

describe('filterScenarios', () => {
  it('greps names case-insensitively', () => {
    expect(filterScenarios(all, { grep: 'retry' }).map((x) => x.name)).toEqual(['RETRY twice then APPROVE']);
  });
  it('reads /regex/flags as a RegExp', () => {
    expect(filterScenarios(all, { grep: '/^(large|config)/' }).map((x) => x.name)).toEqual(['large transfers are rejected', 'config change approved']);
  });
  it('keeps scenarios with the tag (a,b = either)', () => {
    expect(filterScenarios(all, { tag: 'smoke' })).toHaveLength(2);
    expect(filterScenarios(all, { tag: 'retry,config' })).toHaveLength(2);
  });
  it('combines both, and may return nothing (the caller reports that)', () => {
    expect(filterScenarios(all, { grep: 'config', tag: 'smoke' })).toHaveLength(1);
    expect(filterScenarios(all, { grep: 'nothing like it' })).toEqual([]);
  });
  it('keeps everything without filters', () => {
    expect(filterScenarios(all, {})).toHaveLength(3);
  });
});
