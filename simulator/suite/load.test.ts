import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios, parseTextMatcher } from './load.js';

const BAD = 'test/fixtures/scenarios-bad';
const invalid = (message: string, extra: Record<string, unknown> = {}) =>
  expect.objectContaining({ code: 'CSIM_SCENARIO_INVALID', message: expect.stringContaining(message), hint: expect.any(String), ...extra });

describe('loadScenarios: malformed input', () => {
  it('reports bad YAML syntax with the file and line', async () => {
    await expect(loadScenarios([`${BAD}/bad-yaml.yaml`])).rejects.toEqual(invalid(`${BAD}/bad-yaml.yaml:5: invalid YAML`, { line: 5 }));
  });

  it('reports bad JSON syntax with the line', async () => {
    await expect(loadScenarios([`${BAD}/bad-json.json`])).rejects.toEqual(invalid(`${BAD}/bad-json.json:5: invalid JSON`, { line: 5 }));
  });

  it('refuses an unknown key and suggests the close one', async () => {
    await expect(loadScenarios([`${BAD}/unknown-key.yaml`])).rejects.toEqual(
      invalid(`${BAD}/unknown-key.yaml:7: unknown key expect.acton: did you mean expect.action?`, { field: 'expect.acton', line: 7, file: `${BAD}/unknown-key.yaml` }),
    );
  });

  it('names the field, what was expected and what was found for a wrong type', async () => {
    await expect(loadScenarios([`${BAD}/wrong-type.yaml`])).rejects.toEqual(invalid(`${BAD}/wrong-type.yaml:6: retry.max must be an integer (got "three")`, { field: 'retry.max' }));
  });

  it('lists the actions for a bad action, and hints at the case', async () => {
    const err = await loadScenarios([`${BAD}/bad-action.yaml`]).catch((e: unknown) => e);
    expect(err).toEqual(invalid(`${BAD}/bad-action.yaml:6: expect.action must be one of APPROVE, REJECT, RETRY, IGNORE (got "approve")`, { field: 'expect.action' }));
    expect(err).toMatchObject({ hint: 'values are case-sensitive: write APPROVE' });
  });

  it('refuses a bad duration', async () => {
    await expect(loadScenarios([`${BAD}/bad-duration.yaml`])).rejects.toEqual(invalid(`${BAD}/bad-duration.yaml:7: expect.within must be a duration like 500ms, 2s or 1m`, { field: 'expect.within' }));
  });

  it('refuses a duration without a unit, naming the file and line and the fix', async () => {
    const err = await loadScenarios([`${BAD}/bare-number-duration.yaml`]).catch((e: unknown) => e);
    expect(err).toEqual(invalid(`${BAD}/bare-number-duration.yaml:7: expect.within must be a duration like 500ms, 2s or 1m`, { field: 'expect.within', line: 7 }));
    expect((err as Error).message).toContain('write 30s or 500ms');
  });

  it('refuses a RegExp that does not compile', async () => {
    await expect(loadScenarios([`${BAD}/bad-regex.yaml`])).rejects.toEqual(
      invalid(`${BAD}/bad-regex.yaml:7: expect.rejectionReason must be a valid regular expression`, { field: 'expect.rejectionReason' }),
    );
  });

  it('refuses duplicate names across files, naming both places', async () => {
    await expect(loadScenarios([`${BAD}/duplicate-names`])).rejects.toEqual(
      invalid(`${BAD}/duplicate-names/b.yaml:4: name must be unique (got "same name", already used at ${BAD}/duplicate-names/a.yaml:1)`),
    );
  });

  it('points into a list of scenarios', async () => {
    await expect(loadScenarios([`${BAD}/list-item-bad-stage.yaml`])).rejects.toEqual(
      invalid(`${BAD}/list-item-bad-stage.yaml:10: request.stage must be one of approval, signing (got "signed") in scenario 2 of the list`),
    );
  });

  it('refuses tx-only fields on a config change', async () => {
    await expect(loadScenarios([`${BAD}/config-with-stage.yaml`])).rejects.toEqual(invalid(`${BAD}/config-with-stage.yaml:5: request.stage is for tx requests only`));
  });

  it('names an each placeholder the row does not define', async () => {
    await expect(loadScenarios([`${BAD}/unknown-placeholder.yaml`])).rejects.toEqual(
      invalid(`${BAD}/unknown-placeholder.yaml:8: request.payload.amountStr uses \${amout}, which the each row does not define: did you mean \${amount}? (each row 1)`),
    );
  });

  it('refuses a signWith file that does not exist, relative to the scenario file', async () => {
    await expect(loadScenarios([`${BAD}/missing-sign-with.yaml`])).rejects.toEqual(
      invalid(`${BAD}/missing-sign-with.yaml:5: request.signWith must name a PEM private key file`, { hint: 'the path is relative to the scenario file' }),
    );
  });
});

