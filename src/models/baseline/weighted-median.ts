/**
 * The weighted median of `values` (weights ≥ 0, positive sum): the smallest value whose cumulative weight reaches half
 * the total, averaged with the next larger value when the cumulative weight equals exactly half. With unit weights this
 * is the usual median (the mean of the two middle values for an even count).
 */
export function weightedMedian(values: Float64Array, weights: Float64Array): number {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const half = total / 2;
  let cumulative = 0;
  for (let r = 0; r < order.length; r++) {
    cumulative += weights[order[r]];
    if (cumulative < half) continue;
    if (cumulative > half) return values[order[r]];
    // Exactly half: average with the next value that carries weight.
    for (let s = r + 1; s < order.length; s++) if (weights[order[s]] > 0) return (values[order[r]] + values[order[s]]) / 2;
    return values[order[r]];
  }
  return values[order[order.length - 1]];
}
