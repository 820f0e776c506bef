import { describe, expect, it } from 'vitest';
import { listProfiles, resolveProfile } from '../protocol/profiles.js';
import { CHECK_IDS } from '../protocol/types.js';
import { CONSEQUENCE_STAGES, consequenceMark, consequenceOf, consequenceStage, consequenceTable } from './consequences.js';

const tx = (stage: 'approval' | 'signing') => ({ endpoint: 'tx_sign_request' as const, stage });
const config = { endpoint: 'config_change_sign_request' as const, stage: 'approval' as const };

describe('the consequence table', () => {
  it.each(listProfiles().map((p) => p.id))('has a row for every check id × stage under %s, each marked with a source and a section', (id) => {
    const rows = consequenceTable(resolveProfile(id));
    for (const stage of CONSEQUENCE_STAGES) {
      for (const check of CHECK_IDS) {
        const row = rows.filter((r) => r.check === check && r.stage === stage && r.answer === undefined);
        expect(row, `${check} at ${stage}`).toHaveLength(1);
      }
    }
    for (const r of rows) {
      expect(['documented', 'inferred', 'unknown']).toContain(r.mark);
      expect(r.source).toMatch(/^[A-Z]+-[a-z]+/);
      expect(r.section).toMatch(/^§\d+(\.\d+)*$/);
      // An unknown row says so in its words, not only in its mark.
      if (r.mark === 'unknown') expect(r.text).toMatch(/^not documented: /);
      else expect(r.text).not.toMatch(/^not documented/);
    }
  });

  it('cites only sections that exist in docs/protocol.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    for (const r of consequenceTable(resolveProfile('sgx@3.3.0'))) {
      const [major, minor, item] = r.section.slice(1).split('.');
      expect(doc, r.section).toMatch(new RegExp(minor === undefined ? `^## ${major}\\.` : `^###? ${major}\\.${minor}`, 'm'));
      if (item !== undefined) expect(Number(item)).toBeGreaterThan(0);
      for (const tag of r.source.split(', ')) expect(doc, tag).toContain(`[${tag}]: http`);
    }
  });
});

describe('consequenceOf', () => {
  it('a missed deadline is documented: the transaction fails at that stage', () => {
    expect(consequenceOf('deadline', tx('signing'))).toMatchObject({ mark: 'documented', source: 'D-resp', section: '§0.5.1', text: expect.stringContaining('fails at the signing stage') });
    expect(consequenceOf('deadline', config)).toMatchObject({ mark: 'documented', source: 'D-cfg', text: expect.stringContaining('does not approve the configuration change') });
  });

  it('a broken answer is not documented, and the line says the most likely reading', () => {
    const c = consequenceOf('jwt-signature', tx('approval'))!;
    expect(c).toMatchObject({ mark: 'unknown', section: '§0.5.8' });
    expect(c.text).toBe('not documented: the Co-signer most likely treats it as no answer: as after 30 s, the transaction fails at the approval stage, without a retry [I]');
  });

  it('IGNORE at the signing stage is its own unknown row', () => {
    expect(consequenceOf('action', { ...tx('signing'), action: 'IGNORE' })?.text).toContain('IGNORE at the signing stage');
    expect(consequenceOf('action', { ...tx('signing'), action: 'approve' })?.text).toContain('treats it as no answer');
  });

  it('RETRY under a profile without RETRY: the Co-signer fails the request, with the version; under latest no action row for RETRY', () => {
    const old = consequenceOf('action', { ...tx('approval'), action: 'RETRY', profile: resolveProfile('sgx@3.5.0') })!;
    expect(old).toMatchObject({ mark: 'inferred', source: 'D-arch', section: '§14.1' });
    expect(old.text).toBe('the Co-signer fails the request, so the transaction fails at the approval stage (RETRY arrived with sgx@3.6.5; this run simulates sgx@3.5.0)');
    expect(consequenceTable(resolveProfile('latest')).some((r) => r.check === 'action' && r.answer === 'RETRY')).toBe(false);
    expect(consequenceTable(resolveProfile('sgx@3.5.0')).some((r) => r.check === 'action' && r.answer === 'RETRY')).toBe(true);
  });

  it('RETRY on an exchange withdrawal before 2025.12.11 fails too; elsewhere it holds the request until the 2-hour limit', () => {
    const withdrawal = { ...tx('signing'), action: 'RETRY', sourceType: 'EXCHANGE' };
    expect(consequenceOf('expectation', { ...withdrawal, profile: resolveProfile('sgx@3.7.1') })?.text).toContain('the Co-signer fails the request');
    const retry = consequenceOf('expectation', { ...withdrawal, profile: resolveProfile('latest') })!;
    expect(retry.text).toContain('2-hour limit [C-doc HC-pending]');
    expect(retry.text).toContain('on EVM that also holds back the transactions queued behind it in that vault [I]');
    expect(retry.source).toBe('D-resp, HC-pending');
  });

  it('an expectation failure tells what the Co-signer does with the answer it got, and nothing without one', () => {
    expect(consequenceOf('expectation', { ...tx('signing'), action: 'APPROVE' })?.text).toBe('the Co-signer signs the transaction');
    expect(consequenceOf('expectation', { ...tx('approval'), action: 'REJECT' })?.text).toContain('one REJECT is enough');
    expect(consequenceOf('expectation', { ...config, action: 'IGNORE' })).toMatchObject({ mark: 'documented', section: '§6' });
    expect(consequenceOf('expectation', tx('approval'))).toBeUndefined();
    expect(consequenceOf('upstream', tx('approval'))).toBeUndefined();
  });

  it('keys a config change apart from a transaction approval, and prints the mark', () => {
    expect(consequenceStage(config)).toBe('config-change');
    expect(consequenceStage(tx('signing'))).toBe('signing');
    expect(consequenceMark(consequenceOf('deadline', tx('approval'))!)).toBe('[documented; D-resp §0.5.1]');
  });
});

describe('schema/report.schema.json consequence', () => {
  it('takes a consequence as consequenceOf gives it, and refuses a mark outside documented/inferred/unknown', async () => {
    const { readFileSync } = await import('node:fs');
    const { Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as { definitions: Record<string, unknown> };
    const validate = new Ajv({ strict: true }).compile({ ...schema.definitions['consequence']!, definitions: schema.definitions });
    const c = consequenceOf('deadline', tx('approval'))!;
    expect(validate(c)).toBe(true);
    expect(validate({ ...c, mark: 'guess' })).toBe(false);
  });
});
