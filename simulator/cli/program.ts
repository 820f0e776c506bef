import { Argument, Command, CommanderError, Option } from 'commander';
import { InternalError, UsageError, isCsimError } from '../errors.js';
import { closest } from '../lib/did-you-mean.js';
import { colorsFor, packageVersion, processIO, SIGNAL_EXIT, type CliIO, type Sink } from './io.js';
import { COMMANDS, listCommands, specOfFlag, specsOf, type CommandName, type OptionSpec } from './option-table.js';
import type { RawFlags } from './options.js';
import { COSIGNER_BURST } from '../load/presets.js';

/**
 * Exit codes: 0 every scenario passed, 1 one failed, 2 nothing trustworthy ran, 130/143 a SIGINT/SIGTERM
 * cut the run short (the reports cover what ran and list the rest as not run).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, sigint: SIGNAL_EXIT.SIGINT, sigterm: SIGNAL_EXIT.SIGTERM } as const;

const EXAMPLES = `
Examples:
  $ cosigner-sim run scenarios/
      run the scenarios against the embedded reference handler (option 1, no --url)
  $ cosigner-sim run scenarios/ --url https://handler.example.com/cb --option 5 --ca ca.pem --kit keys/
      run them against your handler: option 5 (JWT over a Root CA), keys from keys/
  $ cosigner-sim run --reporter json > report.json
      one JSON document on stdout; the human lines go to stderr
`;

const SEND_EXAMPLES = `
Examples:
  $ cosigner-sim send tx
      send one signing-stage tx_sign_request to the embedded reference handler
  $ cosigner-sim send tx --stage approval --set amount=250000 --url https://handler.example.com/cb --kit keys/
      send an approval request with a big amount to your handler
  $ cosigner-sim send config --type ADD_USER --reporter json
`;

const CONFORMANCE_EXAMPLES = `
Examples:
  $ cosigner-sim conformance
      run the battery against the embedded reference handler (which passes all of it)
  $ cosigner-sim conformance --url https://handler.example.com/cb --option 4 --kit keys/ --skip robustness/huge-body
      run it against your handler, without the 5 MB body probe
`;

/** Fold a paragraph at spaces into lines of at most `width` characters, for the help's epilogue. */
function fold(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

const LOAD_EXAMPLES = `
Examples:
  $ cosigner-sim load --concurrency 16 --requests 5000
      keep 16 requests in flight against the embedded reference handler until 5000 are answered
  $ cosigner-sim load --url https://handler.example.com/cb --option 4 --kit keys/ --rate 50/s --duration 30s --mix tx:9,config:1
      50 requests a second for 30 s to your handler, nine tx for every config change
  $ cosigner-sim load --concurrency 16 --requests 5000 --reuse-connections
      the same over kept-alive connections: the report shows handshakes per request
  $ cosigner-sim load --mix cosigner-burst --duration 30s
      several Co-signers bursting at once, RETRY answers re-sent (the preset below)

${fold(`--mix cosigner-burst: ${COSIGNER_BURST.description}.`)}

Exit codes: 0 passed · 1 a request failed a check (over --max-error-rate, default 0), an answer took
longer than the Co-signer's 30 s, or a request was dropped (--max-in-flight) · 2 usage error ·
130 / 143 interrupted (the report covers what ran).
`;

const PROFILES_EXAMPLES = `
Examples:
  $ cosigner-sim profiles
      the table of Co-signer versions, then what each release brought (mark and source)
  $ cosigner-sim profiles --reporter json
      the same as one JSON document
`;

const SELFTEST_EXAMPLES = `
Examples:
  $ cosigner-sim selftest
      every defect of the zoo under one option each (about 30 s)
  $ cosigner-sim selftest --all-options
      every battery defect under every option it applies to (slower)
`;

const DECODE_EXAMPLES = `
Examples:
  $ cosigner-sim decode "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJ0eElkIjoi..."
      what a JWT pasted from a log is (quotes, a Bearer prefix and line breaks are fine)
  $ cosigner-sim decode captured.jwt --key keys/cosigner-public.pem
      a request from a file, verified with the Co-signer public key (exit 1 when it does not verify)
  $ pbpaste | cosigner-sim decode - --key keys/handler-public.pem --request request.jwt
      a response from stdin, verified with the handler key and judged against the request it answers
  $ cosigner-sim decode '{"action":"APPROVE","requestId":"9c79…"}' --reporter json
      a plain JSON body (options 2, 3), as a JSON document

Exit codes: 0 decoded (and verified, with --key) · 1 the key does not verify it, or a check fails
on it · 2 not a JWT or JSON, or a usage, file or key error.
`;

const DOCTOR_EXAMPLES = `
Examples:
  $ cosigner-sim doctor --option 4 --kit keys/
      check every key and certificate of a kit for option 4, and print every finding with its fix
  $ cosigner-sim doctor --config cosigner-sim.config.yaml --url https://handler.example.com/cb --reporter json
      the same for the config file's setup, plus one TLS handshake with the handler, as JSON
`;

const INIT_EXAMPLES = `
Examples:
  $ cosigner-sim init --option 4
      write keys/, cosigner-sim.config.yaml, scenarios/ and .gitignore here for option 4 (JWT + pin)
  $ cosigner-sim init tests --option 5 --host handler.internal --handler-key my-handler-key.pem
      in tests/: certificates that also cover handler.internal, and your own handler key
  $ cosigner-sim init --keys-only --force
      a fresh kit in keys/ and nothing else (e.g. in CI, where the private keys are not committed)
`;

const EXIT_CODES = `
Exit codes: 0 every scenario passed · 1 a scenario failed (a TLS or connection failure is a handler
failure; with --strict a warning too) · 2 nothing trustworthy ran (usage, scenario, config, key or
certificate error, nothing selected, internal error) · 130 / 143 interrupted by SIGINT (Ctrl-C) / SIGTERM:
the reports still cover what ran and list the rest as not run.
`;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Kinds whose flag may be given several times, each adding one value. */
function repeatable(spec: OptionSpec): boolean {
  return spec.kind.type === 'list' || spec.kind.type === 'reporters' || spec.kind.type === 'overrides';
}

/** The commander options of one command, from the table; nothing else declares a flag. */
function addTableOptions(cmd: Command, command: CommandName): void {
  for (const spec of specsOf(command)) {
    if (spec.flag === undefined) continue;
    const base = spec.helpFor?.[command] ?? spec.help;
    const option = new Option(spec.flag, spec.requiredBy?.includes(command) ? `${base} (required)` : base);
    if (repeatable(spec)) option.argParser(collect);
    // A flag the command requires has no default there: its action checks that it was typed.
    if (spec.default && !spec.requiredBy?.includes(command)) option.default(spec.default.value, spec.default.shown);
    // The key is commander's attribute name, the config key and the typed field: one spelling.
    if (option.attributeName() !== spec.key) throw new InternalError(`option-table row ${spec.key}: ${spec.flag} is read by commander as ${option.attributeName()}`);
    cmd.addOption(option);
  }
}

/** Commander's values plus which ones the user typed (config-file values fill in the rest). */
function rawFlags(cmd: Command): RawFlags {
  return {
    values: cmd.opts(),
    typed: (key) => cmd.getOptionValueSource(key) === 'cli',
  };
}

function helpWidth(sink: Sink): number {
  const columns = (sink as { columns?: number }).columns;
  return sink.isTTY && typeof columns === 'number' ? Math.max(60, columns) : 100;
}

/** Print a CsimError as `CODE  message` plus an indented `hint:`, with no stack. */
export function formatCsimError(e: { code: string; message: string; hint?: string | undefined }, colors: ReturnType<typeof colorsFor>): string {
  const lines = [`${colors.red(colors.bold(e.code))}  ${e.message}`];
  if (e.hint) lines.push(`  ${colors.cyan('hint:')} ${e.hint.split('\n').join('\n        ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A commander Command whose unknown-option and unknown-command errors know the option table:
 * a flag that belongs to another command says which, and suggestions come from lib/did-you-mean.
 */
class CliCommand extends Command {
  override createCommand(name?: string): CliCommand {
    return new CliCommand(name);
  }

  /** Called by commander (a JS method its typings leave out) for the first unknown option. */
  unknownOption(flag: string): never {
    const long = flag.split('=')[0]!;
    const spec = long.startsWith('--') ? specOfFlag(long) : undefined;
    if (!this.parent) {
      if (spec) {
        throw new UsageError(`${long} goes after the command name: it is an option of ${listCommands(spec.commands)}`, {
          field: spec.key,
          hint: `e.g. cosigner-sim ${spec.commands[0]} ${spec.flag ?? long}`,
        });
      }
      throw new UsageError(`unknown option '${flag}'`, { hint: 'options go after the command name; run `cosigner-sim --help` for the commands' });
    }
    const command = this.name();
    if (spec) {
      throw new UsageError(`${long} is not an option of ${command}: only ${listCommands(spec.commands)} ${spec.commands.length === 1 ? 'reads' : 'read'} it`, {
        field: spec.key,
        hint: `drop ${long} here; \`cosigner-sim ${command} --help\` lists what ${command} takes`,
      });
    }
    const own = this.options.map((o) => o.long).filter((l): l is string => l !== undefined);
    const near = closest(long.replace(/^-+/, ''), own.map((l) => l.slice(2)));
    throw new UsageError(`unknown option '${flag}'${near ? `. Did you mean --${near}?` : ''}`, { hint: `run \`cosigner-sim ${command} --help\` for the options` });
  }

  /** Called by commander when the first argument names no command. */
  unknownCommand(): never {
    const name = String(this.args[0]);
    const near = closest(name, COMMANDS);
    throw new UsageError(`unknown command '${name}'${near ? `. Did you mean ${near}?` : ''}`, { hint: `the commands are ${COMMANDS.join(', ')}; run \`cosigner-sim --help\`` });
  }
}

