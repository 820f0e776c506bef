import { CHECK_SYMBOLS, type ReportStyle } from '../report/index.js';
import type { Colors } from './io.js';

/**
 * How the terminal commands colour the report module's lines: one style for the pretty reporter
 * and `decode`, so a failed check looks the same wherever it is printed. With colours off (NO_COLOR,
 * not a TTY) every function returns its text unchanged.
 *
 * @example
 * renderChecksRow(story.checks, terminalStyle(colorsFor(io.stdout, io.env, true)));
 */
export function terminalStyle(c: Colors): ReportStyle {
  return {
    label: (t) => c.bold(t),
    id: (t) => c.bold(t),
    hint: (t) => c.cyan(t),
    expected: (t) => c.green(t),
    received: (t) => c.red(t),
    // Only the ✓/✗ is coloured: the check id after it stays readable on any background.
    mark: (status, t) => (status === 'pass' ? `${c.green(CHECK_SYMBOLS.pass)}${t.slice(1)}` : status === 'fail' ? `${c.red(CHECK_SYMBOLS.fail)}${t.slice(1)}` : c.dim(t)),
  };
}
