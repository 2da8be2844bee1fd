import type { GbdtMetricName } from '../params/gbdt-param-table.js';

/**
 * An evaluation metric over converted outputs (probabilities, means), never raw scores or gradients. Multiclass
 * outputs are class-major: row `i`, class `k` at `k * numRows + i`. Weights, when given, weight each row.
 */
export interface Metric {
  readonly name: GbdtMetricName;
  /** True for AUC; false for losses and errors. */
  readonly higherIsBetter: boolean;
  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null): number;
}
