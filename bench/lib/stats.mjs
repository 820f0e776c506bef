// Small statistics for the bench: medians, ranges, ratios.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const range = (xs) => [Math.min(...xs), Math.max(...xs)];
/** Median ratio of paired runs (subject[i] / baseline[i], from the same ABAB round) and its range. */
export function pairedRatio(subject, baseline) {
  const ratios = subject.map((s, i) => s / baseline[i]);
  return { median: median(ratios), range: range(ratios) };
}
