/**
 * `cosigner-sim init`, in-process through runCli with io.cwd set to a fresh folder: for each
 * option, init and then a green `cosigner-sim run` in that folder reading only what init wrote
 * (its config, its kit, its scenarios); the refusals; --keys-only, --force, --host,
 * --handler-key; and the hint `run` gives in a folder without scenarios/.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKit, generateRsaKeyPair } from '../keys/generate.js';
import { readKit } from '../keys/kit.js';
import { KIT_FILES, cosignerKitFiles } from '../keys/types.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { runCli } from './program.js';

const ROOT = new URL('../../', import.meta.url);

/**
 * Five RSA-2048 key pairs are most of what an init costs (about 1.5 s of CPU), and this file runs
 * init fifteen times: each distinct --host list gets one kit, generated once, unless a test asks
 * for fresh ones (the --force test, which proves the keys are replaced). The kit is still real,
 * and init still writes, reads and runs with it.
 */
const keygen = vi.hoisted(() => ({ fresh: false }));
vi.mock('../keys/generate.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../keys/generate.js')>();
  const cache = new Map<string, ReturnType<typeof actual.generateKit>>();
  const generateKit: typeof actual.generateKit = (options = {}) => {
    if (keygen.fresh) return actual.generateKit(options);
    const key = JSON.stringify(options.hosts ?? []);
    if (!cache.has(key)) cache.set(key, actual.generateKit(options));
    return cache.get(key)!;
  };
  return { ...actual, generateKit };
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) }, env: { NO_COLOR: '1' }, cwd });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-init-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A fresh, empty folder under the test's temporary folder. */
function folder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface JsonReport {
  ok: boolean;
  summary: { total: number; passed: number; failed: number; skipped: number };
  scenarios: { name: string; file: string; status: string; checks?: { id: string; status: string }[] }[];
}

const STARTERS = [
  'a whitelisted-wallet change is answered',
  'an added user is answered',
  'a request signed with another key is refused',
  'a transfer at the signing stage is answered',
  'a transfer at the approval stage is answered',
  'a transaction is answered at approval, then at signing',
];

/** What the guide must name for each option: what the real Co-signer gets, and what the handler loads. */
const GIVE: Record<SecurityOptionNumber, { give: string[]; notGive: string[]; load: string[] }> = {
  1: { give: [KIT_FILES.handlerPublicKey, 'publicly trusted CA'], notGive: [], load: [KIT_FILES.cosignerPublicKey, KIT_FILES.handlerPrivateKey, KIT_FILES.leafCert] },
  2: { give: [KIT_FILES.pinnedCert], notGive: [KIT_FILES.handlerPublicKey], load: [KIT_FILES.pinnedCert, KIT_FILES.pinnedKey] },
  3: { give: [KIT_FILES.rootCaCert], notGive: [KIT_FILES.handlerPublicKey], load: [KIT_FILES.leafCert, KIT_FILES.leafKey] },
  4: { give: [KIT_FILES.handlerPublicKey, KIT_FILES.pinnedCert], notGive: [], load: [KIT_FILES.cosignerPublicKey, KIT_FILES.handlerPrivateKey, KIT_FILES.pinnedCert] },
  5: { give: [KIT_FILES.handlerPublicKey, KIT_FILES.rootCaCert], notGive: [], load: [KIT_FILES.cosignerPublicKey, KIT_FILES.handlerPrivateKey, KIT_FILES.leafCert] },
};

/** The part of the guide after "Give the real Co-signer", up to the openssl section. */
const giveSection = (out: string) => out.slice(out.indexOf('Give the real Co-signer'), out.indexOf('Making your own keys'));
const loadSection = (out: string) => out.slice(out.indexOf('Your handler must load'), out.indexOf('Give the real Co-signer'));

