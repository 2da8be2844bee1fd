/** Probability floor per bin, so an empty bin gives a large but finite PSI term. */
const FLOOR = 1e-4;

/**
 * Population stability index of `actual` scores against `expected` scores: bin edges at the deciles of `expected`
 * (fewer bins when it has ties), then Σ (a − e)·ln(a / e) over bins, with bin shares floored at 1e-4. 0 means the
 * same distribution; the usual reading is < 0.1 stable, 0.1–0.25 moderate, > 0.25 a real shift.
 * Neither array is modified.
 */
export function scorePsi(expected: ArrayLike<number>, actual: ArrayLike<number>, bins = 10): number {
  const sorted = Float64Array.from(expected).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  const e = shares(sorted, edges);
  const a = shares(Float64Array.from(actual), edges);
  let psi = 0;
  for (let i = 0; i < e.length; i++) {
    const pe = Math.max(e[i], FLOOR);
    const pa = Math.max(a[i], FLOOR);
    psi += (pa - pe) * Math.log(pa / pe);
  }
  return psi;
}

/** Share of values per bin: bin i holds values v with edges[i-1] ≤ v < edges[i]. */
function shares(values: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v < edges[mid]) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return counts.map((c) => c / Math.max(1, values.length));
}
