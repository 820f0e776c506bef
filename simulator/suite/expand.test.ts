import { describe, expect, it } from 'vitest';
import { SubstitutionProblem, hasPlaceholder, substitute } from './expand.js';

describe('substitute', () => {
  const row = { amount: '250000', count: 3, ok: true, none: null, addr: ['0xa', '0xb'], spec: { type: 'VAULT' } };

  it('keeps the type of a whole-string placeholder', () => {
    expect(substitute({ a: '${count}', b: '${ok}', c: '${none}', d: '${addr}', e: '${spec}' }, row, [])).toEqual({ a: 3, b: true, c: null, d: ['0xa', '0xb'], e: { type: 'VAULT' } });
  });

  it('interpolates scalars inside longer strings', () => {
    expect(substitute('pay ${amount} to ${count} (${ok}, ${none})', row, [])).toBe('pay 250000 to 3 (true, null)');
  });

  it('walks lists and mappings, never keys', () => {
    expect(substitute({ '${amount}': ['x ${count}', { y: '${amount}' }] }, row, [])).toEqual({ '${amount}': ['x 3', { y: '250000' }] });
  });

  it('reads $${x} as a literal ${x}', () => {
    expect(substitute('$${amount} is ${amount}', row, [])).toBe('${amount} is 250000');
    expect(hasPlaceholder('$${amount}')).toBe(false);
    expect(hasPlaceholder('a ${amount}')).toBe(true);
  });

  it('copies values instead of sharing them between rows', () => {
    const out = substitute({ d: '${addr}' }, row, []) as { d: string[] };
    out.d.push('0xc');
    expect(row.addr).toEqual(['0xa', '0xb']);
  });

  it('names the path and suggests a close variable for an unknown one', () => {
    let problem: unknown;
    try {
      substitute({ payload: { amountStr: '${amout}' } }, row, ['request']);
    } catch (e) {
      problem = e;
    }
    expect(problem).toBeInstanceOf(SubstitutionProblem);
    expect(problem).toMatchObject({ path: ['request', 'payload', 'amountStr'], message: expect.stringContaining('did you mean ${amount}?') });
    expect((problem as SubstitutionProblem).hint).toContain('amount, count');
  });

  it('refuses a list inside a longer string, and bad placeholder names', () => {
    expect(() => substitute('to ${addr}', row, ['x'])).toThrow(/a list, inside a longer string/);
    expect(() => substitute('${ amount }', row, ['x'])).toThrow(/not a valid placeholder/);
  });
});
