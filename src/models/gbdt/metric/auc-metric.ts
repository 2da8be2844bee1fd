import type { Metric } from './metric.js';

/**
 * Area under the ROC curve of binary outputs (label > 0 is positive), with tied scores counting half, as in the
 * Mann–Whitney statistic and LightGBM's AUC. Weighted when weights are given: each (positive, negative) pair counts
 * w⁺·w⁻. 1 when only one class is present.
 */
export class AucMetric implements Metric {
  readonly name = 'auc';
  readonly higherIsBetter = true;
  #positives: Float64Array = new Float64Array(0);
  #negatives: Float64Array = new Float64Array(0);
  #order: Int32Array = new Int32Array(0);

  evaluate(pred: Float64Array, label: Float64Array, weight: Float64Array | null): number {
    return weight === null ? this.#unweighted(pred, label) : this.#weighted(pred, label, weight);
  }

  /** Sorts positive and negative scores apart (native numeric sorts) and counts, per positive, the negatives below it. */
  #unweighted(pred: Float64Array, label: Float64Array): number {
    const n = label.length;
    if (this.#positives.length < n) {
      this.#positives = new Float64Array(n);
      this.#negatives = new Float64Array(n);
    }
    let np = 0;
    let nn = 0;
    for (let i = 0; i < n; i++) {
      if (label[i] > 0) this.#positives[np++] = pred[i];
      else this.#negatives[nn++] = pred[i];
    }
    if (np === 0 || nn === 0) return 1;
    const pos = this.#positives.subarray(0, np).sort();
    const neg = this.#negatives.subarray(0, nn).sort();
    let below = 0;
    let equal = 0;
    let sum = 0;
    for (let i = 0; i < np; i++) {
      const s = pos[i];
      if (i === 0 || s !== pos[i - 1]) {
        below += equal;
        while (below < nn && neg[below] < s) below++;
        equal = 0;
        while (below + equal < nn && neg[below + equal] === s) equal++;
      }
      sum += below + 0.5 * equal;
    }
    return sum / (np * nn);
  }

  /** LightGBM's sweep over scores in descending order, accumulating weighted pair counts per tie group. */
  #weighted(pred: Float64Array, label: Float64Array, weight: Float64Array): number {
    const n = label.length;
    if (this.#order.length !== n) this.#order = new Int32Array(n);
    const order = this.#order;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => pred[b] - pred[a]);
    let accum = 0;
    let sumPos = 0;
    let curPos = 0;
    let curNeg = 0;
    let total = 0;
    let threshold = n > 0 ? pred[order[0]] : 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (pred[i] !== threshold) {
        threshold = pred[i];
        accum += curNeg * (curPos * 0.5 + sumPos);
        sumPos += curPos;
        curPos = 0;
        curNeg = 0;
      }
      if (label[i] > 0) curPos += weight[i];
      else curNeg += weight[i];
      total += weight[i];
    }
    accum += curNeg * (curPos * 0.5 + sumPos);
    sumPos += curPos;
    if (sumPos > 0 && sumPos !== total) return accum / (sumPos * (total - sumPos));
    return 1;
  }
}