describe('init --option N, then run in that folder', () => {
  it.each([1, 2, 3, 4, 5] as const)('option %i: writes the full kit, config, scenarios and .gitignore; the run is green', async (option) => {
    const dir = join(tmp, `option-${option}`);
    const init = await cli(['init', `option-${option}`, '--option', String(option)], tmp);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toBe('');

    // Every file --kit reads, readable as a kit.
    for (const name of [...Object.values(KIT_FILES), ...Object.values(cosignerKitFiles(2))]) expect(existsSync(join(dir, 'keys', name)), name).toBe(true);
    expect(() => readKit(join(dir, 'keys'))).not.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cosigner-sim.config.yaml', 'keys', 'scenarios']);

    const configText = readFileSync(join(dir, 'cosigner-sim.config.yaml'), 'utf8');
    const config = parseYaml(configText) as Record<string, unknown>;
    expect(config).toEqual({ option, kit: 'keys', ...(option === 1 ? { ca: `keys/${KIT_FILES.rootCaCert}` } : {}), run: { paths: ['scenarios/'] } });
    expect(configText).toMatch(/^# url: https:\/\//m); // where url: goes, as a comment
    expect(configText).not.toContain('yaml-language-server'); // not a local dependency here
    if (option === 1) expect(configText).toMatch(/production, option 1 needs a certificate from a publicly trusted CA/);
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('schema/config.schema.json', ROOT), 'utf8')) as object);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);

    // The guide: what to give the Co-signer, what the handler loads, the openssl commands, the warning.
    const out = init.stdout;
    for (const name of GIVE[option].give) expect(giveSection(out), name).toContain(name);
    for (const name of GIVE[option].notGive) expect(giveSection(out), name).not.toContain(name);
    for (const name of GIVE[option].load) expect(loadSection(out), name).toContain(name);
    expect(giveSection(out)).not.toContain(KIT_FILES.cosignerPrivateKey);
    if (option === 1 || option === 4 || option === 5) {
      expect(out).toContain('openssl genrsa -out callback_private.pem 2048');
      expect(out).toContain('openssl rsa -in callback_private.pem -outform PEM -pubout -out callback_public.pem');
      expect(out).toContain('./cosigner print-public-key');
    } else {
      expect(out).not.toContain('openssl genrsa');
    }
    if (option === 2 || option === 4) expect(out).toMatch(/openssl req -x509 .*-out pinned-cert\.pem/);
    if (option === 3 || option === 5) expect(out).toMatch(/openssl x509 -req .*-CA root-ca\.pem/);
    expect(out).toContain(`keys/${KIT_FILES.cosignerPrivateKey} and keys/${KIT_FILES.cosignerPublicKey} are a TEST Co-signer key, for tests only`);
    expect(out).toContain('accepts forged requests from anyone who has this folder');

    // The run reads only what init wrote: the config in the folder names the kit and the scenarios.
    const run = await cli(['run', '--reporter', 'json'], dir);
    expect(run.code, run.stderr + run.stdout.slice(0, 2000)).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.scenarios.map((s) => s.name)).toEqual(STARTERS);
    for (const s of report.scenarios) {
      expect(s.file.startsWith('scenarios/'), s.file).toBe(true);
      const jwt = option === 1 || option === 4 || option === 5;
      const expected = s.name === 'a request signed with another key is refused' && !jwt ? 'skip' : 'pass';
      expect(s.status, s.name).toBe(expected);
      if (expected === 'pass') expect(s.checks?.filter((c) => c.status === 'fail') ?? [], s.name).toEqual([]);
    }
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBe(option === 2 || option === 3 ? 5 : 6);
  });

  it('the starter scenarios are not green by accident: a handler key the config does not trust fails them', async () => {
    const dir = folder('wrong-handler-key');
    expect((await cli(['init', '--option', '4'], dir)).code).toBe(0);
    // Swap the handler's public key for another one: every response signature must now fail.
    const other = await generateRsaKeyPair();
    const wrong = join(tmp, 'other-handler-public.pem');
    writeFileSync(wrong, other.publicKeyPem);
    const run = await cli(['run', '--reporter', 'json', '--handler-public-key', wrong], dir);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const answered = report.scenarios.filter((s) => s.name !== 'a request signed with another key is refused');
    expect(answered.length).toBe(5);
    for (const s of answered) expect(s.checks?.find((c) => c.id.endsWith('jwt-signature'))?.status, s.name).toBe('fail');
  });
});

