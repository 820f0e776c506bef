import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { decodeMessage, hasErrors, type DecodeFinding, type DecodeReport } from '../../decode/index.js';
import { FileNotFoundError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../lib/write-atomic.js';
import { scenarioFromCapture } from '../../suite/from-capture.js';
import { parsePrivateKey, parsePublicKey, readMaterialFile } from '../../keys/parse.js';
import { CHECK_SYMBOLS, explainCheck, oneLineJson, renderChecksRow, renderFailedCheckLines, renderTokenLines, type ReportStyle } from '../../report/index.js';
import { createRedactor } from '../../report/redact.js';
import { colorsFor, type CliIO } from '../io.js';
import { terminalStyle } from '../style.js';
import type { DecodeCliOptions } from '../options.js';

/** The exit codes of decode: 2 (not a JWT or JSON, usage, files, keys) comes from the top-level catch. */
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;

/**
 * The text an argument stands for: stdin for `-`, the file's content when it names a file, else
 * the argument itself (a token is never a file name, but a short one could be: a file wins).
 */
async function textOf(arg: string, io: CliIO, what: string): Promise<string> {
  if (arg === '-') {
    if (!io.readStdin) throw new UsageError(`${what}: - reads stdin, and there is none here`, { hint: 'pass the token itself or a file that holds it' });
    return io.readStdin();
  }
  const path = resolve(io.cwd, arg);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // Not a path (a token is far longer than a file name may be): the argument is the text.
  }
  if (!isFile) return arg;
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileNotFoundError(`${arg}: cannot read ${what} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { file: arg, cause });
  }
}

/** A public or private PEM; a private key stands for its public half (decode/ takes it from there). */
function readKey(path: string, io: CliIO): KeyObject {
  const pem = readMaterialFile(resolve(io.cwd, path), '--key');
  const source = { label: path };
  return /-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem) ? parsePrivateKey(pem, source) : parsePublicKey(pem, source);
}

function kindLine(d: DecodeReport): string {
  switch (d.kind) {
    case 'tx_sign_request':
      return `tx_sign_request at the ${d.stage} stage (${d.because})`;
    case 'config_change_sign_request':
      return `config_change_sign_request of type ${d.type} (${d.because})`;
    case 'response':
      return `response with action ${oneLineJson(d.action)} (${d.because})`;
    case 'unknown':
      return `not a Co-signer request or response (${d.because})`;
  }
}

const SEVERITY_MARK: Readonly<Record<DecodeFinding['severity'], string>> = { error: `${CHECK_SYMBOLS.fail} `, warning: '⚠ ', info: 'ℹ ' };

/** The human form: what it is, the decoded token (the report module's lines), the verdict, the checks. */
function prettyLines(d: DecodeReport, o: DecodeCliOptions, style: ReportStyle): string[] {
  const lines = [`${style.label('Decoded:')}  ${kindLine(d)}`];
  if (d.tidied.length > 0) lines.push(`          took off ${d.tidied.join(', ')}`);
  if (d.token) lines.push(...renderTokenLines(d.token));
  else lines.push(`JSON body: ${oneLineJson(d.payload, { showSecrets: o.showSecrets, maxChars: Number.MAX_SAFE_INTEGER })}`);
  if (d.verified !== undefined) {
    const whose = d.kind === 'response' ? 'the handler key' : d.kind === 'unknown' ? 'the key' : 'the Co-signer key';
    lines.push(`${style.label('Verified:')} ${d.verified ? `yes, with ${o.key} (${whose}, RS256)` : `no, not with ${o.key} (${whose})`}`);
  }
  if (d.outcomes) {
    lines.push(renderChecksRow(d.outcomes.filter((c) => c.reason !== 'not-judged'), style));
    const live = d.outcomes.filter((c) => c.reason === 'not-judged').map((c) => c.id);
    if (live.length > 0) lines.push(`          not judged from the text: ${live.join(', ')} (they need the live exchange)`);
    const skipped = d.outcomes.filter((c) => c.status === 'skip' && (c.reason === 'no-key' || c.reason === 'no-request'));
    for (const c of skipped) lines.push(`          ${c.id}: ${c.message ?? 'not checked'}`);
  } else if (d.kind !== 'unknown') {
    lines.push(`${style.label('Checks on the answer:')} ${d.checks.join(', ')}`);
  }
  for (const note of d.notes) lines.push(`          ${note}`);
  for (const severity of ['error', 'warning', 'info'] as const) {
    const told = d.findings.filter((f) => f.severity === severity).map((f) => {
      // A failed check is told with its expected and received values, as every other surface tells it.
      const outcome = d.outcomes?.find((c) => c.id === f.id && c.status === 'fail');
      return outcome ? explainCheck(outcome, { showSecrets: o.showSecrets }) : { id: f.id, message: f.message, ...(f.fix ? { hint: f.fix } : {}) };
    });
    lines.push(...renderFailedCheckLines(told, { style, mark: SEVERITY_MARK[severity] }));
  }
  return lines;
}

/** The machine form: one JSON document, redacted like the human one. */
function jsonDocument(d: DecodeReport, o: DecodeCliOptions): Record<string, unknown> {
  const r = createRedactor(o.showSecrets);
  return {
    kind: d.kind,
    because: d.because,
    ...(d.endpoint !== undefined ? { endpoint: d.endpoint } : {}),
    ...(d.stage !== undefined ? { stage: d.stage } : {}),
    ...(d.type !== undefined ? { type: d.type } : {}),
    ...(d.kind === 'response' ? { action: d.action } : {}),
    format: d.format,
    tidied: d.tidied,
    ...(d.header ? { header: d.header } : {}),
    payload: d.payload,
    ...(d.signature ? { signature: d.signature } : {}),
    ...(d.verified !== undefined ? { verified: d.verified, key: o.key } : {}),
    checks: d.checks,
    ...(d.outcomes ? { outcomes: r.value(d.outcomes) } : {}),
    findings: d.findings,
    notes: d.notes,
    redacted: r.enabled,
  };
}

/**
 * `--save-scenario <file>`: the scenario that replays the decoded request (suite/from-capture.ts),
 * written atomically. An existing file is never overwritten: a replay scenario is usually edited
 * by hand afterwards (its `expect:`), and a second paste must not undo that.
 */
function saveScenario(file: string, report: DecodeReport, input: string, io: CliIO): string {
  const path = resolve(io.cwd, file);
  if (existsSync(path)) {
    throw new UsageError(`--save-scenario ${file}: the file exists, and decode never overwrites a scenario`, { file, field: 'saveScenario', hint: 'choose another file name, or delete that one first' });
  }
  const { yaml } = scenarioFromCapture(report.message, { source: input === '-' ? 'stdin' : input.length < 200 ? input : 'a pasted token' });
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, yaml);
  } catch (cause) {
    throw new UsageError(`--save-scenario ${file}: cannot write it (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { file, field: 'saveScenario', cause, hint: 'choose a path in a folder you can write to' });
  }
  return file;
}

