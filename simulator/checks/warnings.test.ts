import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WARNING_IDS } from './warnings.js';

describe('WARNING_IDS', () => {
  it('are the ids of the README warnings table, in order (--accept-warning takes them)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.split('Warnings never change a verdict on their own')[1]!.split('\n\n')[1]!;
    const ids = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(ids).toEqual([...WARNING_IDS]);
  });
});
