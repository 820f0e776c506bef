/**
 * examples/ci/handler-ci.yml is copied into users' repositories, so every cosigner-sim command in
 * it must be one the CLI takes. This test parses the workflow, expands each `run:` step's
 * cosigner-sim command lines (line continuations, the job's matrix, `${{ … }}` expressions with
 * sample values, `$VAR` from the workflow's `env:`), and holds each to the CLI's option table
 * (simulator/cli/option-table.ts) and its own flag resolvers (simulator/cli/options.ts): the
 * command exists, every flag belongs to it, values parse, scenario paths exist.
 *
 * Each `run` and `send` command is then run with `--dry-run` against the embedded handler
 * (embeddedDryRunArgv): it must exit 0 and state how many requests the real run sends at most.
 * Each `conformance` command (which has no dry run) runs for real against the embedded handler.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, flagName, specOfFlag, specsOf, type CommandName, type OptionSpec } from '../simulator/cli/option-table.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { resolveConformanceOptions, resolveRunOptions, resolveSendOptions, type RawFlags } from '../simulator/cli/options.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOW = 'examples/ci/handler-ci.yml';

/** What a `${{ … }}` expression stands for in this test; an expression not listed fails the test. */
const SAMPLE_EXPRESSIONS: Readonly<Record<string, string>> = {
  'vars.HANDLER_URL': 'https://handler.staging.example.com/fireblocks/cb',
  'github.run_id': '4242',
};

interface Step {
  name?: string;
  run?: string;
  'working-directory'?: string;
  env?: Record<string, string>;
}
interface Job {
  steps: Step[];
  strategy?: { matrix?: Record<string, unknown> };
  defaults?: { run?: { 'working-directory'?: string } };
  env?: Record<string, string>;
}
interface Workflow {
  env?: Record<string, string>;
  defaults?: { run?: { 'working-directory'?: string } };
  jobs: Record<string, Job>;
}

/** One cosigner-sim command line of the workflow, expanded for one matrix combination. */
interface WorkflowCommand {
  where: string;
  /** The working folder, relative to the repository root. */
  cwd: string;
  /** The words after `cosigner-sim`. */
  argv: string[];
}

/** Every combination of a job's matrix (list-valued keys), or one empty one. */
function combinations(matrix: Record<string, unknown> | undefined): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix ?? {})) {
    if (!Array.isArray(values)) continue;
    out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
  }
  return out;
}

function expandExpressions(text: string, matrix: Record<string, string>, where: string): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expr: string) => {
    if (expr.startsWith('matrix.') && matrix[expr.slice('matrix.'.length)] !== undefined) return matrix[expr.slice('matrix.'.length)]!;
    const sample = SAMPLE_EXPRESSIONS[expr];
    if (sample === undefined) throw new Error(`${where}: no sample value for \${{ ${expr} }}: add one to SAMPLE_EXPRESSIONS`);
    return sample;
  });
}

/**
 * Shell words of one line: single and double quotes, backslash escapes, `$VAR` and `${VAR}`
 * from `env`. Enough for the lines a workflow writes; `$(…)`, globs and pipes are not expected
 * on a cosigner-sim line and fail the test.
 */
