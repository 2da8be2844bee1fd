import { histogramLength } from './histogram-layout.js';

/**
 * The histograms of one tree's leaves. A tree with at most `maxLeaves` leaves needs `maxLeaves` buffers: the root
 * takes one, and each split hands the parent's buffer to the larger child (which is then derived by subtraction)
 * and a fresh one to the smaller child. Buffers are allocated on first use and reused by every later tree.
 *
 * Buffers come from `allocate` when given (the shared histogram workspace), else from the heap.
 *
 * Each buffer carries per-feature "splittable" flags: a feature that no threshold could split in a leaf is skipped
 * in that leaf's children, as LightGBM does.
 */
export class HistogramPool {
  readonly #buffers: Float64Array[] = [];
  readonly #splittable: Uint8Array[] = [];
  readonly #leafBuffer: Int32Array;
  readonly #length: number;
  readonly #numFeatures: number;
  readonly #allocate: ((id: number) => Float64Array) | null;
  #next = 0;

  constructor(maxLeaves: number, totalBins: number, numFeatures: number, allocate: ((id: number) => Float64Array) | null = null) {
    this.#leafBuffer = new Int32Array(maxLeaves).fill(-1);
    this.#length = histogramLength(totalBins);
    this.#numFeatures = numFeatures;
    this.#allocate = allocate;
  }

  /** Forgets every leaf's buffer; call at the start of each tree. */
  reset(): void {
    this.#leafBuffer.fill(-1);
    this.#next = 0;
  }

  /** Gives `leaf` a buffer no other leaf holds, with every feature marked splittable. */
  assignFresh(leaf: number): void {
    const id = this.#next++;
    if (id === this.#buffers.length) {
      this.#buffers.push(this.#allocate === null ? new Float64Array(this.#length) : this.#allocate(id));
      this.#splittable.push(new Uint8Array(this.#numFeatures));
    }
    this.#splittable[id].fill(1);
    this.#leafBuffer[leaf] = id;
  }

  /** Moves `from`'s buffer to `to`; `from` then has none. */
  move(from: number, to: number): void {
    this.#leafBuffer[to] = this.#leafBuffer[from];
    this.#leafBuffer[from] = -1;
  }

  /** The histogram of `leaf`. */
  histogram(leaf: number): Float64Array {
    return this.#buffers[this.#leafBuffer[leaf]];
  }

  /** The id of `leaf`'s buffer (the `id` it was allocated with). */
  bufferId(leaf: number): number {
    return this.#leafBuffer[leaf];
  }

  /** The splittable flags (1 = may split) of `leaf`, indexed by feature. */
  splittable(leaf: number): Uint8Array {
    return this.#splittable[this.#leafBuffer[leaf]];
  }
}
