/**
 * The README is part of the interface: it must list every error code and every check id, and
 * keep the two set-up commands in its first lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../simulator/errors.js';
import { CHECK_IDS, SCENARIO_CHECK_IDS } from '../simulator/protocol/types.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two set-up commands', () => {
    const head = readme.split('\n').slice(0, 10).join('\n');
    expect(head).toContain('npm ci && npx cosigner-sim run scenarios/');
    expect(head).toContain('npm test');
  });

  it.each([...ERROR_CODES])('documents error code %s', (code) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\|`));
  });

  it.each([...CHECK_IDS, ...SCENARIO_CHECK_IDS])('documents check id %s', (id) => {
    expect(readme).toMatch(new RegExp(`\\| \`${id}\` \\|`));
  });
});
