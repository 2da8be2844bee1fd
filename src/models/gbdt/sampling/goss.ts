import { Random } from '../../../core/random.js';
import type { RowSample } from './row-sample.js';

/**
 * Gradient-based one-side sampling (LightGBM's GOSS): keep the top_rate share of rows with the largest
 * Σ_k |g·h|, draw other_rate·n of the rest at random, and multiply the drawn rows' gradients and hessians by
 * (n − top)/other so their sums stay unbiased. It starts after ⌊1/learning_rate⌋ iterations, as LightGBM does;
 * before that every row is used. Seeded by bagging_seed.
 */
export class Goss {
  readonly #numRows: number;
  readonly #topRate: number;
  readonly #otherRate: number;
  readonly #warmup: number;
  readonly #rng: Random;
  readonly #indices: Int32Array;
  readonly #score: Float64Array;
  readonly #sorted: Float64Array;

  constructor(numRows: number, topRate: number, otherRate: number, learningRate: number, seed: number) {
    this.#numRows = numRows;
    this.#topRate = topRate;
    this.#otherRate = otherRate;
    this.#warmup = Math.trunc(1 / learningRate);
    this.#rng = new Random(seed);
    this.#indices = new Int32Array(numRows);
    this.#score = new Float64Array(numRows);
    this.#sorted = new Float64Array(numRows);
  }

  /**
   * Samples rows for `iteration` from class-major gradients/hessians of `numTrees` classes, re-weighting the drawn
   * rows' entries in place.
   */
  sample(iteration: number, grad: Float64Array, hess: Float64Array, numTrees: number): RowSample {
    const n = this.#numRows;
    if (iteration < this.#warmup) return { active: false, indices: this.#indices, bagCount: n };
    const score = this.#score;
    score.fill(0);
    for (let k = 0; k < numTrees; k++) {
      for (let i = 0; i < n; i++) score[i] += Math.abs(grad[k * n + i] * hess[k * n + i]);
    }
    const top = Math.max(1, Math.trunc(n * this.#topRate));
    const other = Math.trunc(n * this.#otherRate);
    this.#sorted.set(score);
    this.#sorted.sort();
    const threshold = this.#sorted[n - top];
    const multiply = (n - top) / other;
    let inBag = 0;
    let outPos = n;
    let big = 0;
    for (let i = 0; i < n; i++) {
      if (score[i] >= threshold) {
        this.#indices[inBag++] = i;
        big++;
        continue;
      }
      const sampled = inBag - big;
      const restNeed = other - sampled;
      const restAll = n - i - (top - big);
      if (this.#rng.nextFloat() < restNeed / restAll) {
        this.#indices[inBag++] = i;
        for (let k = 0; k < numTrees; k++) {
          grad[k * n + i] *= multiply;
          hess[k * n + i] *= multiply;
        }
      } else {
        this.#indices[--outPos] = i;
      }
    }
    return { active: true, indices: this.#indices, bagCount: inBag };
  }
}
