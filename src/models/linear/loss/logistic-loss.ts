import { MIN_CURVATURE, type LinearLoss } from './loss.js';

/** log(1 + e^η), without overflow. */
export function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/** 1 / (1 + e^−η), without overflow. */
export function sigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/** ℓ = log(1 + e^η) − y·η with y ∈ {0, 1}, one output: logistic regression (η is the log-odds of class 1). */
export class LogisticLoss implements LinearLoss {
  readonly outputs = 1;
  readonly quadratic = false;
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
      residual[i] = v[i] * (sigmoid(eta[i]) - y[i]);
      sum += v[i] * (softplus(eta[i]) - y[i] * eta[i]);
    }
    return sum;
  }

  value(eta: Float64Array): number {
    const y = this.#y;
    const v = this.#v;
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += v[i] * (softplus(eta[i]) - y[i] * eta[i]);
    return sum;
  }

  working(eta: Float64Array, _k: number, u: Float64Array, response: Float64Array): void {
    const y = this.#y;
    const v = this.#v;
    for (let i = 0; i < y.length; i++) {
      const p = sigmoid(eta[i]);
      const q = Math.max(p * (1 - p), MIN_CURVATURE);
      u[i] = v[i] * q;
      response[i] = eta[i] + (y[i] - p) / q;
    }
  }

  initialIntercepts(out: Float64Array): void {
    let mean = 0;
    for (let i = 0; i < this.#y.length; i++) mean += this.#v[i] * this.#y[i];
    const p = Math.min(Math.max(mean, 1e-12), 1 - 1e-12);
    out[0] = Math.log(p / (1 - p));
  }
}