describe('init refuses', () => {
  it('to overwrite without --force: exit 2 naming the file, and nothing is written', async () => {
    const dir = folder('taken');
    writeFileSync(join(dir, 'cosigner-sim.config.yaml'), 'option: 3\n');
    const r = await cli(['init', '--option', '2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'CSIM_USAGE  cosigner-sim.config.yaml already exists: init never overwrites a file\n  hint: pass --force to overwrite it (and the other files init writes), or init into another folder: cosigner-sim init <dir>\n',
    );
    expect(readdirSync(dir)).toEqual(['cosigner-sim.config.yaml']); // no keys/ started, no .gitignore
    expect(readFileSync(join(dir, 'cosigner-sim.config.yaml'), 'utf8')).toBe('option: 3\n');
  });

  it('names the file relative to the working folder when init writes into another folder', async () => {
    mkdirSync(join(folder('elsewhere'), 'keys'));
    writeFileSync(join(tmp, 'elsewhere', 'keys', KIT_FILES.leafKey), 'mine');
    const r = await cli(['init', 'elsewhere', '--option', '2'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`CSIM_USAGE  elsewhere/keys/${KIT_FILES.leafKey} already exists`);
    expect(readdirSync(join(tmp, 'elsewhere', 'keys'))).toEqual([KIT_FILES.leafKey]);
  });

  it('without --option (it decides what the real Co-signer gets), and --option all', async () => {
    const dir = folder('no-option');
    const r = await cli(['init'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CSIM_USAGE  init needs --option: it decides what you give the real Co-signer');
    expect(r.stderr).toContain('1 jwt+public-ca, 2 json+pinned');
    const all = await cli(['init', '--option', 'all'], dir);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('CSIM_USAGE  init --option all');
    const bad = await cli(['init', '--option', '7'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CSIM_INVALID_OPTION  Invalid value for --option: 7');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--config (init writes the config, reads none) and a flag of another command', async () => {
    const dir = folder('config-flag');
    const r = await cli(['init', '--option', '1', '--config', 'x.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CSIM_USAGE  init reads no config file');
    const url = await cli(['init', '--option', '1', '--url', 'https://127.0.0.1:1'], dir);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--url is not an option of init');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a --handler-key that is not a private key', async () => {
    const dir = folder('bad-handler-key');
    const r = await cli(['init', '--option', '4', '--handler-key', join(new URL('test/fixtures/keys/rsa-4096-public.pem', ROOT).pathname)], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CSIM_KEY_FORMAT');
    expect(r.stderr).toContain('rsa-4096-public.pem: expected a private key');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('init options', () => {
  it('--force overwrites every file with a fresh kit, and leaves the .gitignore as it is', async () => {
    keygen.fresh = true;
    const dir = folder('forced');
    expect((await cli(['init', '--option', '5'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'keys', KIT_FILES.cosignerPrivateKey), 'utf8');
    const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    writeFileSync(join(dir, 'scenarios', 'transactions.yaml'), 'broken: [');
    const r = await cli(['init', '--option', '5', '--force'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'keys', KIT_FILES.cosignerPrivateKey), 'utf8')).not.toBe(before);
    expect(readFileSync(join(dir, 'scenarios', 'transactions.yaml'), 'utf8')).toContain('- name: a transfer at the signing stage is answered');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(gitignore);
    expect(r.stdout).toContain('yours, which already keeps the private keys out of git');
    keygen.fresh = false;
  });

  it('--keys-only writes just the kit, needs no --option, and refuses to overwrite it', async () => {
    const dir = folder('keys-only');
    const r = await cli(['init', '--keys-only'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['keys']);
    expect(readdirSync(join(dir, 'keys')).sort()).toEqual([...Object.values(KIT_FILES), ...Object.values(cosignerKitFiles(2))].sort());
    expect(() => readKit(join(dir, 'keys'))).not.toThrow();
    expect(r.stdout).toContain('cosigner-sim run --kit keys --option <1-5>');
    expect(r.stdout).toContain('are a TEST Co-signer key, for tests only');
    const again = await cli(['init', '--keys-only'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`keys/${KIT_FILES.cosignerPrivateKey} already exists`);
    expect((await cli(['init', '--keys-only', '--force'], dir)).code).toBe(0);
  });

  it('--host: both server certificates cover localhost, 127.0.0.1 and every --host', async () => {
    const dir = folder('hosts');
    const r = await cli(['init', '--keys-only', '--host', 'handler.internal', '--host', '10.0.0.5'], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const file of [KIT_FILES.leafCert, KIT_FILES.pinnedCert]) {
      const san = new X509Certificate(readFileSync(join(dir, 'keys', file))).subjectAltName ?? '';
      for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'DNS:handler.internal', 'IP Address:10.0.0.5']) expect(san, `${file}: ${name}`).toContain(name);
    }
    const plain = new X509Certificate((await generateKit()).leaf.certPem).subjectAltName ?? '';
    expect(plain).toContain('DNS:localhost');
    expect(plain).not.toContain('handler.internal');
  });

  it('--handler-key reuses the user\u2019s key: the kit holds it and its public half, and the run verifies with it', async () => {
    const dir = folder('own-key');
    const own = await generateRsaKeyPair();
    const pkcs1 = own.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    writeFileSync(join(tmp, 'my-handler.pem'), pkcs1);
    const r = await cli(['init', 'own-key', '--option', '1', '--handler-key', 'my-handler.pem'], tmp);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'keys', KIT_FILES.handlerPrivateKey), 'utf8')).toBe(pkcs1);
    const written = createPublicKey(readFileSync(join(dir, 'keys', KIT_FILES.handlerPublicKey), 'utf8'));
    expect(written.equals(own.publicKey)).toBe(true);
    expect(r.stdout).toContain('the handler key is yours, from --handler-key');
    const run = await cli(['run'], dir);
    expect(run.code, run.stderr + run.stdout).toBe(0);
  });

  it('writes the schema lines only when cosigner-sim is a local dependency', async () => {
    const dir = folder('local-dep');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-handler', devDependencies: { 'cosigner-sim': '^0.1.0' } }));
    expect((await cli(['init', '--option', '3'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'cosigner-sim.config.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/cosigner-sim/schema/config.schema.json');
    for (const f of readdirSync(join(dir, 'scenarios'))) {
      expect(readFileSync(join(dir, 'scenarios', f), 'utf8').split('\n')[0], f).toBe('# yaml-language-server: $schema=../node_modules/cosigner-sim/schema/scenario.schema.json');
    }
    const installed = folder('installed');
    mkdirSync(join(installed, 'node_modules', 'cosigner-sim'), { recursive: true });
    expect((await cli(['init', '--option', '3'], installed)).code).toBe(0);
    expect(readFileSync(join(installed, 'cosigner-sim.config.yaml'), 'utf8')).toContain('yaml-language-server');
  });

  it('adds its lines to an existing .gitignore, and git then ignores every private key of the kit', async () => {
    const dir = folder('git');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    expect((await cli(['init', '--option', '4'], dir)).code).toBe(0);
    const text = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(text.startsWith('node_modules/\n')).toBe(true);
    expect(spawnSync('git', ['init', '-q'], { cwd: dir }).status).toBe(0);
    const privates = [KIT_FILES.cosignerPrivateKey, KIT_FILES.handlerPrivateKey, KIT_FILES.pinnedKey, KIT_FILES.rootCaKey, KIT_FILES.leafKey];
    const publics = [KIT_FILES.cosignerPublicKey, KIT_FILES.handlerPublicKey, KIT_FILES.pinnedCert, KIT_FILES.rootCaCert, KIT_FILES.leafCert];
    for (const f of privates) expect(spawnSync('git', ['check-ignore', '-q', `keys/${f}`], { cwd: dir }).status, f).toBe(0);
    for (const f of publics) expect(spawnSync('git', ['check-ignore', '-q', `keys/${f}`], { cwd: dir }).status, f).toBe(1);
  });
});

describe('run without a scenarios folder', () => {
  it('says to run init, or how to run the scenarios the package ships', async () => {
    const dir = folder('new-project');
    const r = await cli(['run'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('CSIM_FILE_NOT_FOUND  scenarios/: no such file or folder');
    expect(r.stderr).toContain('`cosigner-sim init --option <1-5>` writes a kit, a config file and starter scenarios');
    const shipped = /cosigner-sim run (\S+)\/\n/.exec(r.stderr)?.[1];
    expect(shipped, r.stderr).toBeDefined();
    expect(existsSync(join(shipped!, 'approve.yaml'))).toBe(true);
  });

  it('names node_modules/cosigner-sim/scenarios when the package is installed there', async () => {
    const dir = folder('installed-run');
    mkdirSync(join(dir, 'node_modules', 'cosigner-sim', 'scenarios'), { recursive: true });
    const r = await cli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cosigner-sim run node_modules/cosigner-sim/scenarios/');
  });

  it('keeps the plain hint for another missing path', async () => {
    const r = await cli(['run', 'nope/'], folder('typo'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('CSIM_FILE_NOT_FOUND  nope/: no such file or folder\n  hint: check the path; it is relative to the working folder\n');
  });
});
