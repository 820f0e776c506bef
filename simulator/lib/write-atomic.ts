import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A temporary name beside `path`: the same folder, so the rename that publishes it never crosses
 * a file system (a cross-device rename is a copy, which is not atomic). Hidden and unique per
 * process and call, so two runs writing the same report never share one.
 */
function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Write a file so that a reader sees either the old content or all of the new one, never a part:
 * the data goes to a temporary file in the same folder, is flushed to disk, and is then renamed
 * over `path` (rename(2) replaces the name atomically). A crash, a kill or a full disk mid-write
 * leaves at most the hidden temporary file, never half a JUnit or JSON report under the name CI
 * reads. This is the one way report files are written (simulator/cli/reporters/index.ts).
 *
 * Synchronous on purpose: a signal handler runs on the event loop, so it can never run between
 * the write and the rename.
 *
 * @example
 * writeFileAtomic('reports/cosigner.xml', renderJunitReport(report, redactor));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = tempNameFor(path);
  let fd: number | undefined;
  try {
    // 'wx': never follow or reuse a file someone else put at the temporary name.
    fd = openSync(temp, 'wx', 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    // Without the fsync a power loss after the rename can leave an empty file under the final name.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Get `path` ready for a later writeFileAtomic, before any work starts, so that a path that cannot
 * be written fails now: create its folder, prove a file can be created there (the temporary file
 * the write will use), and remove a report an earlier run left under the name. Removing it matters:
 * after a crash CI must find no report (an error it shows), never the previous run's, which could
 * be green. Throws the file system error (the caller turns it into a usage error naming the flag).
 *
 * @example
 * prepareAtomicFile('reports/cosigner.xml'); // reports/ exists, no stale cosigner.xml
 */
export function prepareAtomicFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const probe = tempNameFor(path);
  closeSync(openSync(probe, 'wx', 0o644));
  rmSync(probe, { force: true });
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
