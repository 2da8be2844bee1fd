import { Random } from '../../../core/random.js';
import type { RowSample } from './row-sample.js';

/**
 * Bagging (bagging_fraction, bagging_freq): every `freq` iterations, draw ⌊fraction·n⌋ rows without replacement by
 * selection sampling, seeded by bagging_seed, so the same seed gives the same bags. Between draws the bag is kept.
 */
export class Bagging {
  readonly #numRows: number;
  readonly #bagCount: number;
  readonly #freq: number;
  readonly #rng: Random;
  readonly #indices: Int32Array;
  readonly #active: boolean;

  constructor(numRows: number, fraction: number, freq: number, seed: number) {
    this.#numRows = numRows;
    this.#bagCount = Math.max(1, Math.trunc(fraction * numRows));
    this.#freq = freq;
    this.#rng = new Random(seed);
    this.#indices = new Int32Array(numRows);
    this.#active = freq > 0 && fraction < 1 && this.#bagCount < numRows;
  }

  /** The sample for 0-based iteration `iteration`: a new bag when iteration % freq = 0, else the previous one. */
  sample(iteration: number): RowSample {
    if (!this.#active) return { active: false, indices: this.#indices, bagCount: this.#numRows };
    if (iteration % this.#freq === 0) {
      const n = this.#numRows;
      const need = this.#bagCount;
      let inBag = 0;
      let out = need;
      for (let i = 0; i < n; i++) {
        if (this.#rng.nextFloat() * (n - i) < need - inBag) this.#indices[inBag++] = i;
        else this.#indices[out++] = i;
      }
    }
    return { active: true, indices: this.#indices, bagCount: this.#bagCount };
  }
}
