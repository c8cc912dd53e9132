/**
 * Ranks workspace paths for an `@` query the way editors' quick open does: the query's characters
 * in order, better when they fall in the file name, at word starts and next to each other.
 */
function score(path: string, query: string): number | undefined {
  const lower = path.toLowerCase();
  const nameStart = lower.lastIndexOf('/') + 1;
  let at = -1;
  let total = 0;
  let previous = -2;
  for (const char of query) {
    at = lower.indexOf(char, at + 1);
    if (at < 0) return undefined;
    let points = 1;
    if (at >= nameStart) points += 2;
    if (at === previous + 1) points += 3;
    if (at === 0 || '/._- '.includes(lower[at - 1]!)) points += 2;
    total += points;
    previous = at;
  }
  // Shorter paths win ties: `a.ts` before `deep/folder/a.test.ts`.
  return total - path.length / 1000;
}

export function fuzzyRank(paths: readonly string[], query: string, limit: number): string[] {
  const needle = query.trim().toLowerCase().replace(/\\/g, '/');
  if (!needle) return paths.slice(0, limit);
  const scored: Array<{ path: string; score: number }> = [];
  for (const path of paths) {
    const value = score(path, needle);
    if (value !== undefined) scored.push({ path, score: value });
  }
  scored.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((entry) => entry.path);
}
