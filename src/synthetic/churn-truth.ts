/**
 * What the ground truth says about a set of customers: the numbers a churn model trained on the world can be
 * checked against. Shares are in [0, 1].
 */
export interface ChurnTruth {
  readonly customers: number;
  readonly churned: number;
  /** churned / customers. */
  readonly churnRate: number;
  /** Mean true churn probability (the churn rate expected before the labels are drawn). */
  readonly meanProbability: number;
  /**
   * The AUC the true probabilities score in expectation over the label draw: the best AUC any model can expect.
   * Σ p_i(1 − p_j)·H(p_i − p_j) / Σ p_i(1 − p_j) over ordered pairs i ≠ j, with H(0) = 1/2.
   */
  readonly expectedAuc: number;
  /** The AUC of the true probabilities against the labels actually drawn (Mann–Whitney, ties counted half). */
  readonly realizedAuc: number;
  /** The Bayes error rate: mean of min(p, 1 − p), the error of the best possible classifier. */
  readonly bayesError: number;
}

/**
 * Summarizes the ground truth of the customers selected by `mask` (all when omitted): counts, churn rate, the
 * expected and realized AUC of the true probabilities, and the Bayes error. O(n log n); `probability`, `churned`
 * and `mask` are only read. AUCs are NaN when a class is empty.
 *
 * @example
 * churnTruth(Float64Array.from([0.2, 0.8]), Uint8Array.from([0, 1])).expectedAuc; // 0.64 / 0.68 ≈ 0.9412
 */
export function churnTruth(probability: Float64Array, churned: Uint8Array, mask?: Uint8Array): ChurnTruth {
  const chosen: number[] = [];
  for (let i = 0; i < probability.length; i++) if (mask === undefined || mask[i] === 1) chosen.push(i);
  const order = Int32Array.from(chosen);
  order.sort((a, b) => probability[a] - probability[b] || a - b);
  const n = order.length;
  let positives = 0;
  let sumP = 0;
  let sumQ = 0;
  let sumPQ = 0;
  let bayes = 0;
  for (let k = 0; k < n; k++) {
    const p = probability[order[k]];
    positives += churned[order[k]];
    sumP += p;
    sumQ += 1 - p;
    sumPQ += p * (1 - p);
    bayes += Math.min(p, 1 - p);
  }
  // Walk groups of equal probability in ascending order, keeping the mass of lower groups.
  let expectedNumerator = 0;
  let lowerQ = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    const p = probability[order[start]];
    let end = start;
    let groupPositives = 0;
    while (end < n && probability[order[end]] === p) groupPositives += churned[order[end++]];
    const size = end - start;
    expectedNumerator += size * p * lowerQ + 0.5 * p * (1 - p) * size * (size - 1);
    lowerQ += size * (1 - p);
    rankSum += groupPositives * ((start + 1 + end) / 2); // mid-rank of the tie group, 1-based
    start = end;
  }
  const negatives = n - positives;
  const expectedDenominator = sumP * sumQ - sumPQ;
  return {
    customers: n,
    churned: positives,
    churnRate: n === 0 ? Number.NaN : positives / n,
    meanProbability: n === 0 ? Number.NaN : sumP / n,
    expectedAuc: expectedDenominator > 0 ? expectedNumerator / expectedDenominator : Number.NaN,
    realizedAuc: positives > 0 && negatives > 0 ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives) : Number.NaN,
    bayesError: n === 0 ? Number.NaN : bayes / n,
  };
}
