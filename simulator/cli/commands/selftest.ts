import { formatSelftestTable, runSelftest } from '../../selftest/run.js';
import type { CliIO } from '../io.js';
import type { SelftestCliOptions } from '../options.js';

export type { SelftestCliOptions } from '../options.js';

/**
 * `cosigner-sim selftest`: run the zoo of deliberately broken handlers (and correct variants)
 * through the checks and the battery, print a table, and exit 1 if any defect slipped through or
 * any correct handler was flagged. The answer to "how do I know this tool does not pass
 * everything?".
 *
 * @example
 * const code = await selftestCommand({ allOptions: false }, processIO());
 */
export async function selftestCommand(o: SelftestCliOptions, io: CliIO): Promise<0 | 1> {
  io.stderr.write('cosigner-sim selftest · starting the zoo of broken handlers on 127.0.0.1\n');
  const { rows, ok } = await runSelftest({ allOptions: o.allOptions });
  io.stdout.write(`${formatSelftestTable(rows)}\n`);
  return ok ? 0 : 1;
}
