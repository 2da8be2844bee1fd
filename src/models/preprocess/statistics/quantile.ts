/**
 * The `q`-quantile (0 ≤ q ≤ 1) of ascending-sorted values with linear interpolation between order statistics
 * (Hyndman–Fan type 7, the default of R and NumPy): position h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * NaN for an empty array.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