/**
 * Build the commander program: one subcommand per command, each with only the options the table
 * gives it. Actions only resolve options (flags and config, checked before anything starts) and
 * hand them to a plain async function in commands/ (loaded lazily, so `--help` stays fast).
 */
function buildProgram(io: CliIO, colorFlag: boolean, setExit: (code: number) => void): Command {
  const errColors = colorsFor(io.stderr, io.env, colorFlag);
  const output = (name: string) => ({
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    getOutHelpWidth: () => helpWidth(io.stdout),
    getErrHelpWidth: () => helpWidth(io.stderr),
    // Commander's own errors (missing value, bad argument) in our error layout.
    outputError: (str: string, write: (s: string) => void) => {
      const [first = '', ...rest] = str.trim().replace(/^error: /, '').split('\n');
      const suggestion = rest.join(' ').trim();
      write(formatCsimError({ code: 'CSIM_USAGE', message: `${first}${suggestion ? ` ${suggestion}` : ''}`, hint: `run \`cosigner-sim${name ? ` ${name}` : ''} --help\` for the options` }, errColors));
    },
  });

  const program = new CliCommand('cosigner-sim')
    .description('A simulated Fireblocks API Co-signer: send Co-signer requests to your Callback Handler and check its answers.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput(output(''))
    .configureHelp({ sortSubcommands: false })
    .addHelpCommand(false);
  program.addHelpText('after', `${EXAMPLES}${EXIT_CODES}`);

  const command = (name: CommandName, description: string, examples: string): Command => {
    const cmd = program.command(name).description(description).configureOutput(output(name)).addHelpText('after', examples);
    addTableOptions(cmd, name);
    return cmd;
  };
  const configOf = async (cmd: Command) => {
    const { loadConfig } = await import('./config.js');
    const flags = rawFlags(cmd);
    return { flags, config: await loadConfig(io.cwd, flags.values['config'] as string | undefined) };
  };

  command('run', 'run scenario files against the handler', EXAMPLES)
    .argument('[paths...]', 'scenario files or folders', ['scenarios/'])
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const [{ flags, config }, { resolveRunOptions }] = await Promise.all([configOf(cmd), import('./options.js')]);
      const options = resolveRunOptions(cmd.args.length > 0 ? paths : [], flags, config);
      const { runCommand } = await import('./commands/run.js');
      setExit((await runCommand(options, io)).exitCode);
    });

  command('send', 'send one request and show the decision', SEND_EXAMPLES)
    .addArgument(new Argument('<kind>', 'tx: a tx_sign_request; config: a config_change_sign_request').choices(['tx', 'config']))
    .action(async (kind: 'tx' | 'config', _opts: unknown, cmd: Command) => {
      const [{ flags, config }, { resolveSendOptions }] = await Promise.all([configOf(cmd), import('./options.js')]);
      const options = resolveSendOptions(kind, flags, config);
      const { sendCommand } = await import('./commands/send.js');
      setExit((await sendCommand(options, io)).exitCode);
    });

  command('conformance', 'run the built-in conformance and security battery (independent of your policy)', CONFORMANCE_EXAMPLES).action(async (_opts: unknown, cmd: Command) => {
    const [{ flags, config }, { resolveConformanceOptions }] = await Promise.all([configOf(cmd), import('./options.js')]);
    const options = resolveConformanceOptions(flags, config);
    const { conformanceCommand } = await import('./commands/conformance.js');
    setExit((await conformanceCommand(options, io)).exitCode);
  });

  command('load', 'send paced load to the handler (closed loop at --concurrency, open loop at --rate) and report latency per phase, errors by check id and throughput', LOAD_EXAMPLES).action(async (_opts: unknown, cmd: Command) => {
    const [{ flags, config }, { resolveLoadOptions }] = await Promise.all([configOf(cmd), import('./options.js')]);
    const options = resolveLoadOptions(flags, config);
    const { loadCommand } = await import('./commands/load.js');
    setExit((await loadCommand(options, io)).exitCode);
  });

  command('selftest', 'prove the harness can fail: run a zoo of broken handlers and show each is caught', SELFTEST_EXAMPLES).action(async (_opts: unknown, cmd: Command) => {
    const [{ flags, config }, { resolveSelftestOptions }] = await Promise.all([configOf(cmd), import('./options.js')]);
    const options = resolveSelftestOptions(flags, config);
    const { selftestCommand } = await import('./commands/selftest.js');
    setExit(await selftestCommand(options, io));
  });

  command('decode', 'decode a request or response JWT (or JSON body) pasted from logs: what it is, which checks apply, verified with --key', DECODE_EXAMPLES)
    .argument('<input>', 'the JWT or JSON body itself, a file that holds it, or - for stdin')
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const [{ flags, config }, { resolveDecodeOptions }] = await Promise.all([configOf(cmd), import('./options.js')]);
      const options = resolveDecodeOptions(input, flags, config);
      const { decodeCommand } = await import('./commands/decode.js');
      setExit(await decodeCommand(options, io));
    });

  command('doctor', 'check every key, certificate and setting before any request (exit 1 on an error finding)', DOCTOR_EXAMPLES).action(async (_opts: unknown, cmd: Command) => {
    const [{ flags, config }, { resolveDoctorOptions, doctorCommand }] = await Promise.all([configOf(cmd), import('./commands/doctor.js')]);
    setExit(await doctorCommand(resolveDoctorOptions(flags, config), io));
  });

  command('profiles', 'list the Co-signer version profiles (--profile): options, RETRY, signerId, wire and config types of each, with marks and sources', PROFILES_EXAMPLES).action(async (_opts: unknown, cmd: Command) => {
    const flags = rawFlags(cmd);
    if (flags.typed('config')) throw new UsageError('profiles reads no config file: it lists what cosigner-sim knows of each Co-signer version', { field: 'config', hint: 'drop --config' });
    const [{ Inputs }, { profilesCommand }] = await Promise.all([import('./options.js'), import('./commands/profiles.js')]);
    setExit(await profilesCommand({ reporters: new Inputs('profiles', flags, undefined).read('reporter') }, io));
  });

  command('init', 'write a working kit, a config file, starter scenarios and a .gitignore, and say what to give the real Co-signer', INIT_EXAMPLES)
    .argument('[dir]', 'the folder to write into', '.')
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      const { resolveInitOptions } = await import('./options.js');
      const options = resolveInitOptions(dir, rawFlags(cmd));
      const { initCommand } = await import('./commands/init.js');
      setExit(await initCommand(options, io));
    });

  return program;
}

