import { PointwiseMetricBase } from './pointwise-metric-base.js';

/** Mean absolute error (LightGBM's `l1`, alias `mae`). */
export class L1Metric extends PointwiseMetricBase {
  readonly name = 'l1';

  protected loss(y: number, p: number): number {
    return Math.abs(p - y);
  }
}
