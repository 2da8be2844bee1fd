/**
 * Up to `limit` names from `known` close to `name`: by edit distance (at most 2 edits, 3 for names over 10
 * characters, case-insensitive), nearest first, then names that contain it or that it contains.
 */
export function suggestNames(name: string, known: readonly string[], limit = 3): string[] {
  const target = name.toLowerCase();
  const cap = name.length > 10 ? 3 : 2;
  const scored: { name: string; score: number }[] = [];
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const d = editDistance(target, lower);
    if (d <= cap) scored.push({ name: candidate, score: d });
    else if (target.length >= 3 && (lower.includes(target) || target.includes(lower))) scored.push({ name: candidate, score: cap + 1 });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return [...new Set(scored.map((s) => s.name))].slice(0, limit);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
