import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { COMMANDS, CONFIG_SCHEMA_FILE, SPECS, configReaders, configSchema, flagName, isShared, specsOf, specOfFlag } from './option-table.js';

const ROOT = new URL('../../', import.meta.url);

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(JSON.parse(readFileSync(new URL(CONFIG_SCHEMA_FILE, ROOT), 'utf8')) as object);
}

describe('the option table', () => {
  it('declares each key and each flag once', () => {
    const keys = SPECS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    const flags = SPECS.filter((s) => s.flag !== undefined).map(flagName);
    expect(new Set(flags).size).toBe(flags.length);
    for (const s of SPECS) {
      expect(s.commands.length, s.key).toBeGreaterThan(0);
      if (s.flag !== undefined) expect(specOfFlag(flagName(s))).toBe(s);
    }
    expect(specOfFlag('--skip=tls')?.key).toBe('skip');
  });

  it('gives every command its own list, and selftest only what it reads', () => {
    expect(specsOf('selftest').map(flagName)).toEqual(['--config', '--reporter', '--all-options']);
    for (const command of COMMANDS) expect(specsOf(command).map((s) => s.key)).toContain('config');
  });

  // The committed schema is generated: `npx vitest run simulator/cli/option-table.test.ts -u` rewrites it.
  it('generates the committed schema/config.schema.json', async () => {
    await expect(`${JSON.stringify(configSchema(), null, 2)}\n`).toMatchFileSnapshot(`../../${CONFIG_SCHEMA_FILE}`);
  });
});

describe('schema/config.schema.json', () => {
  // Read when the first test runs: the test above writes the file when it is missing.
  let validate: ReturnType<typeof validator> | undefined;
  const ok = (doc: unknown) => {
    validate ??= validator();
    const valid = validate(doc);
    return { valid, errors: JSON.stringify(validate.errors) };
  };

  it('accepts every row\u2019s example where it belongs: shared keys at the top, every key in its commands\u2019 sections', () => {
    const top: Record<string, unknown> = {};
    const sections: Record<string, Record<string, unknown>> = {};
    for (const s of SPECS.filter((r) => r.config)) {
      if (isShared(s)) top[s.key] = s.example;
      for (const c of configReaders(s)) (sections[c] ??= {})[s.key] = s.example;
    }
    const r = ok({ $schema: './schema/config.schema.json', ...top, ...sections });
    expect(r.valid, r.errors).toBe(true);
  });

  it('refuses, at both levels, what the loader refuses', () => {
    expect(ok({ kitt: 'keys/' }).valid).toBe(false); // unknown
    expect(ok({ concurrency: 2 }).valid).toBe(false); // run's alone: belongs under run:
    expect(ok({ run: { skip: ['tls'] } }).valid).toBe(false); // conformance's, not run's
    expect(ok({ selftest: { option: 2 } }).valid).toBe(false);
    expect(ok({ run: { kitt: 'x' } }).valid).toBe(false);
    expect(ok({ config: 'other.yaml' }).valid).toBe(false); // a flag only
    expect(ok({ run: ['a'] }).valid).toBe(false);
    expect(ok({ init: { option: 2 } }).valid).toBe(false); // init reads no config file
  });

  it('checks value types', () => {
    expect(ok({ timeout: true }).valid).toBe(false);
    expect(ok({ timeout: 'soon' }).valid).toBe(false);
    expect(ok({ option: 7 }).valid).toBe(false);
    expect(ok({ reporter: ['jsno'] }).valid).toBe(false);
    expect(ok({ conformance: { skip: ['tsl'] } }).valid).toBe(false);
    expect(ok({ conformance: { slowFraction: 2 } }).valid).toBe(false);
    expect(ok({ send: { stage: 'sign' } }).valid).toBe(false);
    expect(ok({ timeout: '2s', option: 'all', reporter: 'junit:r.xml', send: { set: { amount: 1 }, unset: 'signerId' }, run: { concurrency: 2 } }).valid).toBe(true);
  });
});
