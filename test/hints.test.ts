/**
 * Hints are read by people on every stack. A hint that shows a fix in code must show it for Express
 * and for Python (FastAPI or Flask) at least; otherwise it says the fix without a framework ("read
 * the raw body as text, whatever its Content-Type") [issue 12: "Hints for every stack"].
 *
 * The hints are collected from the source: every string literal that follows `hint:` or `hint =`
 * in simulator/ (the checks, the battery, the targets, the CLI). A literal "contains code" when it
 * has a method call (`express.text(`, `request.get_data(`) or an arrow function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.global-setup.js';

/** `a.b(` or `=>`: code, not prose. A shell command line (openssl …) is prose here: it runs anywhere. */
export const CODE = /\b[A-Za-z_]\w*\.[A-Za-z_]\w*\(|=>/;
const EXPRESS = /\bExpress\b/;
const PYTHON = /\b(FastAPI|Flask)\b/;

/** What is wrong with a hint, or undefined. */
export function hintProblem(hint: string): string | undefined {
  if (!CODE.test(hint)) return undefined;
  const missing = [...(EXPRESS.test(hint) ? [] : ['Express']), ...(PYTHON.test(hint) ? [] : ['FastAPI or Flask'])];
  return missing.length > 0 ? `shows code but no ${missing.join(' and no ')} variant` : undefined;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The string literals after `hint:` / `hint =` (a template's `${…}` parts left in, they are code of ours, not of the hint). */
function hintsIn(text: string): string[] {
  const out: string[] = [];
  // A property or variable named hint, not the word inside a string (`label('hint:')`) or a comment.
  const start = /(?<=[\s{,(])hint\s*[:=]\s*(?:\w+\s*\?\s*)?/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    let i = m.index + m[0].length;
    // A hint may be a sum or a ternary of literals: take every literal up to the end of the expression.
    while (i < text.length) {
      while (/[\s+]/.test(text[i] ?? '')) i++;
      const q = text[i];
      if (q !== "'" && q !== '"' && q !== '`') break;
      let j = i + 1;
      let depth = 0;
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (q === '`' && text[j] === '$' && text[j + 1] === '{') depth++;
        else if (q === '`' && text[j] === '}' && depth > 0) depth--;
        else if (text[j] === q && depth === 0) break;
      }
      out.push(text.slice(i + 1, j).replace(/\$\{[^}]*\}/g, ''));
      i = j + 1;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] === ':' || text[i] === '?') i++;
      else if (text[i] !== '+') break;
    }
  }
  return out;
}

const HINTS = sources(join(ROOT, 'simulator')).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  // Constants a hint is built from (CONTENT_TYPE_HINT = '…') count as hints too.
  const constants = [...text.matchAll(/const [A-Z_]*HINT\s*=\s*\n?\s*(['`"])([\s\S]*?)\1;/g)].map((m) => m[2]!);
  return [...hintsIn(text), ...constants].map((hint) => ({ file: relative(ROOT, file), hint }));
});

describe('hints for every stack', () => {
  it('collects the hints of the checks, the battery and the CLI', () => {
    expect(HINTS.length).toBeGreaterThan(100);
    expect(HINTS.some((h) => h.hint.includes('express.text('))).toBe(true);
  });

  it('every hint that shows code shows it for Express and for FastAPI or Flask', () => {
    const bad = HINTS.map((h) => ({ ...h, problem: hintProblem(h.hint) })).filter((h) => h.problem !== undefined);
    expect(bad.map((h) => `${h.file}: ${h.problem}: ${h.hint}`)).toEqual([]);
  });

  it('tells code from prose (so the rule above can fail)', () => {
    expect(hintProblem("Express: app.use(express.text({ type: () => true }))")).toBe('shows code but no FastAPI or Flask variant');
    expect(hintProblem('body = await request.body() in FastAPI')).toBe('shows code but no Express variant');
    expect(hintProblem('read the raw body as text, whatever its Content-Type')).toBeUndefined();
    expect(hintProblem('make the key RSA-2048 (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)')).toBeUndefined();
  });
});
