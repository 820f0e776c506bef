import { describe, expect, it } from 'vitest';
import { closest, osaDistance, typoLimit } from './did-you-mean.js';

describe('osaDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['json', 'json', 0],
    ['kitt', 'kit', 1], // deletion
    ['kt', 'kit', 1], // insertion
    ['optian', 'option', 1], // substitution
    ['jsno', 'json', 1], // transposition: Levenshtein says 2
    ['rnu', 'run', 1],
    ['optoin', 'option', 1],
    ['ca', 'abc', 3], // OSA, unlike full Damerau, does not edit a swapped pair again
    ['concurency', 'concurrency', 1],
    ['timeout', 'tag', 6],
  ])('%j → %j is %i', (a, b, d) => {
    expect(osaDistance(a, b)).toBe(d);
    expect(osaDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  it('suggests up to 2 edits for words of five letters or more', () => {
    expect(typoLimit('optoin')).toBe(2);
    expect(closest('optoin', ['url', 'option'])).toBe('option');
    expect(closest('reportr', ['reporter'])).toBe('reporter');
    expect(closest('rporer', ['reporter'])).toBe('reporter'); // 2 edits
    expect(closest('rpoer', ['reporter'])).toBeUndefined(); // 3 edits
  });

  it('suggests only 1 edit for words under five letters', () => {
    expect(typoLimit('jsno')).toBe(1);
    expect(closest('jsno', ['pretty', 'json', 'junit'])).toBe('json');
    expect(closest('kitt', ['kit', 'ca'])).toBe('kit');
    expect(closest('rnu', ['run', 'send'])).toBe('run');
    expect(closest('tag', ['tls'])).toBeUndefined(); // 2 edits: too far for a short word
    expect(closest('xyz', ['run', 'send'])).toBeUndefined();
  });

  it('ignores case, returns the candidate as written, and prefers the nearest, then the first', () => {
    expect(closest('EXPCT', ['expect'])).toBe('expect');
    expect(closest('stag', ['stage', 'stat'])).toBe('stage');
    expect(closest('acton', ['actions', 'action'])).toBe('action');
  });

  it('returns undefined with no candidates', () => {
    expect(closest('run', [])).toBeUndefined();
  });
});
