/**
 * The layout's one-way imports (STYLE.md §2), held by reading the import lines: the wire model
 * does no I/O, the matchers stay synchronous and transport-free, and nothing in the package
 * depends on the examples.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-d.ts')) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  // Comment lines are left out: a TSDoc @example that shows `import('testcontainers')` loads nothing.
  const text = readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .join('\n');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g), // import x from '…', export … from '…'
    ...text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g), // side-effect import '…'
    ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g), // dynamic import('…')
  ].map((m) => m[1]!);
}

function offenders(dir: string, forbidden: RegExp): string[] {
  return sources(dir).flatMap((file) => imports(file).filter((spec) => forbidden.test(spec)).map((spec) => `${relative(ROOT, join(ROOT, file))} imports ${spec}`));
}

/** Source files of the whole package and the vitest example, tests excluded (they spawn the CLI). */
const PACKAGE_DIRS = ['simulator', 'matchers', 'examples/vitest'];
const inTargets = (file: string): boolean => file.startsWith(join('simulator', 'targets') + '/');
const inReference = (file: string): boolean => file.startsWith(join('simulator', 'reference') + '/');

/** The kinds a TargetSpec has or will have (DESIGN §2). */
const KINDS = '(?:url|reference|command|module|docker)';
const KIND_SWITCH = [
  new RegExp(`\\bcase\\s+'${KINDS}'`), // case 'url':
  new RegExp(`[!=]==\\s*'${KINDS}'`), // x.kind === 'url'
  new RegExp(`'${KINDS}'\\s*[!=]==`), // 'url' === x.kind
  // target.kind, startedTarget?.kind, targetSpec.kind (in cli/, a bare `spec` is an option-table row,
  // whose `kind` is the flag's value type, not a target kind)
  /\b(?:target|started|targetSpec)\w*\??\.kind\b/i,
];

/** Lines of code (comments left out) that branch on a target kind. */
function kindSwitches(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .filter((line) => KIND_SWITCH.some((re) => re.test(line)));
}

/** Calls that start a handler server, which only simulator/targets/ (and reference/ itself) may make. */
const STARTS_HANDLER = /\b(?:startReferenceHandler|serveOption|createReferenceListener)\s*\(/;

describe('architecture', () => {
  it('simulator/protocol does no I/O (no fs, net, tls, http, undici)', () => {
    expect(offenders('simulator/protocol', /^(node:)?(fs|net|tls|http|https|child_process)$|^undici$/)).toEqual([]);
  });

  it('the checks are pure: no transport, no runner, no CLI', () => {
    expect(offenders('simulator/checks', /^(node:)?(fs|net|tls|http|https)$|^undici$|\/(client|runner|cli|reference)\//)).toEqual([]);
  });

  it('the matchers never import the client, TLS, runner, CLI or undici', () => {
    expect(offenders('matchers', /^undici$|\/(client|tls|runner|cli|reference|selftest|conformance)\//)).toEqual([]);
  });

  it('the report module (used by the matchers) imports no client, TLS, CLI, targets, reference or undici', () => {
    expect(sources('simulator/report').length).toBeGreaterThan(0);
    expect(offenders('simulator/report', /^(node:)?(fs|net|tls|http|https|child_process)$|^undici$|\/(client|tls|cli|targets|reference|runner|suite|selftest|conformance)\//)).toEqual([]);
  });

  it('the reference handler (the other side) does not import the simulated Co-signer', () => {
    expect(offenders('simulator/reference', /\/(client|runner|cli|checks|tls)\//)).toEqual([]);
  });

  it('nothing in the package imports examples/', () => {
    expect([...offenders('simulator', /examples\//), ...offenders('matchers', /examples\//)]).toEqual([]);
  });

  it('only simulator/targets/ imports the reference server shell (reference/ itself aside)', () => {
    const found = PACKAGE_DIRS.flatMap((dir) => offenders(dir, /(^|\/)reference\/server(\.js)?$/)).filter((o) => !inTargets(o) && !inReference(o));
    expect(found).toEqual([]);
  });

  it('only simulator/targets/ spawns processes or loads testcontainers', () => {
    const found = PACKAGE_DIRS.flatMap((dir) => offenders(dir, /^(node:)?child_process$|^testcontainers(\/|$)/)).filter((o) => !inTargets(o));
    expect(found).toEqual([]);
  });

  it('the CLI, conformance, selftest, runner and examples/vitest start handlers only through simulator/targets/', () => {
    const files = [...PACKAGE_DIRS.flatMap(sources)].filter((f) => !inTargets(f) && !inReference(f));
    const found = files.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/)/.test(line) && STARTS_HANDLER.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it('cli/ builds a TargetSpec but never branches on its kind, and imports only the targets entry', () => {
    const switches = sources('simulator/cli').flatMap((file) => kindSwitches(readFileSync(join(ROOT, file), 'utf8')).map((line) => `${file}: ${line.trim()}`));
    expect(switches).toEqual([]);
    expect(offenders('simulator/cli', /\/targets\/(?!index\.js$)/)).toEqual([]);
  });

  it('the kind-switch detector catches the shapes it looks for (sanity)', () => {
    const sample = ["switch (targetSpec.kind) {", "  case 'docker':", "if (t.kind === 'url') x();", "const a = 'module' !== k;", " * case 'url': in a comment", "const spec = { kind: 'url', url };"].join('\n');
    expect(kindSwitches(sample)).toEqual(["switch (targetSpec.kind) {", "  case 'docker':", "if (t.kind === 'url') x();", "const a = 'module' !== k;"]);
    expect(STARTS_HANDLER.test('const h = await startReferenceHandler({ option: 1, kit });')).toBe(true);
  });

  it('the test reads real import lines (sanity)', () => {
    expect(imports('simulator/client/cosigner.ts')).toContain('./transport.js');
  });
});
