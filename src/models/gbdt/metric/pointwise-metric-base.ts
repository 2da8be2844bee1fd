import type { GbdtMetricName } from '../params/gbdt-param-table.js';
import type { Metric } from './metric.js';

/** A metric that is the weighted mean of a per-row loss: Σ w·loss(y, p) / Σ w. */
export abstract class PointwiseMetricBase implements Metric {
  abstract readonly name: GbdtMetricName;
  readonly higherIsBetter: boolean = false;

  /** The loss of one row with label `y` and output `p`. */
  protected abstract loss(y: number, p: number): number;

  /** Turns the weighted mean loss into the reported value (RMSE takes its square root). */
  protected finish(meanLoss: number): number {
    return meanLoss;
  }

  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null): number {
    let sum = 0;
    let sumW = 0;
    for (let i = 0; i < label.length; i++) {
      const w = weight === null ? 1 : weight[i];
      sum += this.loss(label[i], pred[i]) * w;
      sumW += w;
    }
    return this.finish(sum / sumW);
  }
}
