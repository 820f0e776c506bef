import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { parseSetValue, resolveConformanceOptions, resolveRunOptions, resolveSelftestOptions, resolveSendOptions, type RawFlags } from './options.js';

// Moved here from test/cli-reporters.test.ts with the code they test; assertions unchanged except
// where the config file's sections changed what is valid (said at each).

const flags = (values: Record<string, unknown>, typed: string[] = Object.keys(values)): RawFlags => ({
  values: { option: '1', timeout: '30s', reporter: [], checkHostname: true, color: true, concurrency: '1', stage: 'signing', slowFraction: '0.5', ...values },
  typed: (k) => typed.includes(k),
});

describe('options', () => {
  it('reads defaults, durations and seeds', () => {
    const o = resolveRunOptions([], flags({}), undefined);
    expect(o).toMatchObject({ option: 1, timeoutMs: 30_000, paths: ['scenarios/'], concurrency: 1, bail: false, strict: false, checkHostname: true, reporters: [] });
    expect(Number.isInteger(o.seed)).toBe(true);
    expect(resolveRunOptions([], flags({ timeout: '500ms', seed: '42', option: 'all' }), undefined)).toMatchObject({ timeoutMs: 500, seed: 42, option: 'all' });
    // A number without a unit is refused (`--timeout 30` once meant 30 ms): exit 2, naming the fix.
    expect(() => resolveRunOptions([], flags({ timeout: '1500' }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_USAGE', message: expect.stringContaining('write 30s or 500ms') }));
  });

  it('parses reporters and refuses two on stdout', () => {
    expect(resolveRunOptions([], flags({ reporter: ['json', 'junit:out/r.xml'] }), undefined).reporters).toEqual([{ name: 'json' }, { name: 'junit', file: 'out/r.xml' }]);
    expect(() => resolveRunOptions([], flags({ reporter: ['json', 'github'] }), undefined)).toThrow(/json and github would both write to stdout/);
    expect(() => resolveRunOptions([], flags({ reporter: ['jsno'] }), undefined)).toThrow(/Did you mean json\?/);
  });

  it('parses --set values as JSON, else as strings', () => {
    expect(parseSetValue('250000')).toBe(250000);
    expect(parseSetValue('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseSetValue('null')).toBeNull();
    expect(parseSetValue('0xabc')).toBe('0xabc');
    const o = resolveSendOptions('tx', flags({ set: ['amount=5', 'destinations.0.dstAddress=0xabc', 'note=a=b'], unset: ['signerId'] }), undefined);
    expect(o).toMatchObject({ kind: 'tx', stage: 'signing', set: { amount: 5, 'destinations.0.dstAddress': '0xabc', note: 'a=b' }, unset: ['signerId'] });
    // An undocumented type is sent only when marked deliberate (issue 9).
    expect(resolveSendOptions('config', flags({ type: 'SOMETHING_NEW', allowUnknownType: true }), undefined)).toMatchObject({ stage: 'approval', type: 'SOMETHING_NEW' });
  });

  it('converts --set to the wire type of the field, and --set-json sends the JSON as written', () => {
    const o = resolveSendOptions('tx', flags({ set: ['amountStr=250000', 'amount=7', 'destId=12', 'destinations.0.amountNativeStr=0.10', 'customerRefId=1'] }), undefined);
    expect(o.set).toEqual({ amountStr: '250000', amount: 7, destId: '12', 'destinations.0.amountNativeStr': '0.10', customerRefId: 1 });
    expect(() => resolveSendOptions('tx', flags({ set: ['amount=lots'] }), undefined)).toThrow(
      expect.objectContaining({ code: 'CSIM_USAGE', message: expect.stringMatching(/--set: payload field "amount": it is a number on the wire, got string "lots"/) }),
    );
    const j = resolveSendOptions('tx', flags({ set: ['amountStr=1'], setJson: ['amountStr=250000', 'destinations.0.dstId=null'] }), undefined);
    expect(j.set).toEqual({ amountStr: 250000, 'destinations.0.dstId': null });
    expect(j.verbatim).toEqual(['amountStr', 'destinations.0.dstId']);
    expect(() => resolveSendOptions('tx', flags({ setJson: ['amount=abc'] }), undefined)).toThrow(/--set-json: "amount=abc": the value is not JSON/);
    const c = resolveSendOptions('config', flags({ type: 'ADD_NETWORK_CONNECTION', set: ['extraInfo.note=1'] }), undefined);
    expect(c.set).toEqual({ 'extraInfo.note': '1' });
  });

  it('refuses an undocumented --type with the nearest real one, unless --allow-unknown-type', () => {
    expect(() => resolveSendOptions('config', flags({ type: 'NOT_A_TYPE' }), undefined)).toThrow(
      expect.objectContaining({ code: 'CSIM_USAGE', field: 'type', message: expect.stringMatching(/"NOT_A_TYPE" is not a documented configuration change type\. Did you mean [A-Z_]+\?/), hint: expect.stringContaining('--allow-unknown-type') }),
    );
    expect(() => resolveSendOptions('config', flags({ type: 'ADD_USR' }), undefined)).toThrow(/Did you mean ADD_USER\?/);
    expect(resolveSendOptions('config', flags({ type: 'ADD_USER' }), undefined).type).toBe('ADD_USER');
  });

  it('reads --optional-fields for every command that sends (default all)', () => {
    expect(resolveRunOptions([], flags({}), undefined).optionalFields).toBe('all');
    expect(resolveRunOptions([], flags({ optionalFields: 'random' }), undefined).optionalFields).toBe('random');
    expect(resolveConformanceOptions(flags({ optionalFields: 'none' }), undefined).optionalFields).toBe('none');
    expect(resolveSendOptions('tx', flags({ optionalFields: 'none' }), undefined).optionalFields).toBe('none');
    expect(() => resolveRunOptions([], flags({ optionalFields: 'rnadom' }), undefined)).toThrow(/Did you mean random\?/);
  });

  it('checks everything that needs no file or key before returning (the order of validation)', () => {
    // Each of these used to surface only after the embedded handler's keys were generated.
    expect(() => resolveConformanceOptions(flags({ skip: ['typo'] }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('"typo" is not a probe id or group') }));
    expect(() => resolveConformanceOptions(flags({ skip: ['robustness/hug-body'] }), undefined)).toThrow(/Did you mean robustness\/huge-body\?/);
    expect(resolveConformanceOptions(flags({ skip: ['tls', 'robustness/huge-body'] }), undefined)).toMatchObject({ skip: ['tls', 'robustness/huge-body'], slowFraction: 0.5 });
    expect(() => resolveSendOptions('tx', flags({ set: ['destinations.9.amountUSD=1'] }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_OVERRIDE_PATH', message: expect.stringContaining('index 9 is past the end') }));
    expect(() => resolveRunOptions([], flags({ option: '3', pinnedCert: 'pin.pem' }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_OPTION', message: 'pin.pem is for options 2 and 4 (certificate pinning), not option 3 (json+root-ca)' }));
    expect(() => resolveRunOptions([], flags({ option: 'all', cosignerKey: 'k.pem' }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_OPTION', message: expect.stringContaining('option 2') }));
    expect(() => resolveRunOptions([], flags({ url: 'https://h.example/cb/v2' }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL' }));
    expect(() => resolveRunOptions([], flags({ option: '2', url: 'http://127.0.0.1:1' }), undefined)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL' }));
  });

  it('reads selftest\u2019s one option', () => {
    expect(resolveSelftestOptions(flags({}, []), undefined)).toEqual({ allOptions: false, reporters: [] });
    expect(resolveSelftestOptions(flags({ allOptions: true }), undefined)).toEqual({ allOptions: true, reporters: [] });
  });

  describe('config files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csim-cli-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    let n = 0;
    const write = (name: string, text: string) => {
      const sub = join(dir, `c${n++}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, name), text);
      return sub;
    };

    it('fills in what the flags leave out, rebasing paths; typed flags win', async () => {
      const sub = join(dir, 'ok');
      mkdirSync(join(sub, 'conf'), { recursive: true });
      writeFileSync(join(sub, 'conf', 'c.yaml'), 'option: 4\nkit: ../keys\ntimeout: 2s\nreporter: [json]\nstrict: true\n');
      const config = await loadConfig(sub, 'conf/c.yaml');
      expect(config?.file).toBe(join('conf', 'c.yaml'));
      const o = resolveRunOptions([], flags({ option: '2' }, ['option']), config);
      expect(o).toMatchObject({ option: 2, kit: 'keys', timeoutMs: 2000, reporters: [{ name: 'json' }], strict: true, configFile: join('conf', 'c.yaml') });
    });

    it('is picked up from the working folder', async () => {
      const sub = join(dir, 'auto');
      mkdirSync(sub);
      writeFileSync(join(sub, 'cosigner-sim.config.json'), '{"seed": 7}');
      expect((await loadConfig(sub, undefined))?.values).toEqual({ seed: 7 });
      expect(await loadConfig(join(dir), undefined)).toBeUndefined();
    });

    it('refuses unknown keys with a suggestion, and wrong types naming the key', async () => {
      const sub = join(dir, 'bad');
      mkdirSync(sub);
      writeFileSync(join(sub, 'cosigner-sim.config.yaml'), 'concurency: 2\n');
      await expect(loadConfig(sub, undefined)).rejects.toMatchObject({ code: 'CSIM_CONFIG_INVALID', message: expect.stringContaining('unknown key "concurency". Did you mean "concurrency"?'), hint: 'rename it to "concurrency" and move it under run:' });
      // concurrency is run's alone, so it now lives in the run: section, and the error names that place.
      writeFileSync(join(sub, 'cosigner-sim.config.yaml'), 'run:\n  concurrency: many\n');
      const config = await loadConfig(sub, undefined);
      expect(() => resolveRunOptions([], flags({}, []), config)).toThrow(expect.objectContaining({ code: 'CSIM_CONFIG_INVALID', message: expect.stringContaining('cosigner-sim.config.yaml: invalid value for "run.concurrency"') }));
    });

    it('takes a command\u2019s section over the top level, and the top level over the defaults', async () => {
      const sub = write('cosigner-sim.config.yaml', 'timeout: 2s\noption: 4\nrun:\n  timeout: 5s\n  grep: transfer\n  paths: [../scen]\nconformance:\n  skip: [tls]\n  slowFraction: 0.25\nselftest:\n  allOptions: true\nsend:\n  stage: approval\n  set: { amount: 9 }\n');
      const config = await loadConfig(sub, undefined);
      expect(resolveRunOptions([], flags({}, []), config)).toMatchObject({ timeoutMs: 5000, option: 4, grep: 'transfer', paths: [join(sub, '..', 'scen').replace(`${process.cwd()}/`, '')] });
      expect(resolveConformanceOptions(flags({}, []), config)).toMatchObject({ timeoutMs: 2000, option: 4, skip: ['tls'], slowFraction: 0.25 });
      expect(resolveSendOptions('tx', flags({}, []), config)).toMatchObject({ timeoutMs: 2000, stage: 'approval', set: { amount: 9 } });
      expect(resolveSelftestOptions(flags({}, []), config)).toEqual({ allOptions: true, reporters: [] });
      expect(resolveRunOptions([], flags({ timeout: '1s' }), config).timeoutMs).toBe(1000);
    });

    it('puts a key one command reads in that command\u2019s section, and names the command', async () => {
      const top = write('cosigner-sim.config.yaml', 'skip: [tls]\n');
      await expect(loadConfig(top, undefined)).rejects.toMatchObject({
        code: 'CSIM_CONFIG_INVALID',
        field: 'skip',
        message: 'cosigner-sim.config.yaml: "skip" is read only by conformance, so it belongs in the conformance: section',
      });
      const other = write('cosigner-sim.config.json', '{"run": {"skip": ["tls"]}}');
      await expect(loadConfig(other, undefined)).rejects.toMatchObject({
        code: 'CSIM_CONFIG_INVALID',
        field: 'run.skip',
        message: 'cosigner-sim.config.json: "run.skip": run does not read "skip", only conformance does',
        hint: 'move it under conformance:',
      });
      const shared = write('cosigner-sim.config.json', '{"selftest": {"option": 2}}');
      await expect(loadConfig(shared, undefined)).rejects.toMatchObject({ message: expect.stringContaining('selftest does not read "option", only run, send, conformance, load and doctor do'), hint: 'move it to the top level, or under run: or send: or conformance: or load: or doctor:' });
      const typo = write('cosigner-sim.config.json', '{"send": {"stag": "approval"}}');
      await expect(loadConfig(typo, undefined)).rejects.toMatchObject({ message: 'cosigner-sim.config.json: unknown key "send.stag". Did you mean "stage"?' });
      const section = write('cosigner-sim.config.yaml', 'run: [a]\n');
      await expect(loadConfig(section, undefined)).rejects.toMatchObject({ field: 'run', message: expect.stringContaining('"run" must be a mapping') });
      const kebab = write('cosigner-sim.config.yaml', 'conformance:\n  slow-fraction: 0.2\n');
      await expect(loadConfig(kebab, undefined)).rejects.toMatchObject({ message: expect.stringContaining('Did you mean "slowFraction"?') });
    });

    it('checks every value of the file, whichever command reads it', async () => {
      const sub = write('cosigner-sim.config.yaml', 'send:\n  stage: sign\n');
      const config = await loadConfig(sub, undefined);
      // run does not read send.stage, but the file is wrong for every command, as the schema says.
      expect(() => resolveRunOptions([], flags({}, []), config)).toThrow(expect.objectContaining({ code: 'CSIM_CONFIG_INVALID', field: 'send.stage', message: 'cosigner-sim.config.yaml: invalid value for "send.stage": "sign". Expected one of: approval, signing.' }));
      const skip = write('cosigner-sim.config.yaml', 'conformance:\n  skip: [tsl]\n');
      const skipConfig = await loadConfig(skip, undefined);
      expect(() => resolveSelftestOptions(flags({}, []), skipConfig)).toThrow(/invalid value for "conformance.skip": "tsl" is not a probe id or group. Did you mean tls\?/);
    });

    it('ignores the "$schema" key editors use, and empty sections', async () => {
      const sub = write('cosigner-sim.config.json', '{"$schema": "./node_modules/cosigner-sim/schema/config.schema.json", "seed": 3, "run": null}');
      expect(await loadConfig(sub, undefined)).toEqual({ file: 'cosigner-sim.config.json', values: { seed: 3 }, sections: {} });
    });
  });
});
