/**
 * Suggestions for a mistyped key: the closest candidates by Levenshtein distance. Pure functions
 * over strings; it never decides whether a key is valid, only what it may have meant.
 */

/** The edit distance between `a` and `b` (insertions, deletions, substitutions). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  let current = Array.from({ length: b.length + 1 }, () => 0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to `word` if it is close enough to be a likely typo, else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  if (bestDistance <= limit) return best;
  // a prefix or a part of a longer name (`max_conn` for `max_connections`)
  if (lower.length >= 3 && best.toLowerCase().includes(lower)) return best;
  const containing = candidates.find((c) => lower.length >= 3 && c.toLowerCase().includes(lower));
  return containing;
}
