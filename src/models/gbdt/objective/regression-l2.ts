import { ObjectiveBase } from './objective-base.js';

/** Squared error: gradient score − label, hessian 1 (both times the row weight). Starts from the weighted mean. */
export class RegressionL2 extends ObjectiveBase {
  readonly name = 'regression';
  readonly defaultMetric = 'l2';

  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const label = this.label;
    const weight = this.weight;
    for (let i = 0; i < label.length; i++) {
      const w = weight === null ? 1 : weight[i];
      grad[i] = (score[i] - label[i]) * w;
      hess[i] = w;
    }
  }
}
