import { ObjectiveBase } from './objective-base.js';

/**
 * Huber loss with delta `alpha`: gradient score − label while |score − label| <= alpha, else ±alpha; hessian 1
 * (both times the weight). Starts from the weighted mean.
 */
export class RegressionHuber extends ObjectiveBase {
  readonly name = 'huber';
  readonly defaultMetric = 'huber';
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
      const diff = score[i] - label[i];
      grad[i] = (Math.abs(diff) <= alpha ? diff : diff > 0 ? alpha : -alpha) * w;
      hess[i] = w;
    }
  }
}
