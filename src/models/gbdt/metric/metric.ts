import type { GbdtMetricName } from '../params/gbdt-param-table.js';

/**
 * An evaluation metric over converted outputs (probabilities, means), never raw scores or gradients. Multiclass
 * outputs are class-major: row `i`, class `k` at `k * numRows + i`. Weights, when given, weight each row.
 */
export interface Metric {
  /** The name it is reported under: a GbdtMetricName, or `ndcg@k` / `map@k` for the ranking metrics. */
  readonly name: GbdtMetricName | `${'ndcg' | 'map'}@${number}`;
  /** True for AUC and the ranking metrics; false for losses and errors. */
  readonly higherIsBetter: boolean;
  /** Ranking metrics read the query boundaries (query q is rows `b[q] .. b[q+1]`); the others ignore them. */
  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null, queries?: Int32Array | null): number;
}
