import { PointwiseMetricBase } from './pointwise-metric-base.js';

/** Huber loss with delta `alpha`: ½d² while |d| <= alpha, else alpha·(|d| − ½alpha), d = p − y. */
export class HuberMetric extends PointwiseMetricBase {
  readonly name = 'huber';
  readonly #alpha: number;

  constructor(alpha: number) {
    super();
    this.#alpha = alpha;
  }

  protected loss(y: number, p: number): number {
    const d = Math.abs(p - y);
    return d <= this.#alpha ? 0.5 * d * d : this.#alpha * (d - 0.5 * this.#alpha);
  }
}
