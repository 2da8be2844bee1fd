import { PointwiseMetricBase } from './pointwise-metric-base.js';

/** Poisson negative log-likelihood without the constant: p − y·log p, with p floored at 1e-10. */
export class PoissonMetric extends PointwiseMetricBase {
  readonly name = 'poisson';

  protected loss(y: number, p: number): number {
    const q = p < 1e-10 ? 1e-10 : p;
    return q - y * Math.log(q);
  }
}
