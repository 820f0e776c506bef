import { existsSync, statSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FileNotFoundError, NoScenariosError, ScenarioInvalidError, isCsimError } from '../errors.js';
import { OPTIONAL_FIELDS_MODES, type OptionalFieldsMode } from '../protocol/context.js';
import { convertOverrides } from '../protocol/field-types.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { ALL_CONFIG_TYPES, PROFILE_CONFIG_TYPES, resolveProfile } from '../protocol/profiles.js';
import { ACTIONS, CONFIG_CHANGE_TYPES, type Action, type Stage } from '../protocol/types.js';
import { closest } from '../lib/did-you-mean.js';
import { splitCompactJws } from '../codec/jws.js';
import { previewBody } from '../codec/response.js';
import type { RequestContentType } from '../client/cosigner.js';
import { parseDuration, DURATION_EXPECTED } from '../lib/duration.js';
import { SubstitutionProblem, hasPlaceholder, substitute } from './expand.js';
import { checkScenarioShape, describe, dotted } from './schema.js';
import { parseSource, scenarioError, type SourceDocument } from './source.js';
import type { Scenario, ScenarioCheckId, ScenarioExpect, ScenarioRequest, ScenarioStep, StatusExpectation, TextMatcher, UpstreamMock, UpstreamResponse } from './types.js';

/** The file name patterns a folder is searched for. */
export const SCENARIO_PATTERNS = ['*.yaml', '*.yml', '*.json'] as const;
const EXTENSIONS = ['.yaml', '.yml', '.json'];
const FORMAT_HINT = 'the scenario format is in README#scenario-files; add `# yaml-language-server: $schema=<path to>/schema/scenario.schema.json` for checks in your editor';
const TX_ONLY = ['stage', 'operation', 'destType', 'destinations', 'txId', 'batched'] as const;
const CONFIG_ONLY = ['configType', 'allowUnknownType'] as const;

export interface LoadOptions {
  /** Relative paths are read from here (default `process.cwd()`); `Scenario.file` keeps them as given. */
  cwd?: string;
}

interface FileRef {
  /** As shown in messages and results: the given path, joined with the file's path below it. */
  display: string;
  abs: string;
}

/**
 * Load, validate and expand every scenario in the given files and folders (folders are walked
 * recursively in name order; `node_modules`, dot-folders and `*.schema.json` are skipped).
 *
 * Throws ScenarioInvalidError (`CSIM_SCENARIO_INVALID`) naming the file, line, field, what was
 * expected and what was found; NoScenariosError (`CSIM_NO_SCENARIOS`) when no file matched;
 * FileNotFoundError (`CSIM_FILE_NOT_FOUND`) for a path that does not exist.
 *
 * @example
 * const scenarios = await loadScenarios(['scenarios/']);
 * scenarios[0]?.name; // 'small transfer to a vault is approved'
 */
export async function loadScenarios(paths: string[], opts: LoadOptions = {}): Promise<Scenario[]> {
  const cwd = opts.cwd ?? process.cwd();
  const files = await collectFiles(paths, cwd);
  if (files.length === 0) {
    const where = paths.length === 0 ? '(no paths given)' : paths.join(', ');
    throw new NoScenariosError(`No scenario files found in ${where} (looked for ${SCENARIO_PATTERNS.join(', ')})`, {
      hint: 'pass a folder or file that holds scenario files, e.g. `cosigner-sim run scenarios/`',
    });
  }
  const all: Scenario[] = [];
  const seen = new Map<string, Scenario>();
  for (const f of files) {
    for (const s of await loadScenarioFile(f.display, { absolutePath: f.abs })) {
      const before = seen.get(s.name);
      if (before) {
        throw scenarioError({
          file: s.file,
          ...(s.line !== undefined ? { line: s.line } : {}),
          field: 'name',
          message: `name must be unique (got ${JSON.stringify(s.name)}, already used at ${before.file}${before.line !== undefined ? `:${before.line}` : ''})`,
          hint: 'rename one of them; each rows are named "name [row i]", or "name [row name]" when the row has a name',
        });
      }
      seen.set(s.name, s);
      all.push(s);
    }
  }
  return all;
}

/**
 * Load one scenario file (YAML or JSON; a mapping, a list, or several YAML documents).
 *
 * @example
 * const [s] = await loadScenarioFile('scenarios/approve.yaml');
 */
