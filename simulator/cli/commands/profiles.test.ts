import { describe, expect, it } from 'vitest';
import { profileRows } from '../../protocol/profile-table.js';
import { runCli } from '../program.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) }, env: { NO_COLOR: '1' }, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('cosigner-sim profiles', () => {
  it('prints every profile as a table, then each release with its marks and sources', async () => {
    const r = await cli(['profiles']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^profile +released +options +RETRY +signerId +wire +config types$/);
    expect(lines.find((l) => l.startsWith('sgx@3.5.0 '))).toMatch(/^sgx@3\.5\.0 +2023-08 +1 2 +no +yes +2022 +13$/);
    expect(lines.find((l) => l.startsWith('nitro@2025.12.11 '))).toMatch(/ 1 2 3\? +yes /);
    expect(r.stdout).toContain('--profile latest is sgx@2026.03.02');
    expect(r.stdout).toContain('  requests carry signerId [documented, D-ver https://developers.fireblocks.com/reference/api-cosigner-versions-sgx]');
  });

  it('--reporter json gives the same rows as one document', async () => {
    const r = await cli(['profiles', '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ latest: 'sgx@2026.03.02', profiles: profileRows() });
  });

  it('refuses a reporter it does not write, and a config file', async () => {
    expect((await cli(['profiles', '--reporter', 'junit'])).stderr).toMatch(/^CSIM_USAGE {2}--reporter junit: profiles prints pretty or json on stdout/);
    const c = await cli(['profiles', '--config', 'x.yaml']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^CSIM_USAGE {2}profiles reads no config file/);
  });
});
