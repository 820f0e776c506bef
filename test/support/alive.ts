import { readFileSync } from 'node:fs';

/**
 * True while a process with this pid runs. A zombie does not run: a handler whose shell died is
 * reaped by PID 1, which in a container may take a second, and `kill(pid, 0)` succeeds on a zombie
 * all that time. On Linux /proc tells the two apart; elsewhere signal 0 is all there is.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}
