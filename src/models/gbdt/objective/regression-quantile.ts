import { ObjectiveBase } from './objective-base.js';

/**
 * Pinball loss for the `alpha` quantile: gradient 1 − alpha when score >= label, else −alpha; hessian 1 (times the
 * weight). Leaf values are refit to the alpha-percentile of the residuals, and training starts from the label's
 * alpha-percentile, as LightGBM does.
 */
export class RegressionQuantile extends ObjectiveBase {
  readonly name = 'quantile';
  readonly defaultMetric = 'quantile';
  override readonly renewsLeafOutput = true;
  readonly #alpha: number;

  constructor(alpha: number) {
    super();
    this.#alpha = alpha;
  }

  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const label = this.label;
    const weight = this.weight;
    const alpha = this.#alpha;
    for (let i = 0; i < label.length; i++) {
      const w = weight === null ? 1 : weight[i];
      grad[i] = (score[i] - label[i] >= 0 ? 1 - alpha : -alpha) * w;
      hess[i] = w;
    }
  }

  override boostFromScore(): number {
    return this.percentileOf(Float64Array.from(this.label), this.weight === null ? null : Float64Array.from(this.weight), this.label.length, this.#alpha);
  }

  override renewLeafOutput(residuals: Float64Array, weights: Float64Array | null, count: number): number {
    return this.percentileOf(residuals, weights, count, this.#alpha);
  }
}
