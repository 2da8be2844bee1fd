import { L2Metric } from './l2-metric.js';

/** Root mean squared error: the square root of the weighted mean squared error. */
export class RmseMetric extends L2Metric {
  override readonly name = 'rmse';

  protected override finish(meanLoss: number): number {
    return Math.sqrt(meanLoss);
  }
}