describe('loadScenarios: files and folders', () => {
  let dir: string;
  const write = async (rel: string, text: string) => {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csim-load-'));
    await mkdir(join(dir, 'empty'));
    await write('other/readme.txt', 'not a scenario');
    await write('suite/b.yaml', 'name: b\nrequest: { type: tx }\n');
    await write('suite/a.json', JSON.stringify([{ name: 'a1', request: { type: 'config' }, expect: { action: 'APPROVE' } }, { name: 'a2', request: { type: 'tx' } }]));
    await write('suite/sub/c.yml', '---\nname: c1\nrequest: { type: tx }\n---\nname: c2\nrequest: { type: tx }\n');
    await write('suite/node_modules/x/bad.yaml', 'this: is not loaded');
    await write('suite/.hidden/bad.yaml', 'this: is not loaded');
    await write('suite/scenario.schema.json', '{"type": "object"}');
    await write('empty-file.yaml', '# nothing here\n');
    await write(
      'each.yaml',
      [
        'name: limit',
        'tags: [table]',
        'options: [5, 4]',
        'retry: { max: 2, interval: 1s }',
        'each:',
        '  - { amount: "1", action: APPROVE }',
        '  - { name: big, amount: "54", action: REJECT, reason: /exceeds/i }',
        'request:',
        '  type: tx',
        '  stage: approval',
        '  payload: { amountStr: "${amount}", note: "pay ${amount} ETH", literal: "$${amount}" }',
        'expect:',
        '  action: ${action}',
        '  within: 1500ms',
        '',
      ].join('\n'),
    );
    await write('profiles/ok.yaml', 'name: old\nprofile: sgx@3.6.9\nrequest: { type: tx }\n');
    await write('profiles/bad.yaml', '# a typo\nname: typo\nprofile: sgz@3.5.0\nrequest: { type: tx }\n');
    await write('keys/k.pem', 'placeholder');
    await write(
      'steps/flow.yaml',
      [
        'name: flow',
        'steps:',
        '  - name: approval',
        '    request: { type: tx, stage: approval, txId: tx-1 }',
        '    expect: { action: APPROVE, rejectionReason: null }',
        '  - request: { type: tx, signWith: ../keys/k.pem, batched: 2, destinations: 2, unset: [signerId], payloadMode: template, contentType: application/jwt, headers: { x-test: "1" } }',
        '    expect: { status: 401, failChecks: [http-status], rejectionReason: exact words }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks folders recursively in name order, skipping node_modules, dot-folders and schema files', async () => {
    const s = await loadScenarios(['suite'], { cwd: dir });
    expect(s.map((x) => [x.name, x.file])).toEqual([
      ['a1', join('suite', 'a.json')],
      ['a2', join('suite', 'a.json')],
      ['b', join('suite', 'b.yaml')],
      ['c1', join('suite', 'sub', 'c.yml')],
      ['c2', join('suite', 'sub', 'c.yml')],
    ]);
    expect(s[0]).toMatchObject({ line: 1, steps: [{ request: { type: 'config' }, expect: { action: 'APPROVE' } }] });
    expect(s[2]).toMatchObject({ tags: [], steps: [{ request: { type: 'tx', stage: 'signing' }, expect: {} }] });
    expect(s[4]?.line).toBe(5);
  });

  it('reads profile: as written, and refuses one that names no profile with the file, line and did-you-mean', async () => {
    expect((await loadScenarios(['profiles/ok.yaml'], { cwd: dir }))[0]?.profile).toBe('sgx@3.6.9');
    const err = await loadScenarios(['profiles/bad.yaml'], { cwd: dir }).catch((e: unknown) => e);
    expect(err).toEqual(invalid('profiles/bad.yaml:3: profile: Unknown profile "sgz@3.5.0"', { field: 'profile', hint: expect.stringContaining('did you mean sgx@3.5.0?') }));
  });

  it('throws NoScenariosError for an empty folder, or one without scenario files', async () => {
    const expected = expect.objectContaining({ code: 'CSIM_NO_SCENARIOS', message: 'No scenario files found in empty (looked for *.yaml, *.yml, *.json)' });
    await expect(loadScenarios(['empty'], { cwd: dir })).rejects.toEqual(expected);
    await expect(loadScenarios(['other'], { cwd: dir })).rejects.toEqual(expect.objectContaining({ code: 'CSIM_NO_SCENARIOS', message: expect.stringContaining('other') }));
  });

  it('refuses a file without scenarios, and a path that does not exist', async () => {
    await expect(loadScenarios(['empty-file.yaml'], { cwd: dir })).rejects.toEqual(invalid('empty-file.yaml:1: the file holds no scenario'));
    await expect(loadScenarios(['nope/'], { cwd: dir })).rejects.toEqual(expect.objectContaining({ code: 'CSIM_FILE_NOT_FOUND', message: expect.stringContaining('nope/') }));
  });

  it('expands each rows into named scenarios and fills placeholders', async () => {
    const s = await loadScenarios(['each.yaml'], { cwd: dir });
    expect(s.map((x) => x.name)).toEqual(['limit [row 1]', 'limit [big]']);
    expect(s[0]).toMatchObject({
      row: 1,
      tags: ['table'],
      options: [4, 5],
      retry: { max: 2, intervalMs: 1000 },
      steps: [{ request: { type: 'tx', stage: 'approval', payload: { amountStr: '1', note: 'pay 1 ETH', literal: '${amount}' } }, expect: { action: 'APPROVE', withinMs: 1500 } }],
    });
    expect(s[1]?.steps[0]?.expect).toEqual({ action: 'REJECT', withinMs: 1500 });
  });

  it('reads steps, request overrides and signWith relative to the scenario file', async () => {
    const [s] = await loadScenarios(['steps/flow.yaml'], { cwd: dir });
    expect(s?.steps).toHaveLength(2);
    expect(s?.steps[0]).toEqual({ name: 'approval', request: { type: 'tx', stage: 'approval', txId: 'tx-1' }, expect: { action: 'APPROVE', rejectionReason: null } });
    expect(s?.steps[1]?.request).toEqual({
      type: 'tx',
      stage: 'signing',
      signWith: join(dir, 'keys', 'k.pem'),
      batched: 2,
      destinations: 2,
      unset: ['signerId'],
      payloadMode: 'template',
      contentType: 'application/jwt',
      headers: { 'x-test': '1' },
    });
    expect(s?.steps[1]?.expect).toEqual({ status: 401, failChecks: ['http-status'], rejectionReason: 'exact words' });
  });

  it('refuses request together with steps, and expect outside the steps', async () => {
    await write('both.yaml', 'name: both\nrequest: { type: tx }\nsteps:\n  - request: { type: tx }\n');
    await write('outer-expect.yaml', 'name: outer\nsteps:\n  - request: { type: tx }\nexpect: { action: APPROVE }\n');
    await write('neither.yaml', 'name: neither\nexpect: { action: APPROVE }\n');
    await expect(loadScenarios(['both.yaml'], { cwd: dir })).rejects.toEqual(invalid('both.yaml:3: steps must not be used together with request'));
    await expect(loadScenarios(['outer-expect.yaml'], { cwd: dir })).rejects.toEqual(invalid('outer-expect.yaml:4: expect must go inside each step'));
    await expect(loadScenarios(['neither.yaml'], { cwd: dir })).rejects.toEqual(invalid('neither.yaml:1: request is required'));
  });

  it('reports the line of a missing required field and of list items', async () => {
    await write('no-name.yaml', '# a comment\nrequest:\n  type: tx\n');
    await write('bad-option.yaml', 'name: o\noptions:\n  - 4\n  - 7\nrequest: { type: tx }\n');
    await write('bad-fail-check.yaml', 'name: f\nrequest: { type: tx }\nexpect:\n  failChecks: [jwt-signatur]\n');
    await expect(loadScenarios(['no-name.yaml'], { cwd: dir })).rejects.toEqual(invalid('no-name.yaml:2: name is required'));
    await expect(loadScenarios(['bad-option.yaml'], { cwd: dir })).rejects.toEqual(invalid('bad-option.yaml:4: options[1] must be one of 1, 2, 3, 4, 5 (got number 7)'));
    await expect(loadScenarios(['bad-fail-check.yaml'], { cwd: dir })).rejects.toEqual(invalid('bad-fail-check.yaml:4: expect.failChecks[0] must be one of connect, tls'));
  });

  it('checks placeholder values again once they are filled in', async () => {
    await write('bad-row.yaml', 'name: r\neach:\n  - { action: approve }\nrequest: { type: tx }\nexpect:\n  action: ${action}\n');
    await write('stray-placeholder.yaml', 'name: p\nrequest: { type: tx }\nexpect:\n  action: ${action}\n');
    await expect(loadScenarios(['bad-row.yaml'], { cwd: dir })).rejects.toEqual(invalid('bad-row.yaml:6: expect.action must be one of APPROVE, REJECT, RETRY, IGNORE (got "approve") (each row 1)'));
    await expect(loadScenarios(['stray-placeholder.yaml'], { cwd: dir })).rejects.toEqual(
      invalid('stray-placeholder.yaml:4: expect.action must be one of APPROVE, REJECT, RETRY, IGNORE (got "${action}")', { hint: expect.stringContaining('each') }),
    );
  });

  it('reads expect.status as a code, a list of codes, or refused', async () => {
    await write('status-forms.yaml', ['- name: one', '  request: { type: tx }', '  expect: { status: 404 }', '- name: list', '  request: { type: tx }', '  expect:', '    status: [401, 403]', '- name: refused', '  request: { type: tx }', '  expect: { status: refused }', ''].join('\n'));
    await write('status-row.yaml', 'name: row\neach:\n  - { codes: [401, 403] }\n  - { codes: refused }\nrequest: { type: tx }\nexpect:\n  status: ${codes}\n');
    const s = await loadScenarios(['status-forms.yaml', 'status-row.yaml'], { cwd: dir });
    expect(s.map((x) => x.steps[0]?.expect.status)).toEqual([404, [401, 403], 'refused', [401, 403], 'refused']);
  });

  it('refuses a bad expect.status with file, line and field', async () => {
    await write('status-bad-word.yaml', 'name: w\nrequest: { type: tx }\nexpect:\n  status: forbidden\n');
    await write('status-case.yaml', 'name: c\nrequest: { type: tx }\nexpect:\n  status: Refused\n');
    await write('status-bad-item.yaml', 'name: i\nrequest: { type: tx }\nexpect:\n  status:\n    - 401\n    - 40\n');
    await write('status-empty.yaml', 'name: e\nrequest: { type: tx }\nexpect:\n  status: []\n');
    await write('status-bad-row.yaml', 'name: r\neach:\n  - { codes: [401, 4030] }\nrequest: { type: tx }\nexpect:\n  status: ${codes}\n');
    await expect(loadScenarios(['status-bad-word.yaml'], { cwd: dir })).rejects.toEqual(
      invalid('status-bad-word.yaml:4: expect.status must be an HTTP status code from 100 to 599, a list of them, or refused (any 401 or 403) (got "forbidden")'),
    );
    await expect(loadScenarios(['status-case.yaml'], { cwd: dir })).rejects.toEqual(invalid('status-case.yaml:4: expect.status must be', { hint: 'values are case-sensitive: write refused' }));
    await expect(loadScenarios(['status-bad-item.yaml'], { cwd: dir })).rejects.toEqual(invalid('status-bad-item.yaml:6: expect.status[1] must be an HTTP status code from 100 to 599 (got number 40)'));
    await expect(loadScenarios(['status-empty.yaml'], { cwd: dir })).rejects.toEqual(invalid('status-empty.yaml:4: expect.status must be'));
    await expect(loadScenarios(['status-bad-row.yaml'], { cwd: dir })).rejects.toEqual(invalid('status-bad-row.yaml:6: expect.status[1] must be an HTTP status code from 100 to 599 (got number 4030) (each row 1)'));
  });

  it('refuses duplicate names made by each rows', async () => {
    await write('dup-rows.yaml', 'name: d\neach:\n  - { name: x }\n  - { name: x }\nrequest: { type: tx }\n');
    await expect(loadScenarios(['dup-rows.yaml'], { cwd: dir })).rejects.toEqual(invalid('name must be unique (got "d [x]"'));
  });

  it('reads optionalFields onto every step, and refuses a mode it does not know', async () => {
    await write('opt/random.yaml', 'name: r\noptionalFields: random\nsteps:\n  - request: { type: tx, stage: approval }\n  - request: { type: tx }\n');
    const [s] = await loadScenarios([join(dir, 'opt/random.yaml')]);
    expect(s!.steps.map((st) => st.request.optionalFields)).toEqual(['random', 'random']);
    await write('opt-bad/bad.yaml', 'name: b\noptionalFields: some\nrequest: { type: tx }\n');
    await expect(loadScenarios([join(dir, 'opt-bad/bad.yaml')])).rejects.toEqual(invalid('optionalFields must be one of all, none, random', { field: 'optionalFields' }));
  });

  it('refuses an undocumented configType unless allowUnknownType: true', async () => {
    await write('cfg/typo.yaml', 'name: t\nrequest: { type: config, configType: ADD_USR }\n');
    await expect(loadScenarios([join(dir, 'cfg/typo.yaml')])).rejects.toEqual(
      invalid('request.configType must be a documented configuration change type (got "ADD_USR"): did you mean ADD_USER?', { field: 'request.configType', hint: expect.stringContaining('allowUnknownType: true') }),
    );
    await write('cfg-ok/future.yaml', 'name: f\nrequest: { type: config, configType: SOMETHING_NEW, allowUnknownType: true }\n');
    const [s] = await loadScenarios([join(dir, 'cfg-ok/future.yaml')]);
    expect(s!.steps[0]!.request).toMatchObject({ configType: 'SOMETHING_NEW', allowUnknownType: true });
    await write('cfg-tx/tx.yaml', 'name: x\nrequest: { type: tx, allowUnknownType: true }\n');
    await expect(loadScenarios([join(dir, 'cfg-tx/tx.yaml')])).rejects.toEqual(invalid('request.allowUnknownType is for config requests only'));
  });

  it('refuses a payload value that cannot be its wire type, naming the field and line', async () => {
    await write('typed/bad.yaml', 'name: t\nrequest:\n  type: tx\n  payload:\n    amountStr: "1"\n    amount: lots\n');
    await expect(loadScenarios([join(dir, 'typed/bad.yaml')])).rejects.toEqual(
      invalid('bad.yaml:6: request.payload.amount: it is a number on the wire, got string "lots"', { field: 'request.payload.amount', line: 6 }),
    );
    await write('typed-exact/ok.yaml', 'name: e\nrequest: { type: tx, payloadMode: exact, payload: { amount: lots } }\n');
    await expect(loadScenarios([join(dir, 'typed-exact/ok.yaml')])).resolves.toHaveLength(1);
  });

  it('refuses a file with another extension named explicitly', async () => {
    await expect(loadScenarios(['other/readme.txt'], { cwd: dir })).rejects.toEqual(expect.objectContaining({ code: 'CSIM_SCENARIO_INVALID', message: expect.stringContaining('not a scenario file') }));
  });
});

describe('parseTextMatcher', () => {
  it('reads /source/flags as a RegExp and anything else as exact text', () => {
    expect(parseTextMatcher('/limit/i')).toEqual(/limit/i);
    expect(parseTextMatcher('/a\\/b/')).toEqual(/a\/b/);
    expect(parseTextMatcher('amount too large')).toBe('amount too large');
    expect(parseTextMatcher('/path/to')).toBe('/path/to');
    expect(parseTextMatcher('//')).toBe('//');
  });
  it('throws a typed error for a RegExp that does not compile', () => {
    expect(() => parseTextMatcher('/(/')).toThrow(expect.objectContaining({ code: 'CSIM_SCENARIO_INVALID' }));
  });
});

describe('the shipped schema and scenarios', () => {
  it('validate each shipped file as an editor would (the whole-file schema), and carry the yaml-language-server line', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { Ajv } = await import('ajv');
    const { parse } = await import('yaml');
    const { schemaPath } = await import('./schema.js');
    const ajv = new Ajv({ strict: true });
    ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
    const validate = ajv.compile(JSON.parse(await readFile(schemaPath(), 'utf8')) as object);
    const files = (await readdir('scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = await readFile(join('scenarios', f), 'utf8');
      expect(text.split('\n')[0], f).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
      expect(validate(parse(text)), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe('loadScenarios: cosigner', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csim-load-cosigner-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fills every step from the scenario\'s cosigner; a request\'s own wins', async () => {
    const file = join(dir, 'quorum.yaml');
    await writeFile(file, 'name: q\ncosigner: 2\nsteps:\n  - request: { type: tx, stage: approval }\n  - request: { type: tx, stage: approval, cosigner: 1 }\n');
    const [s] = await loadScenarios([file]);
    expect(s!.steps.map((step) => step.request.cosigner)).toEqual([2, 1]);
  });

  it('refuses a Co-signer number below 1, naming the field', async () => {
    const file = join(dir, 'zero.yaml');
    await writeFile(file, 'name: z\nrequest: { type: tx, cosigner: 0 }\n');
    await expect(loadScenarios([file])).rejects.toEqual(expect.objectContaining({ code: 'CSIM_SCENARIO_INVALID', field: 'request.cosigner' }));
  });
});
