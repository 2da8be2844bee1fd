import { ObjectiveBase } from './objective-base.js';

/**
 * Absolute error: gradient sign(score − label), hessian 1 (times the weight). Leaf values are refit to the (weighted)
 * median of the leaf's residuals, and training starts from the (weighted) median label, as LightGBM does.
 */
export class RegressionL1 extends ObjectiveBase {
  readonly name = 'regression_l1';
  readonly defaultMetric = 'l1';
  override readonly renewsLeafOutput = true;

  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const label = this.label;
    const weight = this.weight;
    for (let i = 0; i < label.length; i++) {
      const w = weight === null ? 1 : weight[i];
      const diff = score[i] - label[i];
      grad[i] = (diff > 0 ? 1 : diff < 0 ? -1 : 0) * w;
      hess[i] = w;
    }
  }

  override boostFromScore(): number {
    return this.percentileOf(Float64Array.from(this.label), this.weight === null ? null : Float64Array.from(this.weight), this.label.length, 0.5);
  }

  override renewLeafOutput(residuals: Float64Array, weights: Float64Array | null, count: number): number {
    return this.percentileOf(residuals, weights, count, 0.5);
  }
}