/**
 * `cosigner-sim decode <jwt|file|->`: say what a pasted request or response is, which checks
 * apply, whether `--key` verifies it and, for a response, what the checks say where they can run
 * on the text. Exit 0, 1 when the key does not verify it or a check fails, 2 (thrown) when it is
 * not a JWT or JSON.
 *
 * @example
 * const code = await decodeCommand(resolveDecodeOptions('captured.jwt', flags, undefined), processIO());
 */
export async function decodeCommand(o: DecodeCliOptions, io: CliIO): Promise<number> {
  // Every file and key is read before anything is printed: a bad one is exit 2 with no half report.
  const text = await textOf(o.input, io, 'the input');
  const request = o.request !== undefined ? await textOf(o.request, io, '--request') : undefined;
  const key = o.key !== undefined ? readKey(o.key, io) : undefined;
  const report = decodeMessage(text, {
    showSecrets: o.showSecrets,
    ...(key ? { key, keyLabel: o.key! } : {}),
    ...(request !== undefined ? { request } : {}),
  });
  // Built (and refused: a response, no requestId, an existing file) before anything is printed.
  const saved = o.saveScenario !== undefined ? saveScenario(o.saveScenario, report, o.input, io) : undefined;
  if (o.reporter === 'json') io.stdout.write(`${JSON.stringify(jsonDocument(report, o), null, 2)}\n`);
  else {
    const style = terminalStyle(colorsFor(io.stdout, io.env, o.color));
    io.stdout.write(`${prettyLines(report, o, style).join('\n')}\n`);
  }
  if (saved !== undefined) io.stderr.write(`wrote ${saved}: it replays this request byte for byte; add expect: { action: … } and run it with cosigner-sim run ${saved}\n`);
  return hasErrors(report) ? EXIT_FINDINGS : EXIT_OK;
}
