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
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g), // import x from '…', export … from '…'
    ...text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g), // side-effect import '…'
    ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g), // dynamic import('…')
  ].map((m) => m[1]!);
}

function offenders(dir: string, forbidden: RegExp): string[] {
  return sources(dir).flatMap((file) => imports(file).filter((spec) => forbidden.test(spec)).map((spec) => `${relative(ROOT, join(ROOT, file))} imports ${spec}`));
}

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

  it('the test reads real import lines (sanity)', () => {
    expect(imports('simulator/client/cosigner.ts')).toContain('./transport.js');
  });
});
