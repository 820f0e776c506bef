import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isShared, listCommands, SPECS, COMMANDS, CONFIG_SECTIONS, configReaders, flagName, type CommandName, type OptionSpec } from '../simulator/cli/option-table.js';
import { writeKit } from '../simulator/keys/kit.js';
import { KIT_FILES, type Kit } from '../simulator/keys/types.js';
import { CHECK_IDS } from '../simulator/protocol/types.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../simulator/reference/handler.js';
import { buildCli, CLI_BIN, ROOT, spawnCli } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { sharedKit } from './support/shared-kit.js';
import { xmlProblems } from './fixtures/cli/well-formed-xml.js';

/*
 * The command line, run in-process through runCli(argv, io) with an in-memory CliIO (cli()), and
 * a handful of spawn smoke tests of the real binary (spawnCli(): `node dist/simulator/cli/main.js`
 * with NO_COLOR=1) for what only a process shows: exit codes, --help, a broken pipe, the bin
 * shim. Every run gets --kit (the run's shared kit, written to a folder; except the fresh-clone
 * run) so none pays for RSA key generation.
 */

const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
/** In-process, from the repository root like the spawned binary. */
const cli = (args: string[], o: { cwd?: string; env?: Record<string, string> } = {}) => runInProcess(args, { cwd: ROOT, ...o });
const PASS = join(FIXTURES, 'pass.yaml');

let tmp: string;
let kitDir: string;
let kit: Kit;
let bigKey: string;
const servers: Server[] = [];
const handlers: StartedReferenceHandler[] = [];

const k = (name: keyof typeof KIT_FILES) => join(kitDir, KIT_FILES[name]);

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A handler that answers whatever `answer` makes of the request body, on the kit's leaf certificate (under its Root CA). */
function fakeHandler(answer: (body: string) => { type: string; body: string }): Promise<number> {
  return listen(
    createServer({ key: kit.leaf.keyPem, cert: kit.leaf.certPem }, (req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const a = answer(body);
        res.writeHead(200, { 'content-type': a.type });
        res.end(a.body);
      });
    }),
  );
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-cli-'));
  kitDir = join(tmp, 'kit');
  kit = writeKit(await sharedKit(), kitDir);
  // A committed public key: generating a 4096-bit pair costs seconds, and only the size matters.
  bigKey = join(ROOT, 'test', 'fixtures', 'keys', 'rsa-4096-public.pem');
  mkdirSync(join(tmp, 'empty'));
}, 120_000);

