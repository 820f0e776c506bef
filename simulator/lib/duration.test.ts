import { describe, expect, it } from 'vitest';
import { parseDuration } from '../lib/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['0s', 0],
    [' 250 ms ', 250],
    ['0', 0],
    [0, 0],
  ])('reads %j as %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['2x', '', '-1s', 's', '1h', '1 minute'])('refuses %j with a typed error that says what a duration looks like', (input) => {
    expect(() => parseDuration(input)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('500ms, 2s or 1m') }));
  });

  it.each(['750', '30', ' 1.5 ', 250, 30])('refuses the bare number %j: a duration always has a unit, except 0', (input) => {
    expect(() => parseDuration(input)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringContaining('without a unit'), hint: expect.stringContaining('write 30s or 500ms') }));
  });

  it.each([-5, Number.NaN, Number.POSITIVE_INFINITY, null, true, {}, []])('refuses %j', (input) => {
    expect(() => parseDuration(input)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', hint: expect.stringContaining('ms, s or m') }));
  });
});
