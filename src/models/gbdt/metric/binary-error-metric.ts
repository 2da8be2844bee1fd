import { PointwiseMetricBase } from './pointwise-metric-base.js';

/** Classification error at 0.5: a row is wrong when p <= 0.5 for a positive or p > 0.5 for a negative. */
export class BinaryErrorMetric extends PointwiseMetricBase {
  readonly name = 'binary_error';

  protected loss(y: number, p: number): number {
    return p <= 0.5 ? (y > 0 ? 1 : 0) : y > 0 ? 0 : 1;
  }
}
