import { PointwiseMetricBase } from './pointwise-metric-base.js';

/** Mean squared error. */
export class L2Metric extends PointwiseMetricBase {
  readonly name: 'l2' | 'rmse' = 'l2';

  protected loss(y: number, p: number): number {
    return (p - y) * (p - y);
  }
}
