import { LoomError } from '../../core/errors/index.js';
import { bootstrapIntervals, estimateMetrics, stratifiedResampler, type BootstrapOptions } from '../bootstrap.js';
import { ece } from '../calibration/reliability-curve.js';
import type { FairnessReport } from '../evaluation-report.js';
import type { EvalMetric } from '../metrics/eval-metric.js';
import { gatherSample, type MetricSample } from '../metrics/metric-sample.js';
import { disparities, groupRates } from './group-rates.js';

/** A sensitive attribute as group codes per row and the group names. */
export interface SensitiveGroups {
  readonly column: string;
  /** Group code of each row of the sample, 0..names.length-1. */
  readonly codes: Int32Array;
  readonly names: readonly string[];
}

/** Groups with fewer rows than this are listed but left out of the gap figures, unless the caller says otherwise. */
export const DEFAULT_MIN_GROUP_SIZE = 30;

const HEADLINE = ['demographic_parity_difference', 'demographic_parity_ratio', 'equal_opportunity_difference', 'equalized_odds_difference'] as const;

/**
 * Fairness of a binary classifier across the groups of one sensitive attribute, with Fairlearn's definitions: at the
 * sample's threshold, the selection rate, TPR and FPR per group; demographic parity difference (max − min selection
 * rate) and ratio (min / max); equal opportunity difference (max − min TPR); equalized odds difference
 * (max of the TPR and FPR differences, agg='worst_case') and ratio (min of the two ratios). Each group also gets the
 * task metrics with bootstrap intervals and calibration (mean score vs base rate, ECE). The headline disparities get
 * bootstrap intervals too, resampling within each group × label cell.
 *
 * Groups with fewer than `minGroupSize` rows (default 30) are listed with their figures and `below_min_group_size`,
 * but left out of the differences and ratios (and their intervals): Fairlearn computes a gap over whatever groups it
 * is given, so a group of three rows with one churner sets a TPR gap of 0 or 1 by chance; leaving such groups out is
 * what its users do by hand. `excluded_groups` names them, so the gap never hides who was not compared.
 *
 * @throws LOOM_ERR_EVAL_SENSITIVE_ONE_GROUP when fewer than two groups have rows,
 *   LOOM_ERR_EVAL_SENSITIVE_GROUPS_TOO_SMALL when fewer than two groups have `minGroupSize` rows
 * @example
 * const f = fairnessReport(sample, { column: 'age_band', codes, names }, BINARY_METRICS, { resamples: 1000, seed: 42, level: 0.95 }, 50);
 * console.log(f.equal_opportunity_difference, f.excluded_groups);
 */
export function fairnessReport(sample: MetricSample, sensitive: SensitiveGroups, metrics: readonly EvalMetric[], options: BootstrapOptions, minGroupSize = DEFAULT_MIN_GROUP_SIZE): FairnessReport {
  const { codes, names } = sensitive;
  const rates = groupRates(sample.y, sample.p, codes, names.length, sample.threshold);
  const present = rates.map((r, g) => g).filter((g) => rates[g].size > 0);
  if (present.length < 2) {
    throw new LoomError(
      'EVAL_SENSITIVE_ONE_GROUP',
      { field: sensitive.column, groups: present.length, problem: present.length === 1 ? `Every row is "${names[present[0]]}".` : '' },
      { details: { field: sensitive.column } },
    );
  }
  const eligible = present.filter((g) => rates[g].size >= minGroupSize);
  if (eligible.length < 2) {
    const sizes = present.map((g) => `${names[g]} ${rates[g].size}`).join(', ');
    throw new LoomError(
      'EVAL_SENSITIVE_GROUPS_TOO_SMALL',
      { field: sensitive.column, min: minGroupSize, sizes, problem: eligible.length === 1 ? `Only "${names[eligible[0]]}" is large enough.` : 'Every group is below the minimum.' },
      { details: { field: sensitive.column, minGroupSize } },
    );
  }
  const d = disparities(eligible.map((g) => rates[g]));
  const cells = new Map<number, number[]>();
  for (let i = 0; i < codes.length; i++) {
    const key = codes[i] * 2 + (sample.y[i] > 0 ? 1 : 0);
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  }
  const strata = [...cells.keys()].sort((a, b) => a - b).map((k) => Int32Array.from(cells.get(k)!));
  const intervals = bootstrapIntervals(sample.y.length, stratifiedResampler(strata), (draw) => {
    const drawn = groupRates(sample.y, sample.p, codes, names.length, sample.threshold, draw.rows);
    const r = disparities(eligible.map((g) => drawn[g]));
    return HEADLINE.map((name) => r[name]);
  }, HEADLINE.length, options);

  const groups = present.map((g) => {
    const rows: number[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i] === g) rows.push(i);
    const sub = gatherSample(sample, Int32Array.from(rows));
    const byClass = [0, 1].map((c) => Int32Array.from(rows.map((_, j) => j).filter((j) => (sub.y[j] > 0 ? 1 : 0) === c))).filter((s) => s.length > 0);
    let meanScore = 0;
    for (let j = 0; j < sub.p.length; j++) meanScore += sub.p[j] / sub.p.length;
    const r = rates[g];
    return {
      group: names[g],
      size: r.size,
      selection_rate: r.selection_rate,
      metrics: estimateMetrics(sub, metrics, stratifiedResampler(byClass), options),
      true_positive_rate: r.true_positive_rate,
      false_positive_rate: r.false_positive_rate,
      base_rate: r.positives / r.size,
      mean_score: meanScore,
      ece: ece(sub.y, sub.p),
      below_min_group_size: r.size < minGroupSize,
    };
  });
  return {
    sensitive: sensitive.column,
    groups,
    ...d,
    threshold: sample.threshold,
    min_group_size: minGroupSize,
    excluded_groups: present.filter((g) => rates[g].size < minGroupSize).sort((a, b) => rates[a].size - rates[b].size).map((g) => names[g]),
    intervals: Object.fromEntries(HEADLINE.map((name, i) => [name, intervals[i]])),
  };
}