export async function loadScenarioFile(file: string, opts: { absolutePath?: string; cwd?: string } = {}): Promise<Scenario[]> {
  const abs = opts.absolutePath ?? resolve(opts.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (cause) {
    throw new FileNotFoundError(`${file}: cannot read the scenario file (${(cause as NodeJS.ErrnoException).code ?? 'unknown error'})`, {
      file,
      cause,
      hint: 'check the path; it is relative to the working folder',
    });
  }
  const docs = parseSource(file, text);
  if (docs.length === 0 || docs.every((d) => d.value === null || d.value === undefined)) {
    throw scenarioError({ file, line: 1, message: 'the file holds no scenario (expected a scenario mapping or a list of scenarios, got nothing)', hint: 'start with `name:`, `request:` and `expect:`; see README#scenario-files' });
  }
  const out: Scenario[] = [];
  for (const doc of docs) {
    if (doc.value === null || doc.value === undefined) continue;
    if (Array.isArray(doc.value)) {
      if (doc.value.length === 0) {
        throw scenarioError({ file, line: doc.lineOf([]), message: 'the list of scenarios must not be empty (got an empty list)' });
      }
      doc.value.forEach((item, i) => out.push(...normalizeScenario(item, { file, abs, doc, base: [i] })));
    } else {
      out.push(...normalizeScenario(doc.value, { file, abs, doc, base: [] }));
    }
  }
  return out;
}

async function collectFiles(paths: readonly string[], cwd: string): Promise<FileRef[]> {
  const out: FileRef[] = [];
  const seen = new Set<string>();
  const add = (ref: FileRef) => {
    if (seen.has(ref.abs)) return;
    seen.add(ref.abs);
    out.push(ref);
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    let info;
    try {
      info = await stat(abs);
    } catch (cause) {
      throw new FileNotFoundError(`${given}: no such file or folder`, { file: given, cause, hint: 'check the path; it is relative to the working folder' });
    }
    if (info.isDirectory()) {
      for (const rel of await walk(abs, '')) add({ display: join(given, rel), abs: join(abs, rel) });
    } else if (isScenarioFileName(given)) {
      add({ display: given, abs });
    } else {
      throw new ScenarioInvalidError(`${given}: not a scenario file (expected ${SCENARIO_PATTERNS.join(', ')})`, {
        file: given,
        hint: 'scenario files end in .yaml, .yml or .json; pass the folder to load every scenario in it',
      });
    }
  }
  return out;
}

function isScenarioFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return EXTENSIONS.some((e) => lower.endsWith(e)) && !lower.endsWith('.schema.json');
}

/** Relative paths of the scenario files below `dir`, each folder in name order. */
async function walk(dir: string, rel: string): Promise<string[]> {
  const entries = await readdir(join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = rel === '' ? e.name : join(rel, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      out.push(...(await walk(dir, child)));
    } else if ((e.isFile() || e.isSymbolicLink()) && isScenarioFileName(e.name)) {
      out.push(child);
    }
  }
  return out;
}

interface Ctx {
  file: string;
  abs: string;
  doc: SourceDocument;
  /** Path of this scenario inside the document: [] or [index]. */
  base: (string | number)[];
  /** 1-based each row, when expanding one. */
  row?: number;
}

type Path = (string | number)[];

function fail(ctx: Ctx, path: Path, message: string, hint?: string, opts: { key?: boolean; cause?: unknown } = {}): ScenarioInvalidError {
  const where = ctx.base.length > 0 ? ` in scenario ${Number(ctx.base[0]) + 1} of the list` : '';
  const row = ctx.row !== undefined ? ` (each row ${ctx.row})` : '';
  return scenarioError({
    file: ctx.file,
    line: ctx.doc.lineOf([...ctx.base, ...path], { key: opts.key ?? false }),
    field: dotted(path),
    message: `${message}${where}${row}`,
    hint: hint ?? FORMAT_HINT,
    ...(opts.cause !== undefined ? { cause: opts.cause } : {}),
  });
}

function checkShape(raw: unknown, ctx: Ctx): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw fail(ctx, [], `a scenario must be a mapping with name, request and expect (got ${describe(raw)})`);
  }
  const problem = checkScenarioShape(raw);
  if (problem) throw fail(ctx, problem.path, problem.message, problem.hint, { key: problem.isKey });
}

