/**
 * The `cosigner-sim/selftest` entry: the zoo of deliberately broken handlers and the run that
 * proves every check and probe catches the defect meant for it (`cosigner-sim selftest`). Off the
 * root because it starts reference servers and makes many certificates.
 *
 * @example
 * import { formatSelftestTable, runSelftest } from 'cosigner-sim/selftest';
 * const { rows, ok } = await runSelftest();
 * console.log(formatSelftestTable(rows));
 */
export { runSelftest, formatSelftestTable, type SelftestOptions, type SelftestOutcome, type SelftestRow } from './run.js';
export { createZoo, type ProbeRequest, type ZooEntry } from './zoo.js';
export { createProbeZoo, type ProbeZooEntry } from './probe-zoo.js';
