/** Selection, true positive and false positive rates of one group at a threshold, with Fairlearn's conventions. */
export interface GroupRates {
  readonly size: number;
  /** Share of rows predicted positive. */
  readonly selection_rate: number;
  /** TP / (TP + FN); 0 when the group has no positives (scikit-learn's normalized confusion matrix gives 0). */
  readonly true_positive_rate: number;
  /** FP / (FP + TN); 0 when the group has no negatives. */
  readonly false_positive_rate: number;
  readonly positives: number;
  readonly negatives: number;
}

/** The rates of each group (`groups[i]` is row i's code in 0..count-1), deciding ŷ = 1 when p ≥ threshold. */
export function groupRates(y: Float64Array, p: Float64Array, groups: Int32Array, count: number, threshold: number, rows?: Int32Array): GroupRates[] {
  const size = new Float64Array(count);
  const selected = new Float64Array(count);
  const pos = new Float64Array(count);
  const tp = new Float64Array(count);
  const fp = new Float64Array(count);
  const n = rows === undefined ? y.length : rows.length;
  for (let k = 0; k < n; k++) {
    const i = rows === undefined ? k : rows[k];
    const g = groups[i];
    const hit = p[i] >= threshold;
    size[g]++;
    if (hit) selected[g]++;
    if (y[i] > 0) {
      pos[g]++;
      if (hit) tp[g]++;
    } else if (hit) fp[g]++;
  }
  return Array.from({ length: count }, (_, g) => ({
    size: size[g],
    selection_rate: size[g] === 0 ? Number.NaN : selected[g] / size[g],
    true_positive_rate: pos[g] === 0 ? 0 : tp[g] / pos[g],
    false_positive_rate: size[g] - pos[g] === 0 ? 0 : fp[g] / (size[g] - pos[g]),
    positives: pos[g],
    negatives: size[g] - pos[g],
  }));
}

/** max − min over the groups' values (Fairlearn's `difference(method='between_groups')`). */
export function betweenGroupsDifference(values: readonly number[]): number {
  return Math.max(...values) - Math.min(...values);
}

/** min / max over the groups' values (Fairlearn's `ratio(method='between_groups')`); 1 when every value is 0. */
export function betweenGroupsRatio(values: readonly number[]): number {
  const max = Math.max(...values);
  return max === 0 ? 1 : Math.min(...values) / max;
}

/** The four headline disparities of a set of group rates, as Fairlearn defines them (agg = 'worst_case'). */
export function disparities(rates: readonly GroupRates[]): {
  demographic_parity_difference: number;
  demographic_parity_ratio: number;
  equal_opportunity_difference: number;
  equal_opportunity_ratio: number;
  true_positive_rate_difference: number;
  false_positive_rate_difference: number;
  equalized_odds_difference: number;
  equalized_odds_ratio: number;
} {
  const live = rates.filter((r) => r.size > 0);
  const sel = live.map((r) => r.selection_rate);
  const tpr = live.map((r) => r.true_positive_rate);
  const fpr = live.map((r) => r.false_positive_rate);
  const tprDiff = betweenGroupsDifference(tpr);
  const fprDiff = betweenGroupsDifference(fpr);
  return {
    demographic_parity_difference: betweenGroupsDifference(sel),
    demographic_parity_ratio: betweenGroupsRatio(sel),
    equal_opportunity_difference: tprDiff,
    equal_opportunity_ratio: betweenGroupsRatio(tpr),
    true_positive_rate_difference: tprDiff,
    false_positive_rate_difference: fprDiff,
    equalized_odds_difference: Math.max(tprDiff, fprDiff),
    equalized_odds_ratio: Math.min(betweenGroupsRatio(tpr), betweenGroupsRatio(fpr)),
  };
}
