import type { LinearLoss } from './loss.js';

/** ℓ = ½ (y − η)², one output: linear regression. */
export class SquaredLoss implements LinearLoss {
  readonly outputs = 1;
  readonly quadratic = true;
  readonly #y: Float64Array;
  readonly #v: Float64Array;

  constructor(y: Float64Array, weight: Float64Array) {
    this.#y = y;
    this.#v = weight;
  }

  evaluate(eta: Float64Array, residual: Float64Array): number {
    const y = this.#y;
    const v = this.#v;
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
      const d = eta[i] - y[i];
      residual[i] = v[i] * d;
      sum += v[i] * d * d;
    }
    return sum / 2;
  }

  value(eta: Float64Array): number {
    const y = this.#y;
    const v = this.#v;
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += v[i] * (eta[i] - y[i]) * (eta[i] - y[i]);
    return sum / 2;
  }

  working(_eta: Float64Array, _k: number, u: Float64Array, response: Float64Array): void {
    u.set(this.#v);
    response.set(this.#y);
  }

  initialIntercepts(out: Float64Array): void {
    let mean = 0;
    for (let i = 0; i < this.#y.length; i++) mean += this.#v[i] * this.#y[i];
    out[0] = mean;
  }
}
