import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareAtomicFile, writeFileAtomic } from './write-atomic.js';

/*
 * node:fs with two seams: `onRename` sees the file system at the moment of the rename, and
 * `failWriteAfter` makes a write stop part-way (a full disk), so the test can look at what a
 * reader would see mid-write and after a failed one.
 */
const seams = vi.hoisted(() => ({ onRename: undefined as ((from: string, to: string) => void) | undefined, failWriteAfter: undefined as number | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      seams.onRename?.(from, to);
      fs.renameSync(from, to);
    },
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (seams.failWriteAfter === undefined) return fs.writeSync(fd, buffer, offset, length);
      fs.writeSync(fd, buffer, offset, Math.min(length, seams.failWriteAfter));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csim-atomic-'));
});
afterEach(() => {
  seams.onRename = undefined;
  seams.failWriteAfter = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OLD = '<testsuites tests="1"/>\n';
const NEW = `<?xml version="1.0"?>\n<testsuites tests="500">${'<testcase name="x"/>'.repeat(500)}</testsuites>\n`;

describe('writeFileAtomic', () => {
  it('writes the file, leaving nothing beside it', () => {
    const path = join(dir, 'fresh', 'report.xml');
    mkdirSync(join(dir, 'fresh'));
    writeFileAtomic(path, NEW);
    expect(readFileSync(path, 'utf8')).toBe(NEW);
    expect(readdirSync(join(dir, 'fresh'))).toEqual(['report.xml']);
  });

  it('never shows part of the new content under the final name: old content until one rename publishes all of it', () => {
    const sub = join(dir, 'replace');
    mkdirSync(sub);
    const path = join(sub, 'report.xml');
    writeFileSync(path, OLD);
    let seen: { final: string; temp: string; tempDir: string } | undefined;
    seams.onRename = (from, to) => {
      seen = { final: readFileSync(to, 'utf8'), temp: readFileSync(from, 'utf8'), tempDir: join(from, '..') };
    };
    writeFileAtomic(path, NEW);
    expect(seen).toEqual({ final: OLD, temp: NEW, tempDir: sub });
    expect(readFileSync(path, 'utf8')).toBe(NEW);
    expect(readdirSync(sub)).toEqual(['report.xml']);
  });

  it('a write that fails part-way leaves the old file whole and removes the temporary file', () => {
    const sub = join(dir, 'full-disk');
    mkdirSync(sub);
    const path = join(sub, 'report.json');
    writeFileSync(path, OLD);
    seams.failWriteAfter = 100;
    expect(() => writeFileAtomic(path, NEW)).toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe(OLD);
    expect(readdirSync(sub)).toEqual(['report.json']);
  });

  it('a failed write of a new file leaves no file at all under the name', () => {
    const sub = join(dir, 'full-disk-new');
    mkdirSync(sub);
    seams.failWriteAfter = 10;
    expect(() => writeFileAtomic(join(sub, 'report.xml'), NEW)).toThrow(/ENOSPC/);
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe('prepareAtomicFile', () => {
  it('creates the folder and removes a report an earlier run left, without leaving its probe file', () => {
    const path = join(dir, 'prep', 'deep', 'report.xml');
    prepareAtomicFile(path);
    expect(readdirSync(join(dir, 'prep', 'deep'))).toEqual([]);
    writeFileSync(path, OLD);
    prepareAtomicFile(path);
    expect(readdirSync(join(dir, 'prep', 'deep'))).toEqual([]);
  });

  it('throws for a path that is a folder, and for a folder that cannot be created', () => {
    mkdirSync(join(dir, 'is-a-dir', 'report.xml'), { recursive: true });
    expect(() => prepareAtomicFile(join(dir, 'is-a-dir', 'report.xml'))).toThrow(/EISDIR|EPERM/);
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(() => prepareAtomicFile(join(dir, 'a-file', 'report.xml'))).toThrow(/ENOTDIR|EEXIST/);
  });
});
