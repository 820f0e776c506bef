import { UsageError } from '../../errors.js';
import { configTypesCell, optionsCell, profileRows } from '../../protocol/profile-table.js';
import { DEFAULT_PROFILE, resolveProfile } from '../../protocol/profiles.js';
import type { CliIO } from '../io.js';
import type { ReporterSpec } from '../options.js';

/**
 * `cosigner-sim profiles`: every Co-signer version profile with what a handler sees of it (its
 * options, RETRY, signerId, wire, config types), what the release brought, and each fact's mark
 * and source. Pretty (a table, then the facts) or `--reporter json` (one document on stdout).
 *
 * @example
 * const code = await profilesCommand({ reporters: [{ name: 'json' }] }, processIO());
 */
export async function profilesCommand(o: { reporters: readonly ReporterSpec[] }, io: CliIO): Promise<number> {
  for (const r of o.reporters) {
    if ((r.name !== 'pretty' && r.name !== 'json') || r.file !== undefined) {
      throw new UsageError(`--reporter ${r.name}${r.file !== undefined ? `:${r.file}` : ''}: profiles prints pretty or json on stdout`, { field: 'reporter', hint: 'use --reporter json, and redirect it to a file if you need one' });
    }
  }
  const rows = profileRows();
  if (o.reporters.some((r) => r.name === 'json')) {
    io.stdout.write(`${JSON.stringify({ latest: resolveProfile(DEFAULT_PROFILE).id, profiles: rows }, null, 2)}\n`);
    return 0;
  }
  const table = [
    ['profile', 'released', 'options', 'RETRY', 'signerId', 'wire', 'config types'],
    ...rows.map((r) => [r.id, r.released ?? '-', optionsCell(r), r.retry, r.signerId ? 'yes' : 'no', r.wire, configTypesCell(r)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const w = (t: string) => io.stdout.write(`${t}\n`);
  for (const row of table) w(row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  w(`\noptions: ? = unconfirmed (a warning, profile-unconfirmed). --profile latest is ${resolveProfile(DEFAULT_PROFILE).id}; any version resolves to the nearest listed lower one.\n`);
  for (const r of rows) {
    w(`${r.id}${r.released !== undefined ? ` (${r.released})` : ''}`);
    for (const n of r.new) w(`  ${n.text} [${n.mark}, ${n.source} ${n.url}]`);
  }
  return 0;
}
