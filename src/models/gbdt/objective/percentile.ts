/**
 * The `alpha` quantile of `values[0 .. n)` by LightGBM's rule: with pos = ⌊(n−1)(1−alpha)⌋ + 1, interpolate between
 * the pos-th and (pos+1)-th largest values by the fractional part of (n−1)(1−alpha). Sorts `values[0 .. n)` in place.
 * n = 0 gives NaN.
 */
export function percentile(values: Float64Array, n: number, alpha: number): number {
  if (n === 0) return Number.NaN;
  if (n === 1) return values[0];
  const sorted = values.subarray(0, n).sort();
  const floatPos = (n - 1) * (1 - alpha);
  const pos = Math.trunc(floatPos) + 1;
  if (pos < 1) return sorted[n - 1];
  if (pos >= n) return sorted[0];
  const bias = floatPos - (pos - 1);
  const v1 = sorted[n - pos];
  const v2 = sorted[n - pos - 1];
  return v1 - (v1 - v2) * bias;
}

/**
 * The weighted `alpha` quantile of `values[0 .. n)`: sorted by value, item i sits at the total weight of the items
 * before it, the target is alpha times the last item's position, and the result interpolates linearly between the
 * items around the target. With unit weights this is exactly `percentile`. (LightGBM's weighted rule can land
 * outside the data, e.g. 0.5 for the median of 1, 2, 3 with unit weights; Loom does not copy that.) `order` and
 * `position` are caller-owned scratch of at least n entries.
 */
export function weightedPercentile(values: Float64Array, weights: Float64Array, n: number, alpha: number, order: Int32Array, position: Float64Array): number {
  if (n === 0) return Number.NaN;
  if (n === 1) return values[0];
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = order.subarray(0, n).sort((a, b) => values[a] - values[b] || a - b);
  position[0] = 0;
  for (let i = 1; i < n; i++) position[i] = position[i - 1] + weights[sorted[i - 1]];
  const target = alpha * position[n - 1];
  let j = 0;
  while (j < n - 1 && position[j] < target) j++;
  if (j === 0 || position[j] === position[j - 1]) return values[sorted[j]];
  const v1 = values[sorted[j - 1]];
  const v2 = values[sorted[j]];
  return v1 + ((target - position[j - 1]) / (position[j] - position[j - 1])) * (v2 - v1);
}
