/**
 * Every command-line option, declared once. program.ts builds each command's commander options
 * from this table, config.ts reads and places the config-file keys by it, options.ts validates
 * values by their kind, and schema/config.schema.json is generated from it (a test holds the
 * committed file equal to {@link configSchema}). A new command (`load`, `init`, `doctor`,
 * `decode`) is a new name in COMMANDS plus its rows; nothing else lists flags.
 *
 * Kept free of I/O and of heavy imports: `--help` and every usage error go through it.
 */
import { ENDPOINT_SCOPES, PROBE_GROUPS, PROBE_IDS } from '../conformance/table.js';
import type { RequestContentType } from '../client/cosigner.js';
import { OPTIONAL_FIELDS_MODES } from '../protocol/context.js';
import { CONFIG_CHANGE_TYPES } from '../protocol/types.js';
import { PROFILE_CONFIG_TYPES } from '../protocol/profiles.js';
import { WARNING_IDS } from '../checks/warnings.js';
import { DURATION_PATTERN } from '../lib/duration.js';

/** The commands, in help order. Each one but FLAG_ONLY_COMMANDS is also an optional section of the config file. */
export const COMMANDS = ['run', 'send', 'conformance', 'load', 'selftest', 'decode', 'doctor', 'init', 'profiles'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The reporters, by name. */
export const REPORTER_NAMES = ['pretty', 'json', 'junit', 'github', 'ctrf'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/**
 * The request Content-Types, as client/cosigner.ts defines them. Listed here rather than imported
 * so that parsing flags does not load the HTTP client (undici, jose): usage errors and --help stay
 * fast. The two types below fail to compile if the lists drift apart.
 */
export const CONTENT_TYPES = ['text/plain', 'application/jwt', 'application/json', 'none'] as const satisfies readonly RequestContentType[];
export type MissingContentTypes = Exclude<RequestContentType, (typeof CONTENT_TYPES)[number]>;
export const CONTENT_TYPES_COMPLETE: MissingContentTypes extends never ? true : never = true;

export const STAGES = ['approval', 'signing'] as const;

/** What `--accept-warning` takes: an exchange warning id, or a conformance probe id (its warnings carry it). */
export const ACCEPTABLE_WARNING_IDS: readonly string[] = [...WARNING_IDS, ...PROBE_IDS];

/** What a value is: decides the commander arity, the reader in options.ts and the JSON Schema. */
export type OptionKind =
  /** A non-empty string. */
  | { type: 'string' }
  /** A file or folder; in a config file, relative to the config file. */
  | { type: 'path' }
  | { type: 'boolean' }
  /** 500ms, 2s, 1m, always with a unit (lib/duration.ts); more than 0. */
  | { type: 'duration' }
  /** A whole number of at least `min`. */
  | { type: 'integer'; min: number }
  /** A number above 0 (from 0 with `zero`) and at most 1. */
  | { type: 'fraction'; zero?: boolean }
  | { type: 'enum'; values: readonly string[] }
  /** 1-5 or `all`. */
  | { type: 'security-option' }
  /** An integer, or any word (hashed to one). */
  | { type: 'seed' }
  /** `name` or `name:file`, repeatable. */
  | { type: 'reporters' }
  /**
   * A repeatable string: the flag may be given several times, the config key holds a string or a
   * list. `values` closes the set (with did-you-mean); `item` says what each one is.
   */
  | { type: 'list'; item: 'text' | 'path' | 'payload-path'; values?: readonly string[] }
  /** `--set path=value`, repeatable; in a config file also a mapping of path to value. */
  | { type: 'overrides' };

export interface OptionSpec {
  /** camelCase: commander's attribute name, the config-file key, the field of the typed options. */
  readonly key: string;
  /** Commander's flags string (`--url <base>`, `--no-color`); absent for config-file-only keys. */
  readonly flag?: string;
  readonly kind: OptionKind;
  /** Commander's default (what an untyped flag holds) and how help shows it. */
  readonly default?: { readonly value: string | boolean | readonly string[]; readonly shown: string };
  /** The commands that read it; every other command refuses it (flag and config key). */
  readonly commands: readonly CommandName[];
  readonly help: string;
  /** A command's own wording where the shared one would mislead it (`doctor` starts no handler). */
  readonly helpFor?: Partial<Record<CommandName, string>>;
  /** False for flags that cannot be set in the config file (`--config` itself). */
  readonly config: boolean;
  /** A valid value, as a config file would write it (docs, schema examples, tests). */
  readonly example: unknown;
  /** Commands for which the flag must be typed: no default applies there (`init --option`). */
  readonly requiredBy?: readonly CommandName[];
  /**
   * Shapes the requests of the commands that read it (`set`, `base`): in a config file only in
   * their sections, never at the top, where a command that does not read it would pass over it.
   */
  readonly sectionOnly?: boolean;
}

/** The commands that talk to a handler and report on it. */
const TARGET: readonly CommandName[] = ['run', 'send', 'conformance', 'load'];
const ALL: readonly CommandName[] = COMMANDS;
/** The target commands' settings that `doctor` checks without talking to the handler beyond one TLS handshake. */
/**
 * Commands that judge warnings (`--strict`, `--accept-warning`) and print exchanges (`--verbose`).
 * `load` counts failed checks only and prints figures, never an exchange, so it refuses them
 * rather than take them and do nothing.
 */
const JUDGED: readonly CommandName[] = ['run', 'send', 'conformance'];
const CHECKED: readonly CommandName[] = [...TARGET, 'doctor'];

/** The table. Order is help order within each command. */
export const OPTION_SPECS = [
  { key: 'url', flag: '--url <base>', kind: { type: 'string' }, commands: CHECKED, config: true, example: 'https://handler.example.com/cb', helpFor: { doctor: 'handler base URL to check, and to shake hands with once (no request is sent)' }, help: 'handler base URL, without /v2 (default: embedded reference handler)' },
  { key: 'option', flag: '--option <n>', kind: { type: 'security-option' }, default: { value: '1', shown: '1' }, commands: [...CHECKED, 'init'], requiredBy: ['init'], config: true, example: 4, helpFor: { doctor: 'the security option 1-5 the setup is for', load: 'security option 1-5 (one per load run)', init: 'the security option 1-5 your handler serves: it decides what you give the real Co-signer' }, help: 'security option 1-5, or "all" (embedded handler only)' },
  { key: 'kit', flag: '--kit <dir>', kind: { type: 'path' }, commands: CHECKED, config: true, example: 'keys/', helpFor: { doctor: 'kit folder whose every file is checked' }, help: 'kit folder with every key and certificate (default: a fresh one)' },
  { key: 'cosignerKey', flag: '--cosigner-key <pem>', kind: { type: 'list', item: 'path' }, commands: CHECKED, config: true, example: ['keys/cosigner-private.pem', 'keys/cosigner-2-private.pem'], helpFor: { doctor: "the Co-signer's private key (options 1, 4, 5)" }, help: "the Co-signer's private key (options 1, 4, 5); repeatable: Co-signer 1, 2, ... in order, replacing the kit's" },
  { key: 'handlerPublicKey', flag: '--handler-public-key <pem>', kind: { type: 'path' }, commands: CHECKED, config: true, example: 'keys/handler-public.pem', help: "the handler's RSA-2048 public key (options 1, 4, 5)" },
  { key: 'pinnedCert', flag: '--pinned-cert <pem>', kind: { type: 'path' }, commands: CHECKED, config: true, example: 'keys/pinned-cert.pem', help: 'the certificate to pin (options 2, 4)' },
  { key: 'ca', flag: '--ca <pem>', kind: { type: 'path' }, commands: CHECKED, config: true, example: 'keys/root-ca-cert.pem', help: 'the Root CA (options 3, 5); an extra trusted CA for option 1' },
  { key: 'checkHostname', flag: '--no-check-hostname', kind: { type: 'boolean' }, commands: CHECKED, config: true, example: false, help: "don't match the certificate's names to the URL (options 3, 5)" },
  { key: 'contentType', flag: '--content-type <type>', kind: { type: 'enum', values: CONTENT_TYPES }, commands: TARGET, config: true, example: 'application/jwt', help: 'text/plain (default), application/jwt, application/json or none' },
  { key: 'timeout', flag: '--timeout <duration>', kind: { type: 'duration' }, default: { value: '30s', shown: '30s' }, commands: CHECKED, config: true, example: '5s', helpFor: { doctor: 'deadline of the one TLS handshake' }, help: 'how long to wait per exchange: 500ms, 2s, 1m (a unit is required); an answer after 30s fails deadline whatever this says' },
  { key: 'profile', flag: '--profile <platform@version>', kind: { type: 'string' }, default: { value: 'latest', shown: 'latest' }, commands: TARGET, config: true, example: 'sgx@3.7.1', help: 'the Co-signer version to simulate (latest, sgx@3.5.0, nitro@2025.12.11, ...): its options, legal answers, payload fields and config types; cosigner-sim profiles lists them' },
  { key: 'seed', flag: '--seed <n>', kind: { type: 'seed' }, commands: TARGET, config: true, example: 42, help: 'seed for IDs and payloads (default: random, printed in the summary)' },
  // init takes the flag only to refuse it with a message that says why (it writes the config file).
  { key: 'config', flag: '--config <file>', kind: { type: 'path' }, commands: ALL, config: false, helpFor: { init: 'refused: init writes cosigner-sim.config.yaml and reads none', profiles: 'refused: profiles lists what cosigner-sim knows and reads no config' }, example: 'cosigner-sim.config.yaml', help: 'config file (default: cosigner-sim.config.{json,yaml,mjs} if present)' },
  { key: 'reporter', flag: '--reporter <name[:file]>', kind: { type: 'reporters' }, default: { value: [], shown: 'pretty' }, commands: [...CHECKED, 'decode', 'selftest', 'profiles'], config: true, example: ['pretty', 'junit:reports/cosigner.xml'], helpFor: { profiles: 'pretty (default) or json, on stdout', doctor: 'pretty or json; repeatable; one may omit :file', load: 'pretty, json or github; repeatable; one may omit :file' }, help: 'pretty, json, junit, github, ctrf; repeatable; one may omit :file' },
  { key: 'strict', flag: '--strict', kind: { type: 'boolean' }, commands: [...JUDGED, 'doctor'], config: true, example: true, helpFor: { doctor: 'warnings are exit 1 too' }, help: 'warnings fail the run' },
  { key: 'acceptWarning', flag: '--accept-warning <id>', kind: { type: 'list', item: 'text', values: ACCEPTABLE_WARNING_IDS }, commands: JUDGED, config: true, example: ['plain-http'], help: 'with --strict, this warning id does not fail the run; repeatable' },
  { key: 'showSecrets', flag: '--show-secrets', kind: { type: 'boolean' }, commands: [...TARGET, 'decode'], config: true, example: false, help: 'print raw bodies, keys and signatures (redacted by default)' },
  { key: 'color', flag: '--no-color', kind: { type: 'boolean' }, commands: [...CHECKED, 'decode'], config: true, example: false, help: 'no colours (also off with NO_COLOR or when not a terminal)' },
  { key: 'verbose', flag: '--verbose', kind: { type: 'boolean' }, commands: JUDGED, config: true, example: true, help: 'pretty: the full exchange (headers, whole payload, response) under every scenario' },
  { key: 'start', flag: '--start <command>', kind: { type: 'string' }, commands: TARGET, config: true, example: 'npm start', help: 'start your handler with this shell command (kit in COSIGNER_SIM_*, port in PORT), wait for --url, stop it after; needs --url' },
  { key: 'readyTimeout', flag: '--ready-timeout <duration>', kind: { type: 'duration' }, default: { value: '30s', shown: '30s' }, commands: TARGET, config: true, example: '60s', help: 'with --start or --image: how long the handler may take to accept a TLS connection' },
  { key: 'image', flag: '--image <name[:tag]>', kind: { type: 'string' }, commands: TARGET, config: true, example: 'my-handler:dev', help: 'run your handler\'s Docker image (kit mounted read-only, COSIGNER_SIM_* set), wait for it, remove it after; needs --port' },
  { key: 'port', flag: '--port <n>', kind: { type: 'integer', min: 1 }, commands: TARGET, config: true, example: 8443, help: 'with --image: the port the handler listens on inside the container' },
  { key: 'mountKeys', flag: '--mount-keys <dir>', kind: { type: 'string' }, default: { value: '/kit', shown: '/kit' }, commands: TARGET, config: true, example: '/run/secrets/cosigner-sim', help: 'with --image: where the kit is mounted in the container (COSIGNER_SIM_* paths point there)' },
  { key: 'network', flag: '--network <mode>', kind: { type: 'enum', values: ['bridge', 'host'] }, default: { value: 'bridge', shown: 'bridge' }, commands: TARGET, config: true, example: 'host', help: "with --image: bridge (--port mapped to a free host port) or host (the host's network; PORT says which port to bind)" },
  { key: 'env', flag: '--env <KEY=VALUE>', kind: { type: 'list', item: 'text' }, commands: TARGET, config: true, example: ['LOG_LEVEL=debug'], help: 'with --start or --image: an extra variable for the handler; repeatable' },
  { key: 'readyPath', flag: '--ready-path <path>', kind: { type: 'string' }, commands: TARGET, config: true, example: '/healthz', help: 'with --start: ready once GET <path> gets any HTTP answer over the option\'s TLS (after the handshake)' },
  { key: 'cwd', flag: '--cwd <dir>', kind: { type: 'path' }, commands: TARGET, config: true, example: 'handler/', help: 'with --start: the folder the command runs in (default: the current one)' },
  { key: 'keepKit', flag: '--keep-kit', kind: { type: 'boolean' }, commands: TARGET, config: true, example: true, help: 'with --start: keep the generated kit folder (its path is printed) instead of deleting it at exit' },
  { key: 'marker', flag: '--marker <text>', kind: { type: 'string' }, commands: TARGET, config: true, example: 'smoke-ci', help: 'put <text> into externalTxId and note of every tx request, to tell smoke traffic apart in the handler\'s logs' },
  { key: 'proxy', flag: '--proxy <url>', kind: { type: 'string' }, commands: TARGET, config: true, example: 'http://proxy.internal:3128', help: 'send through this HTTP CONNECT proxy (default: HTTPS_PROXY; NO_PROXY honoured); TLS verification unchanged' },
  { key: 'dryRun', flag: '--dry-run', kind: { type: 'boolean' }, commands: ['run', 'send'], config: true, example: true, help: 'print what would be sent (redacted) and the most requests a run sends; send nothing, start nothing' },
  { key: 'handler', flag: '--handler <module>', kind: { type: 'path' }, commands: TARGET, config: true, example: 'handler.mjs', help: "your handler as a module exporting createHandler(kit), served in a worker thread over the option's TLS; scenarios may mock its outbound calls (upstream:)" },

  { key: 'paths', kind: { type: 'list', item: 'path' }, commands: ['run'], config: true, example: ['scenarios/'], help: 'scenario files or folders (the [paths...] argument)' },
  { key: 'grep', flag: '--grep <text>', kind: { type: 'string' }, commands: ['run'], config: true, example: 'transfer', help: 'only scenarios whose name contains <text> (or matches /regex/)' },
  { key: 'tag', flag: '--tag <name>', kind: { type: 'string' }, commands: ['run'], config: true, example: 'smoke', help: 'only scenarios with this tag (a,b: either)' },
  { key: 'bail', flag: '--bail', kind: { type: 'boolean' }, commands: ['run'], config: true, example: true, help: 'stop after the first failed scenario' },
  { key: 'concurrency', flag: '--concurrency <n>', kind: { type: 'integer', min: 1 }, default: { value: '1', shown: '1' }, commands: ['run', 'load'], sectionOnly: true, config: true, example: 4, helpFor: { load: 'closed loop: keep exactly n requests in flight (the default, at 1, unless --rate is given)' }, help: 'scenarios in flight at once' },

  { key: 'rate', flag: '--rate <n/s>', kind: { type: 'string' }, commands: ['load'], config: true, example: '50/s', help: 'open loop: start requests at this rate (50/s, 600/m) whatever the answers do; latency counts from each scheduled start' },
  { key: 'duration', flag: '--duration <duration>', kind: { type: 'duration' }, commands: ['load'], config: true, example: '30s', help: 'measure for this long (at most 1h); give this or --requests' },
  { key: 'requests', flag: '--requests <n>', kind: { type: 'integer', min: 1 }, commands: ['load'], config: true, example: 5000, help: 'measure this many requests (at most 1000000); give this or --duration' },
  { key: 'mix', flag: '--mix <kind:weight,...>', kind: { type: 'string' }, default: { value: 'tx', shown: 'tx' }, commands: ['load'], config: true, example: 'tx.approval:3,tx.signing:6,config:1', help: 'the request kinds and their weights: tx.approval, tx.signing, config; tx alone is both stages equally; or the preset cosigner-burst (3 Co-signers, bursts of 8 each every 1 s, RETRY re-sent: see the README)' },
  { key: 'reuseConnections', flag: '--reuse-connections', kind: { type: 'boolean' }, commands: ['load'], config: true, example: true, help: 'send over kept-alive connections (each new one verified) instead of a fresh TLS handshake per request; the report shows handshakes per request' },
  { key: 'warmup', flag: '--warmup <duration>', kind: { type: 'duration' }, commands: ['load'], config: true, example: '5s', help: 'send for this long first, judged but left out of every figure' },
  { key: 'maxErrorRate', flag: '--max-error-rate <n>', kind: { type: 'fraction', zero: true }, default: { value: '0', shown: '0' }, commands: ['load'], config: true, example: 0.01, help: 'exit 1 when failed (and dropped) requests over all of them pass this fraction (0: one failure fails)' },
  { key: 'maxInFlight', flag: '--max-in-flight <n>', kind: { type: 'integer', min: 1 }, default: { value: '256', shown: '256' }, commands: ['load'], config: true, example: 64, help: 'open loop: requests in flight at most; one due beyond it is dropped, and fails the run' },
  { key: 'histogramOut', flag: '--histogram-out <file>', kind: { type: 'path' }, commands: ['load'], config: true, example: 'load-histograms.json', help: 'write the histograms (percentiles and bucket counts per phase) to this JSON file, to compare runs' },

  { key: 'stage', flag: '--stage <stage>', kind: { type: 'enum', values: STAGES }, default: { value: 'signing', shown: 'signing' }, commands: ['send'], config: true, example: 'approval', help: 'tx only: approval or signing (config requests are approvals)' },
  { key: 'type', flag: '--type <type>', kind: { type: 'string' }, commands: ['send'], config: true, example: 'ADD_USER', help: `config only: the configuration change type (default: UNMANAGED_WALLET): ${CONFIG_CHANGE_TYPES.join(', ')}; newer Co-signers (--profile) also ${PROFILE_CONFIG_TYPES.map((t) => t.type).join(', ')}` },
  { key: 'set', flag: '--set <path=value>', kind: { type: 'overrides' }, commands: ['send', 'conformance'], sectionOnly: true, config: true, example: { amount: 250000 }, helpFor: { conformance: "a field of the base tx request every probe starts from (e.g. note=ticket-42), converted to the field's wire type; repeatable" }, help: "deep override, value converted to the field's wire type (amountStr=250000 sends \"250000\"); repeatable" },
  { key: 'base', flag: '--base <file[#name]>', kind: { type: 'list', item: 'path' }, commands: ['send', 'conformance', 'load'], sectionOnly: true, config: true, example: ['scenarios/approve.yaml#small transfer'], helpFor: { load: 'the one-request scenarios (at most one tx and one config) whose payload and type every request starts from; the --mix decides the stage; repeatable', conformance: 'a one-request scenario whose payload, stage and type every probe starts from; at most one tx and one config; repeatable' }, help: 'start from the payload, stage and type of this one-request scenario (#name picks one of the file)' },
  { key: 'unset', flag: '--unset <path>', kind: { type: 'list', item: 'payload-path' }, commands: ['send'], config: true, example: ['signerId'], help: 'delete a payload field; repeatable' },
  { key: 'cosigner', flag: '--cosigner <n>', kind: { type: 'integer', min: 1 }, commands: ['send'], config: true, example: 2, help: "send as Co-signer n (default 1): its key signs, its signerId is sent; the kit's cosigner-<n>-private.pem or the nth --cosigner-key" },
  { key: 'batched', flag: '--batched', kind: { type: 'boolean' }, commands: ['send'], config: true, example: true, help: 'tx only: a batched request (requestId carries a suffix txId lacks)' },

  { key: 'skip', flag: '--skip <id>', kind: { type: 'list', item: 'text', values: [...PROBE_IDS, ...PROBE_GROUPS] }, commands: ['conformance'], config: true, example: ['robustness/huge-body'], help: 'leave out a probe or a group (e.g. robustness/huge-body); repeatable' },
  { key: 'endpoints', flag: '--endpoints <scope>', kind: { type: 'enum', values: ENDPOINT_SCOPES }, default: { value: 'both', shown: 'both' }, commands: ['conformance'], config: true, example: 'tx', help: 'the routes the handler serves: tx, config or both; probes of the other are skipped' },
  { key: 'expectFail', flag: '--expect-fail <id>', kind: { type: 'list', item: 'text', values: PROBE_IDS }, commands: ['conformance'], config: false, example: ['tls/legacy-version'], help: 'a known failure: reported, does not fail the run; fails if it passes; repeatable (config: knownFailures)' },
  { key: 'knownFailures', kind: { type: 'list', item: 'text', values: PROBE_IDS }, commands: ['conformance'], config: true, example: ['robustness/huge-body'], help: 'probe ids expected to fail (--expect-fail in the file)' },
  { key: 'batteryConcurrency', flag: '--battery-concurrency <n>', kind: { type: 'integer', min: 1 }, default: { value: '8', shown: '8' }, commands: ['conformance'], config: true, example: 1, help: 'requests in flight at most (1: one at a time, for rate-limited staging); idempotency probes run alone' },
  { key: 'slowFraction', flag: '--slow-fraction <n>', kind: { type: 'fraction' }, default: { value: '0.5', shown: '0.5' }, commands: ['conformance'], config: true, example: 0.25, help: 'warn when latency passes this fraction of the deadline' },

  { key: 'optionalFields', flag: '--optional-fields <mode>', kind: { type: 'enum', values: OPTIONAL_FIELDS_MODES }, default: { value: 'all', shown: 'all' }, commands: TARGET, config: true, example: 'random', help: 'optional fields (externalTxId, players, dstAddress, dstWalletId): all, none, or random per seed' },
  { key: 'setJson', flag: '--set-json <path=json>', kind: { type: 'overrides' }, commands: ['send'], config: true, example: { amount: '250000' }, help: 'deep override sent exactly as the JSON is written (no type conversion); repeatable' },
  { key: 'allowUnknownType', flag: '--allow-unknown-type', kind: { type: 'boolean' }, commands: ['send'], config: true, example: true, help: 'config only: send a --type that is not a documented one (e.g. a future type)' },

  { key: 'allOptions', flag: '--all-options', kind: { type: 'boolean' }, commands: ['selftest'], config: true, example: true, help: 'run every battery defect under every option it applies to (slower)' },

  { key: 'key', flag: '--key <pem>', kind: { type: 'path' }, commands: ['decode'], config: false, example: 'keys/cosigner-public.pem', help: 'verify with this PEM, public or private (its public half): the Co-signer key for a request, the handler key for a response' },
  { key: 'request', flag: '--request <jwt>', kind: { type: 'string' }, commands: ['decode'], config: false, example: 'request.jwt', help: 'with a response: the request it answers (a JWT, JSON, a file or -), to judge request-id and the stage' },
  { key: 'saveScenario', flag: '--save-scenario <file>', kind: { type: 'path' }, commands: ['decode'], config: false, example: 'scenarios/replay.yaml', help: 'with a request: write a scenario that replays it byte for byte (body: + resign: true; JSON: payloadMode exact); never overwrites' },
  { key: 'handlerKey', flag: '--handler-key <pem>', kind: { type: 'path' }, commands: ['doctor', 'init'], config: true, example: 'keys/handler-private.pem', helpFor: { init: 'reuse this RSA-2048 handler private key instead of generating one' }, help: "the handler's private key, checked against --handler-public-key (read locally, never sent)" },
  { key: 'keysOnly', flag: '--keys-only', kind: { type: 'boolean' }, commands: ['init'], config: false, example: true, help: 'write only the kit (keys/), no config, scenarios or .gitignore' },
  { key: 'host', flag: '--host <name>', kind: { type: 'list', item: 'text' }, commands: ['init'], config: false, example: ['handler.internal'], help: 'a DNS name or IP the handler certificates also cover (besides localhost and 127.0.0.1); repeatable' },
  { key: 'force', flag: '--force', kind: { type: 'boolean' }, commands: ['init'], config: false, example: true, help: 'overwrite files that already exist' },
] as const satisfies readonly OptionSpec[];

export type OptionKey = (typeof OPTION_SPECS)[number]['key'];

/** The table as plain rows (the `as const` above keeps the keys as a union). */
export const SPECS: readonly OptionSpec[] = OPTION_SPECS;
const BY_KEY = new Map<string, OptionSpec>(SPECS.map((s) => [s.key, s]));

/** The row of a key. */
export function optionSpec(key: OptionKey): OptionSpec {
  return BY_KEY.get(key)!;
}

/** The row of a key, if it is one. */
export function findOptionSpec(key: string): OptionSpec | undefined {
  return BY_KEY.get(key);
}

/** The rows a command reads, in table order. */
export function specsOf(command: CommandName): OptionSpec[] {
  return SPECS.filter((s) => s.commands.includes(command));
}

/** The long flag of a row (`--no-check-hostname`), or its config key for config-only rows. */
export function flagName(spec: OptionSpec): string {
  return spec.flag?.split(/[ ,]/)[0] ?? spec.key;
}

/** The row whose long flag is `flag` (`--skip`), also when given as `--skip=x`. */
export function specOfFlag(flag: string): OptionSpec | undefined {
  const long = flag.split('=')[0];
  return SPECS.find((s) => s.flag !== undefined && flagName(s) === long);
}

/** Commands that read no config file (`init` writes one): their rows are flags only there, and the file has no section for them. */
export const FLAG_ONLY_COMMANDS: readonly CommandName[] = ['init', 'profiles'];

/** The commands that are also a section of the config file. */
export const CONFIG_SECTIONS: readonly CommandName[] = COMMANDS.filter((c) => !FLAG_ONLY_COMMANDS.includes(c));

/** The commands that read a row from the config file (none for a flag-only row). */
export function configReaders(spec: OptionSpec): CommandName[] {
  return spec.config ? spec.commands.filter((c) => !FLAG_ONLY_COMMANDS.includes(c)) : [];
}

/**
 * Read by more than one command, so it may stand at the top of the config file (every command
 * that reads it takes it from there, the others pass over it). A key only one command reads
 * belongs in that command's section.
 */
export function isShared(spec: OptionSpec): boolean {
  return spec.sectionOnly !== true && (spec.config ? configReaders(spec) : spec.commands).length > 1;
}

/** `run, send and conformance` */
export function listCommands(commands: readonly string[]): string {
  return commands.length <= 1 ? (commands[0] ?? '') : `${commands.slice(0, -1).join(', ')} and ${commands[commands.length - 1]}`;
}

type JsonSchema = Record<string, unknown>;

const NON_EMPTY: JsonSchema = { type: 'string', minLength: 1 };
const DIGITS = '^\\s*\\d+\\s*$';

function kindSchema(kind: OptionKind): JsonSchema {
  switch (kind.type) {
    case 'string':
    case 'path':
      return NON_EMPTY;
    case 'boolean':
      return { type: 'boolean' };
    case 'duration':
      // A string with its unit: a bare number (`timeout: 30`) is refused, as on the command line.
      return { type: 'string', pattern: DURATION_PATTERN };
    case 'integer':
      return { anyOf: [{ type: 'integer', minimum: kind.min }, { type: 'string', pattern: DIGITS }] };
    case 'fraction':
      return kind.zero === true ? { type: 'number', minimum: 0, maximum: 1 } : { type: 'number', exclusiveMinimum: 0, maximum: 1 };
    case 'enum':
      return { enum: [...kind.values] };
    case 'security-option':
      return { enum: [1, 2, 3, 4, 5, '1', '2', '3', '4', '5', 'all'] };
    case 'seed':
      return { anyOf: [{ type: 'integer' }, NON_EMPTY] };
    case 'reporters': {
      const one = { type: 'string', pattern: `^(${REPORTER_NAMES.join('|')})(:.+)?$` };
      return { anyOf: [one, { type: 'array', items: one }] };
    }
    case 'list': {
      const one = kind.values ? { enum: [...kind.values] } : NON_EMPTY;
      return { anyOf: [one, { type: 'array', items: one }] };
    }
    case 'overrides': {
      const one = { type: 'string', pattern: '^[^=]+=' };
      return { anyOf: [{ type: 'object', description: 'payload path → value' }, one, { type: 'array', items: one }] };
    }
  }
}

function propertySchema(spec: OptionSpec): JsonSchema {
  const flag = spec.flag !== undefined ? `${flagName(spec)}: ` : '';
  // `--no-color` is `color: false` here: say so, since the file has no "no-" keys.
  const negated = spec.flag?.startsWith('--no-') ? `; here \`${spec.key}: false\` (default true)` : '';
  const description = `${flag}${spec.help}${spec.default ? ` (default: ${spec.default.shown})` : ''}${negated}`;
  return { description, ...kindSchema(spec.kind), examples: [spec.example] };
}

/** Where the generated schema is committed, relative to the package root. */
export const CONFIG_SCHEMA_FILE = 'schema/config.schema.json';

/**
 * The JSON Schema of the config file, generated from the table: the keys shared by several
 * commands at the top, one optional section per command with what that command reads. Both
 * levels refuse unknown keys, as the loader does.
 *
 * @example
 * JSON.stringify(configSchema(), null, 2) // the text of schema/config.schema.json
 */
export function configSchema(): JsonSchema {
  const configurable = SPECS.filter((s) => s.config);
  const top: Record<string, JsonSchema> = { $schema: { type: 'string', description: 'the schema this file follows (for editors)' } };
  for (const s of configurable.filter(isShared)) top[s.key] = propertySchema(s);
  for (const command of CONFIG_SECTIONS) {
    const properties: Record<string, JsonSchema> = {};
    for (const s of configurable.filter((c) => configReaders(c).includes(command))) properties[s.key] = propertySchema(s);
    top[command] = {
      description: `Settings only \`cosigner-sim ${command}\` reads; they win over the same keys at the top.`,
      type: 'object',
      additionalProperties: false,
      properties,
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/cosigner-sim/cosigner-sim/schema/config.schema.json',
    title: 'cosigner-sim config file',
    description:
      `cosigner-sim.config.{json,yaml,yml,mjs}: the flags\u2019 long names in camelCase. Keys several commands read go at the top; a key one command reads goes in its section (${CONFIG_SECTIONS.map((c) => `${c}:`).join(', ')}). Flags on the command line win. Generated from simulator/cli/option-table.ts.`,
    type: 'object',
    additionalProperties: false,
    properties: top,
  };
}