export function shellWords(line: string, env: Record<string, string>, where: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const add = (s: string) => (word = (word ?? '') + s);
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else add(c);
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      add(line[++i]!);
      continue;
    }
    if (c === '$') {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(line.slice(i));
      if (!m) throw new Error(`${where}: unsupported shell syntax at ${JSON.stringify(line.slice(i, i + 10))}`);
      const name = (m[1] ?? m[2])!;
      if (env[name] === undefined) throw new Error(`${where}: $${name} is not set in the workflow's env`);
      add(env[name]);
      i += m[0].length - 1;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else add(c);
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      add('');
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|&;<>`*?()'.includes(c)) {
      throw new Error(`${where}: unsupported shell syntax ${JSON.stringify(c)} on a cosigner-sim line`);
    } else {
      add(c);
    }
  }
  if (quote) throw new Error(`${where}: unclosed ${quote}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** Every cosigner-sim command of the workflow, once per matrix combination of its job. */
export function workflowCommands(text: string): WorkflowCommand[] {
  const wf = parse(text) as Workflow;
  const out: WorkflowCommand[] = [];
  for (const [jobName, job] of Object.entries(wf.jobs)) {
    for (const matrix of combinations(job.strategy?.matrix)) {
      for (const [index, step] of job.steps.entries()) {
        if (typeof step.run !== 'string') continue;
        const where = `${WORKFLOW} job ${jobName}${Object.keys(matrix).length ? ` ${JSON.stringify(matrix)}` : ''} step ${step.name ?? index + 1}`;
        const env = { ...wf.env, ...job.env, ...step.env };
        const cwd = step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? wf.defaults?.run?.['working-directory'] ?? '.';
        // A trailing backslash continues the command on the next line, as the shell reads it.
        const lines = expandExpressions(step.run, matrix, where).replace(/\\\n/g, ' ').split('\n');
        for (const line of lines) {
          if (!/(^|\s)(npx\s+)?cosigner-sim\s/.test(line)) continue;
          const words = shellWords(line, env, where);
          const at = words.indexOf('cosigner-sim');
          out.push({ where, cwd, argv: words.slice(at + 1) });
        }
      }
    }
  }
  return out;
}

/** A flag's kind says whether the next word is its value. */
const takesValue = (spec: OptionSpec) => spec.flag?.includes('<') === true;
const repeatable = (spec: OptionSpec) => spec.kind.type === 'list' || spec.kind.type === 'reporters' || spec.kind.type === 'overrides';

interface Parsed {
  command: CommandName;
  positionals: string[];
  /** commander-style values, keyed like the option table. */
  values: Record<string, unknown>;
}

/** Parse argv with the option table, as program.ts's commander options would; throws naming the flag. */
export function parseWithTable(argv: string[], where: string): Parsed {
  const [command, ...rest] = argv;
  if (!(COMMANDS as readonly string[]).includes(command ?? '')) throw new Error(`${where}: ${JSON.stringify(command)} is not a cosigner-sim command (${COMMANDS.join(', ')})`);
  const own = new Set(specsOf(command as CommandName));
  const parsed: Parsed = { command: command as CommandName, positionals: [], values: {} };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('--')) {
      parsed.positionals.push(word);
      continue;
    }
    const [flag, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const next = () => {
      if (inline !== undefined) return inline;
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${where}: ${flag} needs a value`);
      return v;
    };
    const spec = specOfFlag(flag);
    if (!spec || !own.has(spec)) throw new Error(`${where}: ${flag} is not an option of cosigner-sim ${command}${spec ? ` (only ${spec.commands.join(', ')})` : ''}`);
    if (!takesValue(spec)) {
      parsed.values[spec.key] = !flagName(spec).startsWith('--no-');
      continue;
    }
    const value = next();
    parsed.values[spec.key] = repeatable(spec) ? [...((parsed.values[spec.key] as string[] | undefined) ?? []), value] : value;
  }
  return parsed;
}

/** The CLI's own resolver for the command: value errors (an option 7, a bad reporter, a URL ending in /v2) throw as they would on the command line. */
function resolveWithCli(p: Parsed): unknown {
  const flags: RawFlags = { values: p.values, typed: (key) => key in p.values };
  if (p.command === 'run') return resolveRunOptions(p.positionals, flags, undefined);
  if (p.command === 'conformance') return resolveConformanceOptions(flags, undefined);
  if (p.command === 'send') return resolveSendOptions(p.positionals[0] as 'tx' | 'config', flags, undefined);
  throw new Error(`cosigner-sim ${p.command} in a CI workflow: only run, send and conformance talk to a handler`);
}

/**
 * The command as the after-merge test runs it: against the embedded reference handler, sending
 * nothing. The target flags (--image, --port, --env, --url, --start and the key files) go, so the
 * embedded handler is the target; `--dry-run` is added (once); everything else stays, so the
 * scenarios, tags, reporters and option are the workflow's. Report files go to a temporary folder
 * (pass `reports`).
 */
export function embeddedDryRunArgv(argv: string[], reports: string): string[] {
  const drop = new Map([
    ['--image', 1],
    ['--port', 1],
    ['--env', 1],
    ['--url', 1],
    ['--start', 1],
    ['--kit', 1],
    ['--cosigner-key', 1],
    ['--handler-public-key', 1],
    ['--pinned-cert', 1],
    ['--ca', 1],
    ['--dry-run', 0],
  ]);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const n = drop.get(word);
    if (n !== undefined) {
      i += n;
      continue;
    }
    out.push(word.replace(/^((?:junit|json|ctrf|pretty):)(.*)$/, (_a, name: string, file: string) => `${name}${join(reports, file.replace(/[\\/]/g, '_'))}`));
  }
  return [...out, '--dry-run'];
}

const commands = workflowCommands(readFileSync(join(ROOT, WORKFLOW), 'utf8'));

describe(WORKFLOW, () => {
  it('has the commands the README describes: scenarios and conformance per option against the image, the smoke dry run and run', () => {
    const lines = commands.map((c) => `${c.where.replace(/^.*? job /, '')}: ${c.argv.join(' ')}`);
    expect(lines.filter((l) => / run scenarios\/ .*--image/.test(l)), lines.join('\n')).toHaveLength(2);
    expect(lines.filter((l) => / conformance .*--image/.test(l)), lines.join('\n')).toHaveLength(2);
    expect(lines.filter((l) => /^smoke .*--tag smoke .*--dry-run/.test(l)), lines.join('\n')).toHaveLength(1);
    expect(lines.filter((l) => /^smoke .*--tag smoke .*--marker/.test(l)), lines.join('\n')).toHaveLength(1);
    // Each command that reports writes JUnit and the step summary.
    for (const c of commands.filter((c) => !c.argv.includes('--dry-run'))) {
      expect(c.argv, c.where).toContain('github');
      expect(c.argv.some((w) => w.startsWith('junit:reports/')), c.where).toBe(true);
    }
  });

  it.each(commands.map((c) => [`${c.where}: cosigner-sim ${c.argv.join(' ')}`, c] as const))('%s parses with the option table', (_name, c) => {
    const parsed = parseWithTable(c.argv, c.where);
    expect(() => resolveWithCli(parsed)).not.toThrow();
    for (const path of parsed.command === 'run' ? parsed.positionals : []) {
      expect(existsSync(join(ROOT, c.cwd, path)), `${c.where}: ${path} in ${c.cwd}`).toBe(true);
    }
    for (const key of ['cosignerKey', 'handlerPublicKey', 'pinnedCert'] as const) {
      // The smoke job writes its key files from secrets in an earlier step: the same names.
      // --cosigner-key is repeatable (a list); the others are one path.
      for (const path of [parsed.values[key]].flat()) if (typeof path === 'string') expect(path, c.where).toMatch(/^staging-keys\//);
    }
    for (const value of (parsed.values.env as string[] | undefined) ?? []) expect(value, c.where).toMatch(/^[A-Z_][A-Z0-9_]*=./);
  });

  it('the parser refuses what the CLI refuses (so the checks above can fail)', () => {
    expect(() => parseWithTable(['run', '--imgae', 'x'], 'bad')).toThrow(/--imgae is not an option of cosigner-sim run/);
    expect(() => parseWithTable(['conformance', '--tag', 'smoke'], 'bad')).toThrow(/--tag is not an option of cosigner-sim conformance \(only run\)/);
    expect(() => parseWithTable(['deploy'], 'bad')).toThrow(/not a cosigner-sim command/);
    expect(() => parseWithTable(['run', '--option'], 'bad')).toThrow(/--option needs a value/);
    expect(() => resolveWithCli(parseWithTable(['run', '--option', '7'], 'bad'))).toThrow(/--option/);
    expect(() => resolveWithCli(parseWithTable(['run', '--reporter', 'github', '--reporter', 'junit'], 'bad'))).toThrow(/both write to stdout/);
    expect(() => resolveWithCli(parseWithTable(['run', '--url', 'https://h.example.com/cb/v2'], 'bad'))).toThrow();
    expect(() => workflowCommands('jobs: { a: { steps: [ { run: "npx cosigner-sim run --url ${{ secrets.X }}" } ] } }')).toThrow(/no sample value for \$\{\{ secrets.X \}\}/);
    expect(() => workflowCommands('jobs: { a: { steps: [ { run: "npx cosigner-sim run $(pwd)" } ] } }')).toThrow(/unsupported shell syntax/);
  });

  it('embeddedDryRunArgv points a workflow command at the embedded handler, sending nothing', () => {
    const argv = ['run', 'scenarios/', '--option', '4', '--image', 'h:ci', '--port', '8443', '--env', 'A=b', '--reporter', 'github', '--reporter', 'junit:reports/s.xml'];
    expect(embeddedDryRunArgv(argv, '/tmp/r')).toEqual(['run', 'scenarios/', '--option', '4', '--reporter', 'github', '--reporter', 'junit:/tmp/r/reports_s.xml', '--dry-run']);
    expect(embeddedDryRunArgv(['run', '--url', 'https://h', '--dry-run', '--tag', 'smoke'], '/tmp/r')).toEqual(['run', '--tag', 'smoke', '--dry-run']);
  });

  // conformance has no --dry-run (its probes send a number of requests that depends on the answers):
  // each conformance command of the workflow runs for real against the embedded reference handler,
  // with the workflow's option, reporters and flags, and must pass and write its JUnit file.
  // One run per command shape: the matrix's other options run the same command with another --option.
  const conformanceShapes = [...new Map(commands.filter((c) => c.argv[0] === 'conformance').map((c) => [c.argv.join(' ').replace(/option[ -]\d/g, 'option N'), c])).values()];
  it.each(conformanceShapes.map((c) => [`${c.where}: cosigner-sim ${c.argv.join(' ')}`, c] as const))(
    '%s passes against the embedded handler and writes its reports',
    async (_name, c) => {
      const reports = mkdtempSync(join(tmpdir(), 'csim-ci-conf-'));
      try {
        const argv = embeddedDryRunArgv(c.argv, reports).filter((w) => w !== '--dry-run');
        const r = await runInProcess(argv, { cwd: join(ROOT, c.cwd) });
        expect(r.code, r.stderr + r.stdout).toBe(0);
        expect(readdirSync(reports).some((f) => f.endsWith('.xml')), readdirSync(reports).join(', ')).toBe(true);
      } finally {
        rmSync(reports, { recursive: true, force: true });
      }
    },
  );

  it.each(commands.filter((c) => c.argv[0] === 'run' || c.argv[0] === 'send').map((c) => [`${c.where}: cosigner-sim ${c.argv.join(' ')}`, c] as const))(
    '%s --dry-run against the embedded handler: exit 0, a request bound, nothing sent',
    async (_name, c) => {
      const reports = mkdtempSync(join(tmpdir(), 'csim-ci-dry-'));
      try {
        const r = await runInProcess(embeddedDryRunArgv(c.argv, reports), { cwd: join(ROOT, c.cwd) });
        expect(r.code, r.stderr + r.stdout).toBe(0);
        expect(r.stdout).toMatch(/at most \d+ requests?/);
        // A dry run writes no report: the workflow's JUnit files appear only on a real run.
        expect(readdirSync(reports)).toEqual([]);
      } finally {
        rmSync(reports, { recursive: true, force: true });
      }
    },
  );
});
