import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE_NAME, checkScenarioShape, schemaPath, scenarioValidator } from './schema.js';

/**
 * The scenario validator as ajv compiles it from the shipped schema: `#/definitions/scenario`,
 * stopping at the first failure, its errors carrying their parentSchema (where the `x-expected`
 * wording and the known keys are), strict (a schema typo fails here, not in a user's run).
 */
function compile(source: boolean) {
  const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, ...(source ? { code: { source: true, esm: true } } : {}) });
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  ajv.addSchema(JSON.parse(readFileSync(schemaPath(), 'utf8')) as object, SCHEMA_FILE_NAME);
  const validate = ajv.getSchema(`${SCHEMA_FILE_NAME}#/definitions/scenario`);
  if (!validate) throw new Error(`${SCHEMA_FILE_NAME} has no definitions/scenario`);
  return { ajv, validate };
}

/** The module the loader imports: ajv's standalone code, with the `require` its runtime helpers need in an ES module. */
function generatedModule(): string {
  const { ajv, validate } = compile(true);
  return [
    `// Generated from schema/${SCHEMA_FILE_NAME} by simulator/suite/scenario-validator.test.ts: do not edit.`,
    '// After a schema change: npx vitest run simulator/suite/scenario-validator.test.ts -u',
    '// Compiled ahead so that a run does not load and warm up ajv to compile it (~0.3-0.6 s of CPU).',
    '// @ts-nocheck',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    standaloneCode.default(ajv, validate),
    '',
  ].join('\n');
}

describe('the precompiled scenario validator', () => {
  it('is ajv standalone code of the shipped schema, up to date', async () => {
    await expect(generatedModule()).toMatchFileSnapshot('./scenario-validator.generated.ts');
  });

  it('judges and reports as the validator ajv compiles at run time', () => {
    const { validate } = compile(false);
    const samples: unknown[] = [
      { name: 'ok', request: { type: 'tx', stage: 'signing' }, expect: { action: 'APPROVE' } },
      { name: 'bad action', request: { type: 'tx' }, expect: { action: 'approve' } },
      { name: 'unknown key', request: { type: 'tx' }, expect: { acton: 'APPROVE' } },
      { name: '', request: { type: 'tx' } },
      { name: 'tags', tags: ['a', 'a'], request: { type: 'tx' } },
      { name: 'options', options: [9], request: { type: 'tx' } },
      { name: 'retry', retry: { max: 'three' }, request: { type: 'tx' } },
      { request: { type: 'tx' } },
    ];
    for (const s of samples) {
      const ok = validate(s);
      expect(scenarioValidator()(s), JSON.stringify(s)).toBe(ok);
      expect(scenarioValidator().errors ?? null, JSON.stringify(s)).toEqual(validate.errors ?? null);
    }
    expect(checkScenarioShape(samples[1])?.message).toContain('expect.action must be one of');
  });
});
