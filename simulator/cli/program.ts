import { Argument, Command, CommanderError, Option } from 'commander';
import { isCsimError } from '../errors.js';
import { colorsFor, packageVersion, processIO, type CliIO, type Sink } from './io.js';
import type { RawFlags } from './options.js';

/** Exit codes: 0 every scenario passed, 1 one failed, 2 nothing trustworthy ran. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

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

const EXIT_CODES = `
Exit codes: 0 every scenario passed · 1 a scenario failed (a TLS or connection failure is a handler
failure; with --strict a warning too) · 2 nothing trustworthy ran (usage, scenario, config, key or
certificate error, nothing selected, internal error).
`;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Options of both commands: defined on the program, so they work before or after the command name. */
function addCommonOptions(program: Command): void {
  program
    .option('--url <base>', 'handler base URL, without /v2 (default: embedded reference handler)')
    .addOption(new Option('--option <n>', 'security option 1-5, or "all" (embedded handler only)').default('1', '1'))
    .option('--kit <dir>', 'kit folder with every key and certificate (default: a fresh one)')
    .option('--cosigner-key <pem>', "the Co-signer's private key (options 1, 4, 5)")
    .option('--handler-public-key <pem>', "the handler's RSA-2048 public key (options 1, 4, 5)")
    .option('--pinned-cert <pem>', 'the certificate to pin (options 2, 4)')
    .option('--ca <pem>', 'the Root CA (options 3, 5); an extra trusted CA for option 1')
    .option('--no-check-hostname', "don't match the certificate's names to the URL (options 3, 5)")
    .option('--content-type <type>', 'text/plain (default), application/jwt, application/json or none')
    .addOption(new Option('--timeout <duration>', 'per exchange: 500ms, 2s, 1m; a bare number means ms').default('30s', '30s'))
    .option('--seed <n>', 'seed for IDs and payloads (default: random, printed in the summary)')
    .option('--config <file>', 'config file (default: cosigner-sim.config.{json,yaml,mjs} if present)')
    .addOption(new Option('--reporter <name[:file]>', 'pretty, json, junit, github; repeatable; one may omit :file').argParser(collect).default([], 'pretty'))
    .option('--strict', 'warnings fail the run')
    .option('--show-secrets', 'print raw bodies, keys and signatures (redacted by default)')
    .option('--no-color', 'no colours (also off with NO_COLOR or when not a terminal)');
}