/** The closing line of a bug report: what to do, and the versions a maintainer asks first. */
export const INTERNAL_ERROR_LINE = '[cosigner-sim] internal error: this is a bug, please report it with the lines above';

/** A fault of ours (an InternalError or anything that is not a CsimError): the stack, its causes, and a request to report it. */
function formatInternalError(e: unknown, colors: ReturnType<typeof colorsFor>): string {
  const lines: string[] = [];
  let current: unknown = e;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    lines.push(depth === 0 ? text : `caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  lines.push(colors.red(`${INTERNAL_ERROR_LINE} (cosigner-sim ${packageVersion()}, Node ${process.version})`));
  return `${lines.join('\n')}\n`;
}

/**
 * Run the command line and return the exit code; never calls process.exit(). The one top-level
 * catch: a CsimError prints `code  message` and its hint (exit 2); an InternalError or anything
 * else is a bug in us and prints its stack and a line asking to report it (exit 2).
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const colorFlag = !argv.includes('--no-color');
  const errColors = colorsFor(io.stderr, io.env, colorFlag);
  let exitCode: number = EXIT.ok;
  try {
    const program = buildProgram(io, colorFlag, (code) => {
      exitCode = code;
    });
    if (argv.length === 0) {
      io.stderr.write(
        formatCsimError(
          { code: 'CSIM_USAGE', message: `no command given: cosigner-sim <command>, one of ${COMMANDS.join(', ')}`, hint: 'try `cosigner-sim run scenarios/`, or `cosigner-sim --help` for the options' },
          errColors,
        ),
      );
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; every parse error has been printed.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isCsimError(e) && e.code !== 'CSIM_INTERNAL') {
      io.stderr.write(formatCsimError(e, errColors));
      return EXIT.usage;
    }
    io.stderr.write(formatInternalError(e, errColors));
    return EXIT.usage;
  }
}
