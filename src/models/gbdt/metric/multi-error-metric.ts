import type { Metric } from './metric.js';

/**
 * Multiclass error: a row is wrong unless its true class is among the `topK` highest outputs, where every class
 * scoring at least as high as the true one (itself included) counts, as LightGBM does.
 */
export class MultiErrorMetric implements Metric {
  readonly name = 'multi_error';
  readonly higherIsBetter = false;
  readonly #numClass: number;
  readonly #topK: number;

  constructor(numClass: number, topK: number) {
    this.#numClass = numClass;
    this.#topK = topK;
  }

  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null): number {
    const n = label.length;
    let sum = 0;
    let sumW = 0;
    for (let i = 0; i < n; i++) {
      const truth = pred[label[i] * n + i];
      let atLeast = 0;
      for (let c = 0; c < this.#numClass; c++) if (pred[c * n + i] >= truth) atLeast++;
      const w = weight === null ? 1 : weight[i];
      if (atLeast > this.#topK) sum += w;
      sumW += w;
    }
    return sum / sumW;
  }
}
