import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../../test/fixtures/cli/memory-io.js';
import { sharedKit } from '../../../test/support/shared-kit.js';
import { generateRsaKeyPair, generateTestCertificate } from '../../keys/generate.js';
import { writeKit } from '../../keys/kit.js';
import type { Kit } from '../../keys/types.js';
import { FINDING_IDS } from '../../doctor/findings.js';

const RSA_4096_PUBLIC = readFileSync(new URL('../../../test/fixtures/keys/rsa-4096-public.pem', import.meta.url), 'utf8');
const DAY = 24 * 3600 * 1000;

let kit: Kit;
let root: string;
let goodKit: string;
let brokenKit: string;
let expiredPin: string;

interface JsonFinding {
  id: string;
  severity: string;
  file?: string;
  field?: string;
  message: string;
  fix: string;
}

beforeAll(async () => {
  kit = await sharedKit();
  root = mkdtempSync(join(tmpdir(), 'csim-doctor-cli-'));
  goodKit = join(root, 'kit');
  writeKit(kit, goodKit);
  brokenKit = join(root, 'broken');
  cpSync(goodKit, brokenKit, { recursive: true });
  const other = await generateRsaKeyPair();
  writeFileSync(join(brokenKit, 'cosigner-private.pem'), kit.cosigner.publicKeyPem);
  writeFileSync(join(brokenKit, 'handler-public.pem'), RSA_4096_PUBLIC);
  writeFileSync(join(brokenKit, 'leaf-key.pem'), other.privateKeyPem);
  expiredPin = join(root, 'expired.pem');
  writeFileSync(expiredPin, (await generateTestCertificate({ keyPair: other, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) })).certPem);
});

describe('cosigner-sim doctor', () => {
  it('a clean kit: exit 0 and a line saying so', async () => {
    const r = await runInProcess(['doctor', '--option', '2', '--kit', goodKit]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('cosigner-sim doctor · option 2 json+pinned');
    expect(r.stdout).toContain('no findings');
    expect(r.stdout).toContain('Findings  0 errors | 0 warnings | 0 info');
  });

  it('takes one --cosigner-key: two is exit 2 saying to run it once per key', async () => {
    const one = join(goodKit, 'cosigner-private.pem');
    const two = join(goodKit, 'cosigner-2-private.pem');
    expect((await runInProcess(['doctor', '--option', '4', '--kit', goodKit, '--cosigner-key', one])).code).toBe(0);
    const r = await runInProcess(['doctor', '--option', '4', '--kit', goodKit, '--cosigner-key', one, '--cosigner-key', two]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('doctor checks one --cosigner-key at a time, and 2 were given');
    expect(r.stderr).toContain(`then --cosigner-key ${two}`);
  });

  it('six problems at once: exit 1, one line each with its fix, the same six in JSON', async () => {
    // No handler listens here: the handshake is reported unreachable (info), after the six.
    const args = ['doctor', '--option', '3', '--kit', brokenKit, '--pinned-cert', expiredPin, '--url', 'https://127.0.0.1:1/cb/v2', '--timeout', '5s'];
    const pretty = await runInProcess(args);
    expect(pretty.code, pretty.stderr).toBe(1);
    const lines = pretty.stdout.split('\n').filter((l) => l.startsWith(' ✗'));
    expect(lines.map((l) => l.split(/\s+/)[3])).toEqual(['url-suffix', 'material-misfit', 'key-format', 'key-unsupported', 'key-pair-mismatch', 'cert-expired']);
    for (const l of lines) expect(l).toContain('fix: ');
    expect(pretty.stdout).toContain('Findings  6 errors | 0 warnings | 2 info');

    const json = await runInProcess([...args, '--reporter', 'json']);
    expect(json.code, json.stderr).toBe(1);
    const doc = JSON.parse(json.stdout) as { findings: JsonFinding[] };
    expect(doc.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['url-suffix', 'material-misfit', 'key-format', 'key-unsupported', 'key-pair-mismatch', 'cert-expired']);
    expect(doc.findings.filter((f) => f.severity !== 'error').map((f) => f.id)).toEqual(['cosigner-version', 'handler-unreachable']);
    expect(doc.findings[1]).toEqual({ id: 'material-misfit', severity: 'error', field: 'pinnedCert', message: expect.stringContaining('is for options 2 and 4'), fix: expect.stringContaining('--ca') });
    expect(doc.findings[2]).toMatchObject({ file: join(brokenKit, 'cosigner-private.pem') });
    // The human report moves to stderr when JSON owns stdout.
    expect(json.stderr).toContain('Findings  6 errors');
  });

  it('--strict: a warning alone is exit 1, without it exit 0', async () => {
    const soon = join(root, 'soon.pem');
    writeFileSync(soon, (await generateTestCertificate({ notAfter: new Date(Date.now() + 5 * DAY) })).certPem);
    const lax = await runInProcess(['doctor', '--option', '2', '--pinned-cert', soon]);
    expect(lax.code, lax.stdout).toBe(0);
    expect(lax.stdout).toMatch(/⚠ warning cert-expiring/);
    expect((await runInProcess(['doctor', '--option', '2', '--pinned-cert', soon, '--strict'])).code).toBe(1);
  });

  it('reads the setup from a config file (its doctor: section included)', async () => {
    const config = join(root, 'cosigner-sim.config.yaml');
    writeFileSync(config, `option: 4\nkit: broken\ndoctor:\n  handlerKey: kit/handler-private.pem\n`);
    const r = await runInProcess(['doctor', '--config', config, '--reporter', 'json'], { cwd: root });
    expect(r.code, r.stderr).toBe(1);
    const ids = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.id);
    expect(ids).toEqual(['key-format', 'key-unsupported', 'key-pair-mismatch', 'cosigner-version']);
  });

  it('writes --reporter json:<file> and keeps the pretty report on stdout', async () => {
    const out = join(root, 'doctor.json');
    const r = await runInProcess(['doctor', '--option', '1', '--kit', goodKit, '--reporter', `json:${out}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no findings');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ option: 1, findings: [] });
  });

  it.each([
    ['--option all', ['--option', 'all'], 'doctor checks the setup of one security option'],
    ['a reporter doctor does not write', ['--reporter', 'junit'], 'doctor reports its findings as pretty or json'],
    ['a flag of another command', ['--seed', '1'], '--seed is not an option of doctor'],
  ])('unusable input is exit 2: %s', async (_name, extra, says) => {
    const r = await runInProcess(['doctor', '--kit', goodKit, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(says);
  });

  it.each([...FINDING_IDS])('the README documents finding %s', (id) => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(new RegExp(`\\| \`${id}\` \\|`));
  });
});
