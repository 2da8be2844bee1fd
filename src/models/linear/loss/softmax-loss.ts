import { MIN_CURVATURE, type LinearLoss } from './loss.js';

/** ℓ = log Σ_k e^{η_k} − η_{y}, one output per class: softmax (multinomial logistic) regression. */
export class SoftmaxLoss implements LinearLoss {
  readonly outputs: number;
  readonly quadratic = false;
  readonly #y: Int32Array;
  readonly #v: Float64Array;
  readonly #rows: number;

  constructor(codes: Int32Array, weight: Float64Array, classes: number) {
    this.outputs = classes;
    this.#y = codes;
    this.#v = weight;
    this.#rows = codes.length;
  }

  evaluate(eta: Float64Array, residual: Float64Array): number {
    const n = this.#rows;
    const K = this.outputs;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const lse = logSumExp(eta, i, n, K);
      const v = this.#v[i];
      for (let k = 0, at = i; k < K; k++, at += n) residual[at] = v * Math.exp(eta[at] - lse);
      residual[this.#y[i] * n + i] -= v;
      sum += v * (lse - eta[this.#y[i] * n + i]);
    }
    return sum;
  }

  value(eta: Float64Array): number {
    const n = this.#rows;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.#v[i] * (logSumExp(eta, i, n, this.outputs) - eta[this.#y[i] * n + i]);
    return sum;
  }

  working(eta: Float64Array, k: number, u: Float64Array, response: Float64Array): void {
    const n = this.#rows;
    for (let i = 0; i < n; i++) {
      const at = k * n + i;
      const p = Math.exp(eta[at] - logSumExp(eta, i, n, this.outputs));
      const q = Math.max(p * (1 - p), MIN_CURVATURE);
      u[i] = this.#v[i] * q;
      response[i] = eta[at] + ((this.#y[i] === k ? 1 : 0) - p) / q;
    }
  }

  initialIntercepts(out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < this.#rows; i++) out[this.#y[i]] += this.#v[i];
    let mean = 0;
    for (let k = 0; k < this.outputs; k++) {
      out[k] = Math.log(Math.max(out[k], 1e-12));
      mean += out[k] / this.outputs;
    }
    for (let k = 0; k < this.outputs; k++) out[k] -= mean;
  }
}

/** log Σ_k e^{η[k·n + i]}, shifted by the maximum so it cannot overflow. */
export function logSumExp(eta: Float64Array, i: number, n: number, K: number): number {
  let max = -Infinity;
  for (let k = 0, at = i; k < K; k++, at += n) if (eta[at] > max) max = eta[at];
  let sum = 0;
  for (let k = 0, at = i; k < K; k++, at += n) sum += Math.exp(eta[at] - max);
  return max + Math.log(sum);
}