/** Commander's values plus which ones the user typed (config-file values fill in the rest). */
function rawFlags(cmd: Command): RawFlags {
  return {
    values: cmd.optsWithGlobals(),
    typed: (key) => cmd.getOptionValueSourceWithGlobals(key) === 'cli',
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
 * Build the commander program. Commands only parse and hand typed options to a plain async
 * function in commands/ (loaded lazily, so `--help` stays fast).
 */
function buildProgram(io: CliIO, colorFlag: boolean, setExit: (code: number) => void): Command {
  const errColors = colorsFor(io.stderr, io.env, colorFlag);
  const output = (name: string) => ({
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    getOutHelpWidth: () => helpWidth(io.stdout),
    getErrHelpWidth: () => helpWidth(io.stderr),
    // Commander's own errors (unknown flag, missing value, bad command) in our error layout.
    outputError: (str: string, write: (s: string) => void) => {
      const [first = '', ...rest] = str.trim().replace(/^error: /, '').split('\n');
      const suggestion = rest.join(' ').trim();
      write(formatCsimError({ code: 'CSIM_USAGE', message: `${first}${suggestion ? ` ${suggestion}` : ''}`, hint: `run \`cosigner-sim${name ? ` ${name}` : ''} --help\` for the options` }, errColors));
    },
  });

  const program = new Command('cosigner-sim')
    .description('A simulated Fireblocks API Co-signer: send Co-signer requests to your Callback Handler and check its answers.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput(output(''))
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpCommand(false);
  addCommonOptions(program);
  program.addHelpText('after', `${EXAMPLES}${EXIT_CODES}`);

  program
    .command('run')
    .description('run scenario files against the handler')
    .argument('[paths...]', 'scenario files or folders', ['scenarios/'])
    .option('--grep <text>', 'only scenarios whose name contains <text> (or matches /regex/)')
    .option('--tag <name>', 'only scenarios with this tag (a,b: either)')
    .option('--bail', 'stop after the first failed scenario')
    .addOption(new Option('--concurrency <n>', 'scenarios in flight at once').default('1', '1'))
    .configureOutput(output('run'))
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const [{ loadConfig }, { resolveRunOptions }] = await Promise.all([import('./config.js'), import('./options.js')]);
      const flags = rawFlags(cmd);
      const config = await loadConfig(io.cwd, flags.values['config'] as string | undefined);
      const options = resolveRunOptions(cmd.args.length > 0 ? paths : [], flags, config);
      const { runCommand } = await import('./commands/run.js');
      setExit((await runCommand(options, io)).exitCode);
    });

  program
    .command('send')
    .description('send one request and show the decision')
    .addArgument(new Argument('<kind>', 'tx: a tx_sign_request; config: a config_change_sign_request').choices(['tx', 'config']))
    .addOption(new Option('--stage <stage>', 'tx only: approval or signing (config requests are approvals)').default('signing', 'signing'))
    .option('--type <type>', 'config only: the configuration change type (default: UNMANAGED_WALLET)')
    .addOption(new Option('--set <path=value>', 'deep override, value read as JSON else as a string; repeatable').argParser(collect))
    .addOption(new Option('--unset <path>', 'delete a payload field; repeatable').argParser(collect))
    .option('--batched', 'tx only: a batched request (requestId carries a suffix txId lacks)')
    .configureOutput(output('send'))
    .addHelpText('after', SEND_EXAMPLES)
    .action(async (kind: 'tx' | 'config', _opts: unknown, cmd: Command) => {
      const [{ loadConfig }, { resolveSendOptions }] = await Promise.all([import('./config.js'), import('./options.js')]);
      const flags = rawFlags(cmd);
      const config = await loadConfig(io.cwd, flags.values['config'] as string | undefined);
      const options = resolveSendOptions(kind, flags, config);
      const { sendCommand } = await import('./commands/send.js');
      setExit((await sendCommand(options, io)).exitCode);
    });

  program
    .command('conformance')
    .description('run the built-in conformance and security battery (independent of your policy)')
    .addOption(new Option('--skip <id>', 'leave out a probe or a group (e.g. robustness/huge-body); repeatable').argParser(collect))
    .option('--slow-fraction <n>', 'warn when latency passes this fraction of the deadline (default 0.5)')
    .configureOutput(output('conformance'))
    .addHelpText('after', CONFORMANCE_EXAMPLES)
    .action(async (_opts: unknown, cmd: Command) => {
      const [{ loadConfig }, { resolveConformanceOptions }] = await Promise.all([import('./config.js'), import('./options.js')]);
      const flags = rawFlags(cmd);
      const config = await loadConfig(io.cwd, flags.values['config'] as string | undefined);
      const options = resolveConformanceOptions(flags, config);
      const { conformanceCommand } = await import('./commands/conformance.js');
      setExit((await conformanceCommand(options, io)).exitCode);
    });

  program
    .command('selftest')
    .description('prove the harness can fail: run a zoo of broken handlers and show each is caught')
    .option('--all-options', 'run every battery defect under every option it applies to (slower)')
    .configureOutput(output('selftest'))
    .action(async (opts: { allOptions?: boolean }) => {
      const { selftestCommand } = await import('./commands/selftest.js');
      setExit(await selftestCommand({ allOptions: opts.allOptions === true }, io));
    });

  return program;
}

/**
 * Run the command line and return the exit code; never calls process.exit(). The one top-level
 * catch: a CsimError prints `code  message` and its hint (exit 2); anything else is a bug in us
 * and prints the stack (exit 2).
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
          { code: 'CSIM_USAGE', message: 'no command given: cosigner-sim run [paths...] | send tx|config | conformance | selftest', hint: 'try `cosigner-sim run scenarios/`, or `cosigner-sim --help` for the options' },
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
    if (isCsimError(e)) {
      io.stderr.write(formatCsimError(e, errColors));
      return EXIT.usage;
    }
    io.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    io.stderr.write(`${errColors.red('[cosigner-sim] internal error: this is a bug, please report it with the lines above')}\n`);
    return EXIT.usage;
  }
}
