import { PointwiseMetricBase } from './pointwise-metric-base.js';

/** Pinball loss of the `alpha` quantile: alpha·d for d = y − p >= 0, (alpha − 1)·d otherwise. */
export class QuantileMetric extends PointwiseMetricBase {
  readonly name = 'quantile';
  readonly #alpha: number;

  constructor(alpha: number) {
    super();
    this.#alpha = alpha;
  }

  protected loss(y: number, p: number): number {
    const d = y - p;
    return d < 0 ? (this.#alpha - 1) * d : this.#alpha * d;
  }
}
