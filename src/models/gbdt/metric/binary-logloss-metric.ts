import { PointwiseMetricBase } from './pointwise-metric-base.js';

const EPSILON = Math.fround(1e-15);

/** Binary log loss: −log p for positives (label > 0), −log(1 − p) otherwise, with probabilities floored at 1e-15. */
export class BinaryLoglossMetric extends PointwiseMetricBase {
  readonly name = 'binary_logloss';

  protected loss(y: number, p: number): number {
    const q = y > 0 ? p : 1 - p;
    return -Math.log(q > EPSILON ? q : EPSILON);
  }
}
