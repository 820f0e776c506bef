import { diagnose, type DoctorInput } from '../../doctor/diagnose.js';
import { doctorExitCode } from '../../doctor/findings.js';
import { formatDoctorJson, formatDoctorPretty } from '../../doctor/format.js';
import { UsageError } from '../../errors.js';
import type { SecurityOptionNumber } from '../../protocol/options.js';
import type { LoadedConfig } from '../config.js';
import { colorsFor, type CliIO, type Sink } from '../io.js';
import { Inputs, type OptionChoice, type RawFlags, type ReporterSpec } from '../options.js';
import { openFile, type FileSink } from '../reporters/index.js';

/** `doctor`'s options, typed and validated: what it checks, and how it reports. */
export interface DoctorCliOptions extends Omit<DoctorInput, 'cwd' | 'now'> {
  reporters: ReporterSpec[];
  strict: boolean;
  color: boolean;
  configFile?: string;
}

/** The reporters doctor writes: its findings are not scenario results. */
const DOCTOR_REPORTERS = ['pretty', 'json'];

/**
 * Turn `doctor`'s flags (plus the config file) into its options. Only what makes the input
 * unusable is refused here (exit 2): a bad value, `--option all`, a reporter doctor does not
 * write. Everything about the setup itself (a URL ending in /v2, a key the option never uses) is
 * a finding, so that doctor reports all of them.
 *
 * @example
 * resolveDoctorOptions(flags, undefined).option // 1
 */
export function resolveDoctorOptions(flags: RawFlags, config: LoadedConfig | undefined): DoctorCliOptions {
  const inputs = new Inputs('doctor', flags, config);
  const option = inputs.read<OptionChoice>('option');
  if (option === 'all') {
    throw new UsageError('doctor checks the setup of one security option; --option all is for the embedded handler', {
      field: 'option',
      hint: 'pass the option your Co-signer uses, e.g. cosigner-sim doctor --option 4 --kit keys/',
    });
  }
  const reporters = inputs.read<ReporterSpec[]>('reporter');
  for (const r of reporters) {
    if (!DOCTOR_REPORTERS.includes(r.name)) {
      throw new UsageError(`--reporter ${r.name}: doctor reports its findings as pretty or json`, { field: 'reporter', hint: 'use --reporter json (or json:<file>) for machines, pretty for people' });
    }
  }
  const out: DoctorCliOptions = {
    option: option satisfies SecurityOptionNumber,
    checkHostname: inputs.read('checkHostname'),
    timeoutMs: inputs.read('timeout'),
    reporters,
    strict: inputs.read('strict'),
    color: inputs.read('color'),
  };
  for (const key of ['url', 'kit', 'handlerPublicKey', 'handlerKey', 'pinnedCert', 'ca'] as const) {
    const v = inputs.read<string | undefined>(key);
    if (v !== undefined) out[key] = v;
  }
  const cosignerKeys = inputs.read<string[]>('cosignerKey');
  if (cosignerKeys.length > 1) {
    throw new UsageError(`doctor checks one --cosigner-key at a time, and ${cosignerKeys.length} were given`, {
      field: 'cosignerKey',
      hint: `run doctor once per key: --cosigner-key ${cosignerKeys[0]}, then --cosigner-key ${cosignerKeys[1]}`,
    });
  }
  if (cosignerKeys.length === 1) out.cosignerKey = cosignerKeys[0]!;
  if (config) out.configFile = config.file;
  return out;
}

/**
 * `cosigner-sim doctor`: check every file and setting of one setup before any request, print
 * every finding with its fix, and make one TLS handshake with the handler when `--url` is given.
 * Never starts a handler. Exit 0 clean, 1 when any finding is an error (or a warning with
 * `--strict`); bad input is exit 2 before this runs.
 *
 * @example
 * const code = await doctorCommand(resolveDoctorOptions(flags, undefined), processIO());
 */
export async function doctorCommand(o: DoctorCliOptions, io: CliIO): Promise<0 | 1> {
  // Files first, before the handshake: a report path that cannot be written is a usage error.
  const files: FileSink[] = [];
  const sinks = o.reporters.map((r) => {
    if (r.file === undefined) return { name: r.name, sink: io.stdout as Sink };
    const file = openFile(io, r);
    files.push(file);
    return { name: r.name, sink: file as Sink };
  });
  const stdoutTaken = sinks.some((s) => s.sink === io.stdout);
  // Human lines always go somewhere: stdout, or stderr when json owns stdout.
  if (!sinks.some((s) => s.name === 'pretty')) sinks.push({ name: 'pretty', sink: stdoutTaken ? io.stderr : io.stdout });

  const { configFile: _configFile, reporters: _reporters, strict: _strict, color: _color, ...input } = o;
  const report = await diagnose({ ...input, cwd: io.cwd });

  for (const { name, sink } of sinks) {
    if (name === 'json') sink.write(formatDoctorJson(report));
    else sink.write(formatDoctorPretty(report, files.includes(sink as FileSink) ? undefined : colorsFor(sink, io.env, o.color)));
  }
  for (const f of files) f.flush();
  return doctorExitCode(report.findings, o.strict);
}