function normalizeScenario(raw: unknown, ctx: Ctx): Scenario[] {
  checkShape(raw, ctx);
  const s = raw as Record<string, unknown>;
  if (s['request'] !== undefined && s['steps'] !== undefined) {
    throw fail(ctx, ['steps'], 'steps must not be used together with request (got both)', 'put every request in steps, or use request alone');
  }
  if (s['request'] === undefined && s['steps'] === undefined) {
    throw fail(ctx, [], 'request is required (got a scenario with neither request nor steps)', 'add `request: { type: tx }` (or a `steps:` list)');
  }
  if (s['steps'] !== undefined && s['expect'] !== undefined) {
    throw fail(ctx, ['expect'], 'expect must go inside each step when steps are used (got a scenario-level expect)', 'move it to the step it is about: steps[i].expect');
  }

  const rows = s['each'] as Record<string, unknown>[] | undefined;
  if (rows === undefined) return [build(s, ctx)];
  return rows.map((row, i) => {
    const rowCtx: Ctx = { ...ctx, row: i + 1 };
    const filled: Record<string, unknown> = { ...s };
    delete filled['each'];
    try {
      for (const key of ['name', 'request', 'expect', 'steps', 'upstream'] as const) {
        if (s[key] !== undefined) filled[key] = substitute(s[key], row, [key]);
      }
    } catch (error) {
      if (error instanceof SubstitutionProblem) throw fail(rowCtx, error.path, `${dotted(error.path)} ${error.message}`, error.hint);
      throw error;
    }
    const suffix = typeof row['name'] === 'string' ? row['name'] : `row ${i + 1}`;
    filled['name'] = `${String(filled['name'])} [${suffix}]`;
    checkShape(filled, rowCtx);
    return build(filled, rowCtx);
  });
}

