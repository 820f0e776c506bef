/**
 * The e2e global setup and the bench skip the build when dist/ is up to date (test/support/dist-freshness.mjs,
 * staleReason). A stale dist/ must never pass for a fresh one, so every way of going stale is
 * tried here on a small tree in a temporary folder, with file times set by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleReason } from './cli.global-setup.js';

let root: string;
let stamp: string;
/** Every file of the tree: inputs first, then outputs. */
const INPUTS = ['simulator/a.ts', 'simulator/lib/b.ts', 'matchers/c.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'node_modules/typescript/package.json'];
const OUTPUTS = ['dist/simulator/a.js', 'dist/simulator/lib/b.js', 'dist/matchers/c.js'];
const T_SOURCE = new Date('2030-01-01T00:00:00Z');
const T_BUILD = new Date('2030-01-01T01:00:00Z');

function at(path: string, time: Date): void {
  utimesSync(join(root, path), time, time);
}

function write(path: string, time: Date): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), '');
  at(path, time);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'csim-freshness-'));
  stamp = join(root, 'stamp.json');
  for (const p of INPUTS) write(p, T_SOURCE);
  // Tests are not built, so they are no inputs.
  write('simulator/a.test.ts', T_BUILD);
  for (const dir of ['simulator/lib', 'simulator', 'matchers']) at(dir, T_SOURCE);
  for (const p of OUTPUTS) write(p, T_BUILD);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('staleReason', () => {
  it('is undefined when every output is newer than every input', () => {
    expect(staleReason(root, stamp)).toBeUndefined();
  });

  it('names a source edited after the build', () => {
    at('simulator/lib/b.ts', new Date('2030-01-01T02:00:00Z'));
    expect(staleReason(root, stamp)).toBe('simulator/lib/b.ts changed after the last build');
  });

  it('names a build config file edited after the build', () => {
    at('tsconfig.build.json', new Date('2030-01-01T02:00:00Z'));
    expect(staleReason(root, stamp)).toBe('tsconfig.build.json changed after the last build');
  });

  it('names a missing output', () => {
    rmSync(join(root, 'dist/matchers/c.js'));
    expect(staleReason(root, stamp)).toBe('dist/matchers/c.js is missing');
  });

  it('sees a source file removed (its folder changed), and a new one without output', () => {
    rmSync(join(root, 'matchers/c.ts'));
    at('matchers', new Date('2030-01-01T02:00:00Z'));
    expect(staleReason(root, stamp)).toBe('matchers changed after the last build');
    write('matchers/d.ts', T_SOURCE);
    expect(staleReason(root, stamp)).toBe('dist/matchers/d.js is missing');
  });

  it('goes by the oldest output: one output older than a source is stale', () => {
    at('dist/simulator/a.js', new Date('2029-12-31T00:00:00Z'));
    expect(staleReason(root, stamp)).toMatch(/changed after the last build$/);
  });

  it('goes by the start of the last build when there is a stamp: a source saved during that build is stale', () => {
    at('simulator/a.ts', new Date('2030-01-01T00:30:00Z'));
    writeFileSync(stamp, JSON.stringify({ startedAt: new Date('2030-01-01T00:20:00Z').getTime() }));
    expect(staleReason(root, stamp)).toBe('simulator/a.ts changed after the last build');
    writeFileSync(stamp, JSON.stringify({ startedAt: new Date('2030-01-01T00:40:00Z').getTime() }));
    expect(staleReason(root, stamp)).toBeUndefined();
  });

  it('ignores test files', () => {
    at('simulator/a.test.ts', new Date('2030-01-01T02:00:00Z'));
    expect(staleReason(root, stamp)).toBeUndefined();
  });
});
