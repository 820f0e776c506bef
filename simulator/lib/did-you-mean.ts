/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions, and a swap of two
 * neighbouring letters, each one edit. The swap matters because it is the commonest typo
 * (`jsno` for `json`, `rnu` for `run`), and plain Levenshtein counts it as two.
 *
 * @example
 * osaDistance('jsno', 'json'); // 1
 * osaDistance('kitt', 'kit');  // 1
 */
export function osaDistance(a: string, b: string): number {
  if (a === b) return 0;
  // d[i][j] = distance between the first i letters of a and the first j letters of b.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * How many edits still read as a typo of a word: 1 under five letters (else `tag` would suggest
 * `tls` and every short word would have a "match"), 2 from five letters on.
 */
export function typoLimit(word: string): number {
  return word.length < 5 ? 1 : 2;
}

/**
 * The candidate closest to `word` (case-insensitive) when it is close enough to be a typo of it,
 * else undefined. Ties go to the earlier candidate, so callers list the likelier names first.
 *
 * @example
 * closest('acton', ['action', 'status']); // 'action'
 * closest('jsno', ['pretty', 'json']);    // 'json'
 * closest('xyz', ['run', 'send']);        // undefined
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = typoLimit(word);
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = osaDistance(w, c.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name: c, d };
  }
  return best?.name;
}