function build(s: Record<string, unknown>, ctx: Ctx): Scenario {
  const steps: ScenarioStep[] = [];
  if (Array.isArray(s['steps'])) {
    (s['steps'] as Record<string, unknown>[]).forEach((step, i) => {
      steps.push({
        ...(typeof step['name'] === 'string' ? { name: step['name'] } : {}),
        request: buildRequest(step['request'] as Record<string, unknown>, ['steps', i, 'request'], ctx),
        expect: buildExpect(step['expect'] as Record<string, unknown> | undefined, ['steps', i, 'expect'], ctx),
      });
    });
  } else {
    steps.push({
      request: buildRequest(s['request'] as Record<string, unknown>, ['request'], ctx),
      expect: buildExpect(s['expect'] as Record<string, unknown> | undefined, ['expect'], ctx),
    });
  }
  const retry = s['retry'] as { max: number; interval?: unknown } | undefined;
  const optionalFields = s['optionalFields'];
  if (optionalFields !== undefined) {
    if (!OPTIONAL_FIELDS_MODES.includes(optionalFields as OptionalFieldsMode)) {
      throw fail(ctx, ['optionalFields'], `optionalFields must be one of ${OPTIONAL_FIELDS_MODES.join(', ')} (got ${describe(optionalFields)})`);
    }
    // Every step's request is built under the scenario's mode.
    for (const step of steps) step.request.optionalFields = optionalFields as OptionalFieldsMode;
  }
  const profile = s['profile'] as string | undefined;
  if (profile !== undefined) {
    try {
      resolveProfile(profile);
    } catch (e) {
      if (!isCsimError(e)) throw e;
      throw fail(ctx, ['profile'], `profile: ${e.message}`, e.hint, { cause: e });
    }
  }
  // The scenario's Co-signer, for every step that names none of its own.
  if (typeof s['cosigner'] === 'number') for (const step of steps) step.request.cosigner ??= s['cosigner'];
  return {
    name: s['name'] as string,
    file: ctx.file,
    line: ctx.doc.lineOf(ctx.base),
    tags: (s['tags'] as string[] | undefined) ?? [],
    ...(s['description'] !== undefined ? { description: s['description'] as string } : {}),
    ...(s['options'] !== undefined ? { options: [...(s['options'] as SecurityOptionNumber[])].sort((a, b) => a - b) } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(retry ? { retry: { max: retry.max, intervalMs: retry.interval === undefined ? 0 : duration(retry.interval, ['retry', 'interval'], ctx) } } : {}),
    ...(ctx.row !== undefined ? { row: ctx.row } : {}),
    ...(s['upstream'] !== undefined ? { upstream: buildUpstream(s['upstream'] as Record<string, unknown>[], ctx) } : {}),
    steps,
  };
}

const ANSWER_KEYS = ['status', 'json', 'text', 'headers', 'delay'] as const;

/** One answer of a mock: status (default 200), json or text (not both), headers, delay. */
function buildAnswer(a: Record<string, unknown>, path: Path, ctx: Ctx): UpstreamResponse {
  if (a['json'] !== undefined && a['text'] !== undefined) {
    throw fail(ctx, [...path, 'text'], `${dotted([...path, 'text'])} must not be used together with json (got both)`, 'give the body as json: (sent as JSON) or text: (sent as it is), not both');
  }
  return {
    status: (a['status'] as number | undefined) ?? 200,
    ...(a['json'] !== undefined ? { json: a['json'] } : {}),
    ...(typeof a['text'] === 'string' ? { text: a['text'] } : {}),
    ...(a['headers'] !== undefined ? { headers: a['headers'] as Record<string, string> } : {}),
    ...(a['delay'] !== undefined ? { delayMs: duration(a['delay'], [...path, 'delay'], ctx) } : {}),
  };
}

/** `upstream:` as the worker installs it: every mock with its answers as a sequence. */
function buildUpstream(list: Record<string, unknown>[], ctx: Ctx): UpstreamMock[] {
  return list.map((m, i) => {
    const path: Path = ['upstream', i];
    const responses = m['responses'] as Record<string, unknown>[] | undefined;
    if (responses !== undefined) {
      const both = ANSWER_KEYS.find((k) => m[k] !== undefined);
      if (both !== undefined) {
        throw fail(ctx, [...path, both], `${dotted([...path, both])} must not be used together with responses (got both)`, 'put every answer in responses: (the last one repeats), or drop responses: for a mock that always answers the same');
      }
    }
    return {
      ...(typeof m['method'] === 'string' ? { method: m['method'].toUpperCase() } : {}),
      url: m['url'] as string,
      ...(m['body'] !== undefined ? { body: m['body'] as string | Record<string, unknown> } : {}),
      responses: responses !== undefined ? responses.map((r, j) => buildAnswer(r, [...path, 'responses', j], ctx)) : [buildAnswer(m, path, ctx)],
    };
  });
}

function duration(value: unknown, path: Path, ctx: Ctx): number {
  try {
    return parseDuration(value);
  } catch (cause) {
    if (!isCsimError(cause)) throw cause;
    throw fail(ctx, path, `${dotted(path)} must be ${DURATION_EXPECTED} (got ${describe(value)})`, placeholderHint(value) ?? 'e.g. 500ms, 2s, 1m', { cause });
  }
}

function placeholderHint(value: unknown): string | undefined {
  return typeof value === 'string' && hasPlaceholder(value) ? '${…} placeholders are filled only in scenarios with an `each:` table' : undefined;
}

function buildRequest(r: Record<string, unknown>, path: Path, ctx: Ctx): ScenarioRequest {
  const type = (r['type'] as 'tx' | 'config' | undefined) ?? 'tx';
  if (type === 'config') {
    for (const key of TX_ONLY) {
      if (r[key] !== undefined) {
        throw fail(ctx, [...path, key], `${dotted([...path, key])} is for tx requests only (got it on a type: config request)`, 'configuration changes are always approvals with no transaction; remove the field or use type: tx');
      }
    }
  } else {
    for (const key of CONFIG_ONLY) {
      if (r[key] !== undefined) throw fail(ctx, [...path, key], `${dotted([...path, key])} is for config requests only (got it on a type: tx request)`, `add \`type: config\`, or remove ${key}`);
    }
  }
  const configType = r['configType'];
  // An undocumented type is sent only when marked deliberate, so a typo is not sent silently.
  // The newer types (PROTECTED_TAG_CHANGE, POLICY_CHANGE) too: whether the run's profile sends
  // them is checked once it is known (suite/profile-check.ts).
  if (typeof configType === 'string' && r['allowUnknownType'] !== true && !ALL_CONFIG_TYPES.includes(configType)) {
    const near = closest(configType, ALL_CONFIG_TYPES);
    throw fail(
      ctx,
      [...path, 'configType'],
      `${dotted([...path, 'configType'])} must be a documented configuration change type (got ${JSON.stringify(configType)})${near ? `: did you mean ${near}?` : ''}`,
      `the documented types: ${CONFIG_CHANGE_TYPES.join(', ')}; on newer Co-signers (profile:) also ${PROFILE_CONFIG_TYPES.map((t) => t.type).join(', ')}; to send an undocumented one on purpose (a future type) add \`allowUnknownType: true\` to the request`,
    );
  }
  const stage = r['stage'];
  if (stage !== undefined && stage !== 'approval' && stage !== 'signing') {
    throw fail(ctx, [...path, 'stage'], `${dotted([...path, 'stage'])} must be one of approval, signing (got ${describe(stage)})`, placeholderHint(stage));
  }
  const destinations = r['destinations'];
  if (destinations !== undefined && !Array.isArray(destinations) && (typeof destinations !== 'number' || !Number.isInteger(destinations) || destinations < 1 || destinations > 100)) {
    throw fail(ctx, [...path, 'destinations'], `${dotted([...path, 'destinations'])} must be an integer from 1 to 100, or a list of { type, amountStr } (got ${describe(destinations)})`, placeholderHint(destinations));
  }
  let signWith: string | undefined;
  if (typeof r['signWith'] === 'string') {
    signWith = resolve(dirname(ctx.abs), r['signWith']);
    if (!existsSync(signWith) || !statSync(signWith).isFile()) {
      throw fail(ctx, [...path, 'signWith'], `${dotted([...path, 'signWith'])} must name a PEM private key file (got ${JSON.stringify(r['signWith'])}, which does not exist at ${signWith})`, 'the path is relative to the scenario file');
    }
  }
  const body = r['body'];
  if (r['resign'] === true) {
    if (typeof body !== 'string') {
      throw fail(ctx, [...path, 'resign'], `${dotted([...path, 'resign'])} re-signs the request in body:, and there is no body (got resign: true alone)`, 'add body: with the request JWT exactly as captured, or remove resign');
    }
    if (!splitCompactJws(body)) {
      throw fail(ctx, [...path, 'body'], `${dotted([...path, 'body'])} must be one compact JWS (header.payload.signature) when resign is true (got ${JSON.stringify(previewBody(body, 40))})`, 'paste the request JWT exactly as captured (one line; quotes, "Bearer " and line breaks removed), or remove resign to send the body as it is');
    }
  }
  // A raw body carries its own stage (a fee only at signing): the client reads it unless stage: is given.
  const defaultStage = typeof body === 'string' ? undefined : 'signing';
  const givenStage = (stage as Stage | undefined) ?? defaultStage;
  const out: ScenarioRequest = { type, ...(type === 'tx' && givenStage !== undefined ? { stage: givenStage } : {}) };
  if (typeof r['configType'] === 'string') out.configType = r['configType'];
  if (typeof r['operation'] === 'string') out.operation = r['operation'];
  if (typeof r['destType'] === 'string') out.destType = r['destType'];
  if (destinations !== undefined) out.destinations = destinations as NonNullable<ScenarioRequest['destinations']>;
  if (r['payload'] !== undefined) {
    out.payload = r['payload'] as Record<string, unknown>;
    // The builder converts each value to its wire type; a value that cannot be converted is
    // refused here, where the file and line are known. Exact payloads are sent as written.
    if (r['payloadMode'] !== 'exact') {
      try {
        convertOverrides(type === 'config' ? 'config_change_sign_request' : 'tx_sign_request', out.payload);
      } catch (cause) {
        if (!isCsimError(cause)) throw cause;
        const field = cause.field ?? '';
        throw fail(ctx, [...path, 'payload', field], `${dotted([...path, 'payload'])}.${cause.message.replace(/^Invalid value for payload field "[^"]*": /, `${field}: `)}`, 'give the wire type, or send the payload as written with `payloadMode: exact`', { cause });
      }
    }
  }
  if (r['allowUnknownType'] === true) out.allowUnknownType = true;
  if (r['unset'] !== undefined) out.unset = r['unset'] as string[];
  if (r['payloadMode'] !== undefined) out.payloadMode = r['payloadMode'] as 'template' | 'exact';
  if (r['batched'] !== undefined) out.batched = r['batched'] as boolean | number;
  if (r['contentType'] !== undefined) out.contentType = r['contentType'] as RequestContentType;
  if (typeof r['path'] === 'string') out.path = r['path'];
  if (r['headers'] !== undefined) out.headers = r['headers'] as Record<string, string>;
  if (typeof r['body'] === 'string') out.body = r['body'];
  if (r['resign'] === true) out.resign = true;
  if (signWith !== undefined) out.signWith = signWith;
  if (typeof r['txId'] === 'string') out.txId = r['txId'];
  if (typeof r['cosigner'] === 'number') out.cosigner = r['cosigner'];
  return out;
}

function buildExpect(e: Record<string, unknown> | undefined, path: Path, ctx: Ctx): ScenarioExpect {
  const out: ScenarioExpect = {};
  if (!e) return out;
  const action = e['action'];
  if (action !== undefined) {
    if (!(ACTIONS as readonly unknown[]).includes(action)) {
      throw fail(ctx, [...path, 'action'], `${dotted([...path, 'action'])} must be one of ${ACTIONS.join(', ')} (got ${describe(action)})`, placeholderHint(action));
    }
    out.action = action as Action;
  }
  if (e['rejectionReason'] !== undefined) {
    out.rejectionReason = e['rejectionReason'] === null ? null : textMatcher(e['rejectionReason'] as string, [...path, 'rejectionReason'], ctx);
  }
  if (e['within'] !== undefined) out.withinMs = duration(e['within'], [...path, 'within'], ctx);
  const status = e['status'];
  if (status !== undefined) out.status = statusExpectation(status, [...path, 'status'], ctx);
  if (e['failChecks'] !== undefined) out.failChecks = e['failChecks'] as ScenarioCheckId[];
  return out;
}

const STATUS_EXPECTED = 'an HTTP status code from 100 to 599, a list of them, or refused (any 401 or 403)';

function isStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

/**
 * `expect.status`: a code, a non-empty list of codes, or `refused`. Checked here as well as by the
 * schema, since an `each:` row fills it in after the schema ran on the template.
 */
function statusExpectation(value: unknown, path: Path, ctx: Ctx): StatusExpectation {
  if (value === 'refused' || isStatusCode(value)) return value;
  if (Array.isArray(value) && value.length > 0) {
    const bad = value.findIndex((v) => !isStatusCode(v));
    if (bad === -1) return [...new Set(value as number[])];
    throw fail(ctx, [...path, bad], `${dotted([...path, bad])} must be an HTTP status code from 100 to 599 (got ${describe(value[bad])})`, placeholderHint(value[bad]));
  }
  const hint = typeof value === 'string' && value.toLowerCase() === 'refused' ? 'values are case-sensitive: write refused' : placeholderHint(value);
  throw fail(ctx, path, `${dotted(path)} must be ${STATUS_EXPECTED} (got ${describe(value)})`, hint ?? 'e.g. status: 401, status: [401, 403], or status: refused');
}

const REGEX_LITERAL = /^\/(.+)\/([dgimsuvy]*)$/s;

/**
 * Read a text matcher: `/source/flags` is a RegExp, anything else matches exactly. Throws
 * ScenarioInvalidError for a RegExp that does not compile.
 *
 * @example
 * parseTextMatcher('/limit/i'); // /limit/i
 * parseTextMatcher('too big');  // 'too big'
 */
export function parseTextMatcher(text: string): TextMatcher {
  return textMatcher(text);
}

function textMatcher(text: string, path?: Path, ctx?: Ctx): TextMatcher {
  const m = REGEX_LITERAL.exec(text);
  if (!m) return text;
  try {
    return new RegExp(m[1]!, m[2]);
  } catch (cause) {
    const message = `${path ? dotted(path) : 'the pattern'} must be a valid regular expression /…/flags (got ${JSON.stringify(text)}: ${(cause as Error).message})`;
    const hint = 'flags are d, g, i, m, s, u, v, y; escape a literal "/" inside as \\/, or drop the surrounding slashes to match the text exactly';
    if (path && ctx) throw fail(ctx, path, message, hint, { cause });
    throw new ScenarioInvalidError(message, { hint, cause });
  }
}
