import type { Metric } from './metric.js';

const EPSILON = Math.fround(1e-15);

/** Multiclass log loss: the weighted mean of −log p(true class), probabilities floored at 1e-15. */
export class MultiLoglossMetric implements Metric {
  readonly name = 'multi_logloss';
  readonly higherIsBetter = false;

  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null): number {
    const n = label.length;
    let sum = 0;
    let sumW = 0;
    for (let i = 0; i < n; i++) {
      const p = pred[label[i] * n + i];
      const w = weight === null ? 1 : weight[i];
      sum += -Math.log(p > EPSILON ? p : EPSILON) * w;
      sumW += w;
    }
    return sum / sumW;
  }
}