afterAll(async () => {
  await Promise.all(handlers.map((h) => h.close()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Malformed input: exit 2, one screen, no stack, the error code and the named problem on stderr. */
interface BadCase {
  name: string;
  args: () => string[];
  code: string;
  says: (string | RegExp)[];
  cwd?: () => string;
}

const badCases: BadCase[] = [
  { name: 'bad YAML in a scenario', args: () => ['run', join(FIXTURES, 'bad-yaml.yaml'), '--kit', kitDir], code: 'CSIM_SCENARIO_INVALID', says: ['bad-yaml.yaml:4', 'invalid YAML'] },
  { name: 'unknown key in a scenario', args: () => ['run', join(FIXTURES, 'unknown-key.yaml'), '--kit', kitDir], code: 'CSIM_SCENARIO_INVALID', says: ['unknown-key.yaml:4', 'expct', 'did you mean expect'] },
  { name: 'wrong type in a scenario', args: () => ['run', join(FIXTURES, 'wrong-type.yaml'), '--kit', kitDir], code: 'CSIM_SCENARIO_INVALID', says: ['expect.action must be one of APPROVE'] },
  { name: 'no scenario files', args: () => ['run', join(tmp, 'empty'), '--kit', kitDir], code: 'CSIM_NO_SCENARIOS', says: ['No scenario files found'] },
  { name: '--grep selecting nothing', args: () => ['run', PASS, '--grep', 'no-such-scenario', '--kit', kitDir], code: 'CSIM_NO_SCENARIOS', says: ['--grep "no-such-scenario" selected none of the 3 scenarios', 'Tags in use: smoke'] },
  { name: 'missing key file', args: () => ['run', PASS, '--kit', kitDir, '--cosigner-key', join(tmp, 'nope.pem')], code: 'CSIM_FILE_NOT_FOUND', says: ['nope.pem: cannot read the --cosigner-key file (ENOENT)'] },
  { name: 'missing kit folder', args: () => ['run', PASS, '--kit', join(tmp, 'no-kit')], code: 'CSIM_FILE_NOT_FOUND', says: ['no-kit: no such kit folder'] },
  { name: 'a certificate passed as a key', args: () => ['run', PASS, '--kit', kitDir, '--cosigner-key', k('leafCert')], code: 'CSIM_KEY_FORMAT', says: ['expected a private key, found a certificate', 'hint: pass the private key'] },
  { name: 'a private key passed as the handler public key', args: () => ['run', PASS, '--kit', kitDir, '--handler-public-key', k('handlerPrivateKey')], code: 'CSIM_KEY_FORMAT', says: ['expected a public key, found a private key', 'never hand out the private key'] },
  { name: 'a 4096-bit handler key', args: () => ['run', PASS, '--kit', kitDir, '--handler-public-key', bigKey], code: 'CSIM_KEY_UNSUPPORTED', says: ['accepts only RSA-2048 keys, found RSA-4096'] },
  { name: '--pinned-cert with --option 3', args: () => ['run', PASS, '--kit', kitDir, '--option', '3', '--pinned-cert', k('pinnedCert')], code: 'CSIM_INVALID_OPTION', says: ['is for options 2 and 4', 'pass it as ca (--ca)'] },
  { name: '--ca with --option 2', args: () => ['run', PASS, '--kit', kitDir, '--option', '2', '--ca', k('rootCaCert')], code: 'CSIM_INVALID_OPTION', says: ['is for options 1, 3 and 5'] },
  { name: 'a /v2 base URL', args: () => ['run', PASS, '--kit', kitDir, '--url', 'https://127.0.0.1:1/cb/v2'], code: 'CSIM_INVALID_URL', says: ['already ends in "/v2"', 'use https://127.0.0.1:1/cb'] },
  { name: 'an endpoint URL', args: () => ['send', 'tx', '--kit', kitDir, '--url', 'https://127.0.0.1:1/v2/tx_sign_request'], code: 'CSIM_INVALID_URL', says: ['/v2/tx_sign_request'] },
  { name: 'http with option 2', args: () => ['run', PASS, '--kit', kitDir, '--option', '2', '--url', 'http://127.0.0.1:1'], code: 'CSIM_INVALID_URL', says: ['option 2 (json+pinned) cannot use http', 'https://127.0.0.1:1'] },
  { name: 'a JWT option with --url and no key', args: () => ['run', PASS, '--url', 'https://127.0.0.1:1'], code: 'CSIM_MISSING_MATERIAL', says: ['there is no default one', '--cosigner-key <pem>', '--kit <dir>', 'No kit yet?'] },
  { name: 'unknown flag', args: () => ['run', PASS, '--optoin', '3'], code: 'CSIM_USAGE', says: ["unknown option '--optoin'", 'Did you mean --option?'] },
  { name: 'unknown command', args: () => ['rnu'], code: 'CSIM_USAGE', says: ["unknown command 'rnu'", 'Did you mean run?'] },
  { name: 'missing flag value', args: () => ['run', PASS, '--timeout'], code: 'CSIM_USAGE', says: ["option '--timeout <duration>' argument missing"] },
  { name: 'a flag where a value belongs', args: () => ['run', PASS, '--url', '--option', '2'], code: 'CSIM_USAGE', says: ['--url needs a value, but the next argument is the flag --option'] },
  { name: 'bad --option', args: () => ['run', PASS, '--option', '7'], code: 'CSIM_INVALID_OPTION', says: ['Invalid value for --option: 7. Expected one of: 1, 2, 3, 4, 5, all.'] },
  { name: 'bad --timeout', args: () => ['run', PASS, '--timeout', 'soon'], code: 'CSIM_USAGE', says: ['Invalid value for --timeout: "soon"', '500ms, 2s or 1m'] },
  { name: 'bad --reporter', args: () => ['run', PASS, '--reporter', 'jsno'], code: 'CSIM_USAGE', says: ['Invalid value for --reporter: "jsno"', 'Did you mean json?'] },
  { name: 'two stdout reporters', args: () => ['run', PASS, '--reporter', 'json', '--reporter', 'junit'], code: 'CSIM_USAGE', says: ['json and junit would both write to stdout', '--reporter junit:report.xml'] },
  { name: 'bad --concurrency', args: () => ['run', PASS, '--concurrency', '0'], code: 'CSIM_USAGE', says: ['Invalid value for --concurrency'] },
  { name: '--option all with --url', args: () => ['run', PASS, '--option', 'all', '--url', 'https://127.0.0.1:1', '--kit', kitDir], code: 'CSIM_USAGE', says: ['--option all', 'cannot be used with --url'] },
  { name: 'bad --set', args: () => ['send', 'tx', '--kit', kitDir, '--set', 'amount'], code: 'CSIM_USAGE', says: ['Invalid value for --set: "amount". Expected <path>=<value>.'] },
  { name: 'bad --set path', args: () => ['send', 'tx', '--kit', kitDir, '--set', 'destinations..amountUSD=1'], code: 'CSIM_USAGE', says: ['empty segment'] },
  { name: 'a --set index past the end', args: () => ['send', 'tx', '--kit', kitDir, '--set', 'destinations.9.amountUSD=1'], code: 'CSIM_OVERRIDE_PATH', says: ['index 9 is past the end'] },
  { name: '--stage signing for a config request', args: () => ['send', 'config', '--stage', 'signing', '--kit', kitDir], code: 'CSIM_USAGE', says: ['configuration changes are always approvals'] },
  { name: '--type for a tx', args: () => ['send', 'tx', '--type', 'ADD_USER', '--kit', kitDir], code: 'CSIM_USAGE', says: ['--type names a configuration change type'] },
  { name: 'bad send kind', args: () => ['send', 'transfer'], code: 'CSIM_USAGE', says: ["command-argument value 'transfer' is invalid", 'tx, config'] },
  { name: 'no command', args: () => [], code: 'CSIM_USAGE', says: ['no command given'] },
  { name: 'missing --config file', args: () => ['run', PASS, '--config', join(tmp, 'nope.yaml')], code: 'CSIM_FILE_NOT_FOUND', says: ['no such config file'] },
  {
    name: 'unknown key in the config file',
    args: () => ['run', PASS],
    cwd: () => configDir('typo', 'cosigner-sim.config.yaml', 'option: 4\nkitt: ./kit\n'),
    code: 'CSIM_CONFIG_INVALID',
    says: ['cosigner-sim.config.yaml: unknown key "kitt". Did you mean "kit"?'],
  },
  {
    name: 'wrong type in the config file',
    args: () => ['run', PASS],
    cwd: () => configDir('type', 'cosigner-sim.config.json', '{"timeout": true}'),
    code: 'CSIM_CONFIG_INVALID',
    says: ['cosigner-sim.config.json: invalid value for "timeout": boolean true'],
  },
  {
    name: 'bad YAML in the config file',
    args: () => ['run', PASS],
    cwd: () => configDir('yaml', 'cosigner-sim.config.yaml', 'option: 4\n  kit: [\n'),
    code: 'CSIM_CONFIG_INVALID',
    says: ['cosigner-sim.config.yaml:1: not valid YAML'],
  },
  { name: 'a command option before the command', args: () => ['--option', '2', 'run', PASS], code: 'CSIM_USAGE', says: ['--option goes after the command name', 'e.g. cosigner-sim run --option <n>'] },
  { name: 'a flag of another command', args: () => ['run', PASS, '--skip', 'tls'], code: 'CSIM_USAGE', says: ['--skip is not an option of run: only conformance reads it', '`cosigner-sim run --help`'] },
  { name: 'an unknown --skip id', args: () => ['conformance', '--skip', 'robustness/hug-body'], code: 'CSIM_INVALID_ARGUMENT', says: ['"robustness/hug-body" is not a probe id or group. Did you mean robustness/huge-body?'] },
  {
    name: 'a key only one command reads, at the top of the config file',
    args: () => ['run', PASS],
    cwd: () => configDir('placement', 'cosigner-sim.config.yaml', 'option: 4\nbail: true\n'),
    code: 'CSIM_CONFIG_INVALID',
    says: ['cosigner-sim.config.yaml: "bail" is read only by run, so it belongs in the run: section', 'hint: write\n        run:\n          bail: true'],
  },
];

function configDir(name: string, file: string, text: string): string {
  const dir = join(tmp, `config-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  return dir;
}

describe.concurrent('malformed input: exit 2, one screen, no stack', () => {
  it('covers at least 20 cases', ({ expect }) => {
    expect(badCases.length).toBeGreaterThanOrEqual(20);
  });
  for (const c of badCases) {
    it(c.name, async ({ expect }) => {
      const r = await cli(c.args(), c.cwd ? { cwd: c.cwd() } : {});
      const context = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
      expect(r.code, context).toBe(2);
      expect(r.stderr.startsWith(`${c.code}  `), context).toBe(true);
      for (const s of c.says) expect(r.stderr, context).toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
      expect(r.stderr.split('\n').length, context).toBeLessThanOrEqual(25);
      expect(r.stderr, context).not.toMatch(/^ {4}at /m);
      expect(r.stderr, context).not.toMatch(/\u001b\[/);
    });
  }
});

describe.concurrent('exit 0', () => {
  it('prints a line per scenario with mark, name, action and latency; skips are marked', async ({ expect }) => {
    const r = await cli(['run', PASS, '--kit', kitDir, '--seed', '7']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ ✓ small transfer is signed\s+APPROVE\s+(\d+ms|\d+\.\d\ds)$/m);
    expect(r.stdout).toMatch(/^ ✓ transfer to an unknown address is rejected\s+REJECT\s+(\d+ms|\d+\.\d\ds)$/m);
    expect(r.stdout).toMatch(/^ – only for option 4 <pinned> & "JWT"\s+skipped: option 1 not in options \[4\]$/m);
    expect(r.stdout).toContain('2 passed | 0 failed | 1 skipped (3)');
  });

  it('--option all runs every option and names each result [option N]', async ({ expect }) => {
    const r = await cli(['run', PASS, '--kit', kitDir, '--option', 'all', '--reporter', 'json', '--grep', 'signed'], {});
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { option: unknown; url: unknown; scenarios: { name: string; option: number }[] };
    expect(doc.option).toBe('all');
    expect(doc.url).toBeNull();
    expect(doc.scenarios.map((s) => s.name)).toEqual([1, 2, 3, 4, 5].map((n) => `small transfer is signed [option ${n}]`));
    expect(r.stderr.split('\n')[0]).toContain('option all (1-5) · embedded reference handlers');
  });

  it('send tx shows the decision; --reporter json prints one document with one scenario', async ({ expect }) => {
    const pretty = await cli(['send', 'tx', '--kit', kitDir, '--option', '4', '--set', 'amount=5', '--seed', '3']);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(/^ ✓ send tx \(signing\)\s+APPROVE/m);
    expect(pretty.stdout).toMatch(/Request: {2}POST https:\/\/127\.0\.0\.1:\d+\/v2\/tx_sign_request {2}\(option 4 jwt\+pinned, signing stage\)/);
    expect(pretty.stdout).toContain('JWT payload:   {"action":"APPROVE"');
    const json = await cli(['send', 'config', '--type', 'NOT_A_KNOWN_TYPE', '--allow-unknown-type', '--kit', kitDir, '--reporter', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { scenarios: { name: string; request: { endpoint: string; stage: string }; response: { action: string } }[] };
    expect(doc.scenarios).toHaveLength(1);
    expect(doc.scenarios[0]).toMatchObject({ name: 'send config (NOT_A_KNOWN_TYPE)', request: { endpoint: 'config_change_sign_request', stage: 'approval' }, response: { action: 'IGNORE' } });
  });

  it('reads cosigner-sim.config.* from the working folder; flags win', async ({ expect }) => {
    const dir = configDir('ok', 'cosigner-sim.config.yaml', `option: 4\nkit: ${JSON.stringify(kitDir)}\nseed: 99\n`);
    const fromConfig = await cli(['run', PASS], { cwd: dir });
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(fromConfig.stdout.split('\n')[0]).toContain('option 4 jwt+pinned');
    expect(fromConfig.stdout).toContain('Seed 99');
    expect(fromConfig.stdout).toContain('3 passed | 0 failed (3)');
    const flagWins = await cli(['run', PASS, '--option', '2'], { cwd: dir });
    expect(flagWins.code, flagWins.stderr).toBe(0);
    expect(flagWins.stdout.split('\n')[0]).toContain('option 2 json+pinned');
  });

  it('a JSON handler under your own --url (option 3): rejectionReason null is reported as null', async ({ expect }) => {
    const port = await fakeHandler((body) => {
      const { requestId } = JSON.parse(body) as { requestId: string };
      return { type: 'application/json', body: JSON.stringify({ action: 'APPROVE', requestId, rejectionReason: null }) };
    });
    const r = await cli(['send', 'tx', '--url', `https://127.0.0.1:${port}`, '--option', '3', '--ca', k('rootCaCert'), '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { url: string; embedded: boolean; scenarios: { response: Record<string, unknown> }[] };
    expect(doc.url).toBe(`https://127.0.0.1:${port}`);
    expect(doc.embedded).toBe(false);
    expect(doc.scenarios[0]!.response).toMatchObject({ status: 200, action: 'APPROVE', rejectionReason: null });
    expect(r.stderr.split('\n')[0]).toBe(`cosigner-sim ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version} · option 3 json+root-ca · https://127.0.0.1:${port}`);
  });
});

describe.concurrent('exit 1', () => {
  it('a handler that answers unsigned JSON in option 1 fails body-format', async ({ expect }) => {
    const port = await fakeHandler(() => ({ type: 'application/json', body: '{"action":"APPROVE <&> \u0001"}' }));
    const junit = join(tmp, 'unsigned.xml');
    const r = await cli(['run', PASS, '--grep', 'signed', '--url', `https://127.0.0.1:${port}`, '--kit', kitDir, '--ca', k('rootCaCert'), '--reporter', `junit:${junit}`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ ✗ small transfer is signed .* body-format: /m);
    expect(r.stdout).toMatch(/^ {2}✗ body-format: /m);
    expect(xmlProblems(readFileSync(junit, 'utf8'))).toEqual([]);
  });

  it('a connection failure is a handler failure', async ({ expect }) => {
    const port = await listen(createServer());
    await new Promise((r) => servers.pop()!.close(r));
    const r = await cli(['send', 'tx', '--url', `https://127.0.0.1:${port}`, '--option', '2', '--kit', kitDir, '--timeout', '5s']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ connect: /);
    expect(r.stdout).toContain('ECONNREFUSED');
  });

  it('--strict turns a warning into a failure', async ({ expect }) => {
    const handler = await startReferenceHandler({ option: 1, kit, plainHttp: true });
    handlers.push(handler);
    const args = ['send', 'tx', '--url', handler.url, '--kit', kitDir];
    const lenient = await cli(args);
    expect(lenient.code, lenient.stdout + lenient.stderr).toBe(0);
    expect(lenient.stdout).toContain('⚠ plain-http');
    const strict = await cli([...args, '--strict', '--reporter', 'github']);
    expect(strict.code, strict.stdout + strict.stderr).toBe(1);
    expect(strict.stdout).toMatch(/^::error title=cosigner-sim%3A send tx \(signing\)::warning plain-http \(--strict\)/m);
  });
});

describe('secrets', () => {
  it('--show-secrets puts the raw request body (a signed JWS) in the JSON report', async () => {
    const r = await cli(['send', 'tx', '--kit', kitDir, '--reporter', 'json', '--show-secrets']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { scenarios: { request: { body: string } }[] };
    expect(doc.scenarios[0]!.request.body).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]{100,}$/);
  });
});


/** The arguments that make each command run (send needs its kind). */
const COMMAND_ARGS: Record<CommandName, string[]> = { run: ['run', PASS], send: ['send', 'tx'], conformance: ['conformance'], load: ['load', '--requests', '1'], selftest: ['selftest'], decode: ['decode', '{"action":"APPROVE","requestId":"r1"}'], doctor: ['doctor'], init: ['init', '--option', '1', join(tmpdir(), 'csim-init-refused-flags')], profiles: ['profiles'] };

/** One flag with a valid value, as a user would type it. */
function flagArgs(spec: OptionSpec): string[] {
  if (spec.kind.type === 'boolean') return [flagName(spec)];
  const example = Array.isArray(spec.example) ? spec.example[0] : spec.kind.type === 'overrides' ? 'amount=1' : spec.example;
  return [flagName(spec), String(example)];
}

// The "toys ruled out" table: every command, every row of the option table it does not declare,
// as a flag and as a config key of its section; each is exit 2 naming the flag or key and who
// reads it. (That each command accepts its own rows is what the rest of this file runs.)
describe('every command refuses the flags and config keys it does not read', () => {
  const undeclared = COMMANDS.flatMap((command) => SPECS.filter((s) => !s.commands.includes(command)).map((spec) => ({ command, spec })));

  it('covers every command', () => {
    for (const command of COMMANDS) expect(undeclared.some((u) => u.command === command), command).toBe(true);
  });

  it.each(undeclared.filter((u) => u.spec.flag !== undefined).map((u) => [u.command, flagName(u.spec), u] as const))('%s refuses %s', async (command, flag, { spec }) => {
    const r = await cli([...COMMAND_ARGS[command], ...flagArgs(spec)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `CSIM_USAGE  ${flag} is not an option of ${command}: only ${listCommands(spec.commands)} ${spec.commands.length === 1 ? 'reads' : 'read'} it\n  hint: drop ${flag} here; \`cosigner-sim ${command} --help\` lists what ${command} takes\n`,
    );
    expect(r.stdout).toBe('');
  });

  it.each(undeclared.filter((u) => u.spec.config && CONFIG_SECTIONS.includes(u.command)).map((u) => [u.command, u.spec.key, u] as const))('%s: refuses the config key %s in its section', async (command, key, { spec }) => {
    const dir = configDir(`section-${command}-${key}`, 'cosigner-sim.config.json', JSON.stringify({ [command]: { [key]: spec.example } }));
    const r = await cli(COMMAND_ARGS[command], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`CSIM_CONFIG_INVALID  cosigner-sim.config.json: "${command}.${key}": ${command} does not read "${key}", only ${listCommands(configReaders(spec))} ${configReaders(spec).length === 1 ? 'does' : 'do'}`);
  });

  const single = SPECS.filter((s) => s.config && !isShared(s));
  it.each(CONFIG_SECTIONS.flatMap((command) => single.map((spec) => [command, spec.key, spec] as const)))('%s: refuses %s at the top of the config file, naming the command that reads it', async (command, key, spec) => {
    const dir = configDir(`top-${command}-${key}`, 'cosigner-sim.config.json', JSON.stringify({ [key]: spec.example }));
    const r = await cli(COMMAND_ARGS[command], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    const readers = configReaders(spec);
    // A key several commands read but not all (set, base) names each section it belongs in, and who would pass over it.
    const where =
      readers.length === 1
        ? `so it belongs in the ${readers[0]}: section`
        : `so it belongs in their sections (${readers.map((c) => `${c}:`).join(', ')}), not at the top where ${listCommands(CONFIG_SECTIONS.filter((c) => !readers.includes(c)))} would pass over it`;
    expect(r.stderr.split('\n')[0]).toBe(`CSIM_CONFIG_INVALID  cosigner-sim.config.json: "${key}" is read only by ${listCommands(readers)}, ${where}`);
  });

  it('init reads no config file: an init: section is an unknown key', async () => {
    const dir = configDir('init-section', 'cosigner-sim.config.json', JSON.stringify({ init: { option: 2 } }));
    const r = await cli(COMMAND_ARGS.run, { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('CSIM_CONFIG_INVALID  cosigner-sim.config.json: unknown key "init"');
  });

  it('a key no command reads is exit 2 with a did-you-mean, for every command', async () => {
    for (const command of CONFIG_SECTIONS) {
      const dir = configDir(`unknown-${command}`, 'cosigner-sim.config.json', JSON.stringify({ [command]: { timeotu: '2s' } }));
      const r = await cli(COMMAND_ARGS[command], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(command === 'selftest' || command === 'decode' ? `unknown key "${command}.timeotu"` : `unknown key "${command}.timeotu". Did you mean "timeout"?`);
    }
  });
});

const HELP_DIR = join(ROOT, 'test', 'fixtures', 'cli', 'help');

describe('help', () => {
  it.each([['cosigner-sim', []], ...COMMANDS.map((c) => [c, [c]] as const)] as const)('%s --help lists only what it reads (snapshot)', async (name, args) => {
    const r = await cli([...args, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    await expect(`$ cosigner-sim ${[...args, '--help'].join(' ')}\n${r.stdout}`).toMatchFileSnapshot(join(HELP_DIR, `${name}.txt`));
    if (name === 'cosigner-sim') return;
    const own = SPECS.filter((s) => s.flag !== undefined && s.commands.includes(name));
    for (const s of SPECS.filter((x) => x.flag !== undefined)) {
      const listed = new RegExp(`^ {2}${flagName(s)}(?![\\w-])`, 'm').test(r.stdout);
      expect(listed, `${name} --help and ${flagName(s)}`).toBe(own.includes(s));
    }
  });

  it('run --help shows defaults and the examples', async () => {
    const run = await cli(['run', '--help']);
    expect(run.stdout).toContain('Usage: cosigner-sim run [options] [paths...]');
    expect(run.stdout).toContain('(default: 30s)');
    expect(run.stdout.match(/^ {2}\$ cosigner-sim /gm)).toHaveLength(3);
  });
});

describe('README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('names every flag of the option table', () => {
    for (const s of SPECS.filter((x) => x.flag !== undefined)) expect(readme, flagName(s)).toContain(`\`${flagName(s)}`);
  });

  it('shows a config file that every command accepts, as is', async () => {
    const yaml = /### Config file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const dir = configDir('readme', 'cosigner-sim.config.yaml', yaml!);
    const { loadConfig } = await import('../simulator/cli/config.js');
    const o = await import('../simulator/cli/options.js');
    const config = await loadConfig(dir, undefined);
    const none = { values: {}, typed: () => false };
    expect(o.resolveRunOptions([], none, config)).toMatchObject({ option: 4, timeoutMs: 10_000, concurrency: 4, tag: 'smoke' });
    expect(o.resolveConformanceOptions(none, config)).toMatchObject({ timeoutMs: 30_000, skip: ['robustness/huge-body'] });
    expect(o.resolveSendOptions('tx', none, config)).toMatchObject({ stage: 'approval', set: { amount: 250000 } });
    // selftest reads the shared reporters too (it writes every reporter's file), and nothing else of the config.
    expect(o.resolveSelftestOptions(none, config)).toEqual({ allOptions: true, reporters: [{ name: 'pretty' }, { name: 'junit', file: 'reports/cosigner.xml' }] });
  });
});

// What only a real process shows. Built once per run by the global setup (or here without it).
describe.concurrent('the binary (spawned)', () => {
  beforeAll(async () => {
    if (!inject('cosignerSimBuilt')) await buildCli();
    expect(existsSync(CLI_BIN)).toBe(true);
  }, 120_000);

  it('runs the shipped scenarios on a fresh clone: embedded handler, fresh kit, first line says so', async ({ expect }) => {
    const r = await spawnCli(['run', 'scenarios/', '--seed', '42']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^cosigner-sim \d+\.\d+\.\d+ · option 1 jwt\+public-ca · embedded reference handler https:\/\/127\.0\.0\.1:\d+ \(no --url given\)$/);
    expect(r.stdout).toMatch(/^Scenarios {2}(\d+) passed \| 0 failed(?: \| \d+ skipped)? \(\d+\) {3}Duration \d+\.\d\ds {3}Seed 42$/m);
    expect(r.stderr).toBe('');
  });

  it('the reference handler checked with the wrong handler public key: every reporter at once', async ({ expect }) => {
    const junit = join(tmp, 'out', 'report.xml');
    const github = join(tmp, 'out', 'annotations.txt');
    const summary = join(tmp, 'step-summary.md');
    writeFileSync(summary, '# before\n');
    const r = await spawnCli(
      ['run', PASS, '--kit', kitDir, '--handler-public-key', k('cosignerPublicKey'), '--seed', '42', '--reporter', 'json', '--reporter', `junit:${junit}`, '--reporter', `github:${github}`],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(r.code, r.stderr).toBe(1);

    // JSON on stdout: one document, scenarios in input order, every check listed.
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc).toMatchObject({ ok: false, option: 1, seed: 42, url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/), warnings: [] });
    expect(doc.summary).toMatchObject({ total: 3, passed: 0, failed: 2, skipped: 1, durationMs: expect.any(Number) });
    const [signed, rejected, skipped] = doc.scenarios;
    expect(signed).toMatchObject({
      name: 'small transfer is signed',
      file: expect.stringContaining('pass.yaml'),
      option: 1,
      ok: false,
      request: { endpoint: 'tx_sign_request', stage: 'signing', requestId: expect.any(String) },
      response: { status: 200, action: 'APPROVE', requestId: signed.request.requestId, latencyMs: expect.any(Number) },
      attempts: 1,
      warnings: [],
    });
    expect('rejectionReason' in signed.response).toBe(false);
    expect(rejected.response.rejectionReason).toMatch(/not in the allow-list/);
    expect(skipped).toMatchObject({ ok: true, status: 'skip' });
    const ids = (signed.checks as { id: string; status: string }[]).map((c) => c.id);
    for (const id of CHECK_IDS) expect(ids).toContain(id);
    expect(signed.checks).toContainEqual(expect.objectContaining({ id: 'jwt-signature', status: 'fail', message: expect.any(String), hint: expect.any(String) }));
    expect(signed.checks).toContainEqual(expect.objectContaining({ id: 'request-id', status: 'pass' }));
    expect(r.stdout).not.toMatch(/eyJ[\w-]*\.[\w-]*\.[\w-]{20,}/);
    expect(r.stdout).not.toContain('BEGIN');

    // Human lines went to stderr, because json owns stdout.
    expect(r.stderr).toMatch(/^ ✗ small transfer is signed\s+APPROVE\s+(\d+ms|\d+\.\d\ds) {2}jwt-signature: /m);
    expect(r.stderr).toContain('    JWT header:    {"alg":"RS256","typ":"JWT"}');
    expect(r.stderr).toMatch(/Request: {2}POST https:\/\/127\.0\.0\.1:\d+\/v2\/tx_sign_request {2}\(option 1 jwt\+public-ca, signing stage\)/);
    expect(r.stderr).toContain('Scenarios  0 passed | 2 failed | 1 skipped (3)');
    expect(r.stderr).toContain('Seed 42');

    // JUnit: well-formed, one testcase per scenario, failures and skips.
    const xml = readFileSync(junit, 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('<skipped message="option 1 not in options [4]"/>');
    expect(xml).toContain('name="only for option 4 &lt;pinned&gt; &amp; &quot;JWT&quot;"');

    // GitHub: one annotation line per failed scenario, on its file and line; summary appended.
    const annotations = readFileSync(github, 'utf8').trimEnd().split('\n');
    expect(annotations).toHaveLength(2);
    for (const a of annotations) expect(a).toMatch(/^::error file=[^,]*pass\.yaml,line=\d+,title=cosigner-sim%3A [^:]+::jwt-signature: .*%0Ahint: /);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# before\n')).toBe(true);
    expect(md).toContain('| | Scenario | Option | Action | Latency | Failed checks |');
    expect(md).toContain('| ❌ | small transfer is signed | 1 | APPROVE |');
  });

  it('exit 2: a usage error, on stderr, nothing on stdout', async ({ expect }) => {
    const r = await spawnCli(['run', PASS, '--optoin', '3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("CSIM_USAGE  unknown option '--optoin'. Did you mean --option?\n  hint: run `cosigner-sim run --help` for the options\n");
  });

  it('--help and --version: exit 0; the help is the one runCli prints', async ({ expect }) => {
    const [help, runHelp, version, short] = await Promise.all([spawnCli(['--help']), spawnCli(['run', '--help']), spawnCli(['--version']), spawnCli(['-V'])]);
    for (const r of [help, runHelp, version, short]) expect(r.code, r.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    // The bin answers --version without loading commander (main.ts): byte for byte commander's answer.
    expect(version.stdout).toBe((await cli(['--version'])).stdout);
    expect(short.stdout).toBe(version.stdout);
    expect(help.stdout).toBe((await cli(['--help'])).stdout);
    expect(runHelp.stdout).toBe((await cli(['run', '--help'])).stdout);
  });

  it('a reader that closes the pipe early (`| head -0`) is not a crash', async ({ expect }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_BIN, 'run', PASS, '--kit', kitDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      // Closed before the first line is written: every write to stdout meets EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('runs as an npm bin: through a symlink, by its shebang, without `node` in front', async ({ expect }) => {
    // What `npm run build` and npm's bin linking do: make the file executable, link it into .bin/.
    chmodSync(CLI_BIN, 0o755);
    const bin = join(tmp, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    const link = join(bin, 'cosigner-sim');
    if (!existsSync(link)) symlinkSync(CLI_BIN, link);
    const r = await spawnCli(['--version'], { bin: link, cwd: tmp, env: { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
