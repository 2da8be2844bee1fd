import { ObjectiveBase } from './objective-base.js';

/**
 * Poisson regression on a log link: gradient exp(score) − label, hessian exp(score + poisson_max_delta_step) (both
 * times the weight). Outputs exp(score); starts from log(weighted mean). Labels must be >= 0 with a positive sum.
 */
export class RegressionPoisson extends ObjectiveBase {
  readonly name = 'poisson';
  readonly defaultMetric = 'poisson';
  readonly #expMaxDelta: number;

  constructor(maxDeltaStep: number) {
    super();
    this.#expMaxDelta = Math.exp(maxDeltaStep);
  }

  protected override check(): void {
    let sum = 0;
    for (let i = 0; i < this.label.length; i++) {
      if (this.label[i] < 0) this.reject(`row ${i} is ${this.label[i]}; poisson labels must be >= 0`);
      sum += this.label[i];
    }
    if (sum === 0) this.reject('every label is 0; poisson needs a positive label sum');
  }

  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const label = this.label;
    const weight = this.weight;
    const factor = this.#expMaxDelta;
    for (let i = 0; i < label.length; i++) {
      const w = weight === null ? 1 : weight[i];
      const e = Math.exp(score[i]);
      grad[i] = (e - label[i]) * w;
      hess[i] = e * factor * w;
    }
  }

  override boostFromScore(): number {
    const mean = this.weightedMean();
    return mean > 0 ? Math.log(mean) : Number.NEGATIVE_INFINITY;
  }

  override convertOutput(raw: Float64Array, rawOffset: number, _rawStride: number, out: Float64Array, outOffset: number): void {
    out[outOffset] = Math.exp(raw[rawOffset]);
  }
}
