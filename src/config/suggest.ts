// "Did you mean …" for unknown config keys (`base_ur` → `base_url`). Commander has the same helper but does
// not export it, and a dozen lines of edit distance are cheaper than a dependency.

/** Edit distance counting a swap of two neighbours as one edit; stops early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    if (Math.min(...current) > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/** The known key closest to `key`, if it is close enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase(), limit);
    if (d <= limit && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}
