/**
 * Chooses, while a training runs, whether dense groups (dense-rows.ts) or column-wise kernels build a leaf's
 * histograms, as LightGBM tests its row-wise and column-wise modes before choosing one. Both give the same bits
 * (decision 0010), so the choice changes speed only, never the model.
 *
 * Why it is measured rather than fixed: on one 2-vCPU host the dense groups took the synthetic 800k × 28 set from
 * 37.4 s to 23.4 s on 2 threads; on another they took it from 22.1–22.9 s to 27.3 s. Which way is faster also
 * depends on the leaf: near the root a leaf's rows are nearly contiguous and columns stream well; deep in the tree
 * they are scattered, and a dense row's features share a cache line.
 *
 * Leaves are classed by size (powers of two, from MIN_ROWS). Per class the chooser alternates the two ways over the
 * first builds, and then keeps the one with the lower median time per row for that class.
 */
export class DenseChoice implements DensePolicy {
  readonly #samples: number;
  /** Per size class: time per row of the dense and the column-wise builds sampled so far. */
  readonly #perRow: [number[], number[]][] = Array.from({ length: CLASSES }, () => [[], []]);
  /** Per size class: 1 dense, 0 columns, -1 still sampling. */
  readonly #decided = new Int8Array(CLASSES).fill(-1);
  /** Per size class: the way its next sampled build takes (1 dense). */
  readonly #next = new Uint8Array(CLASSES).fill(1);

  /** Samples `samples` builds each way per size class. */
  constructor(samples = 5) {
    this.#samples = samples;
  }

  /** Whether the build of a leaf of `count` rows uses the dense groups. */
  useDense(count: number): boolean {
    const c = classOf(count);
    if (c < 0) return true;
    return this.#decided[c] === -1 ? this.#next[c] === 1 : this.#decided[c] === 1;
  }

  /** Records that a build of `count` rows, made the way useDense(count) said, took `ms`. */
  record(count: number, ms: number): void {
    const c = classOf(count);
    if (c < 0 || this.#decided[c] !== -1) return;
    const [dense, columns] = this.#perRow[c];
    (this.#next[c] === 1 ? dense : columns).push(ms / count);
    this.#next[c] ^= 1;
    if (dense.length >= this.#samples && columns.length >= this.#samples) this.#decided[c] = median(dense) <= median(columns) ? 1 : 0;
  }

  /** Per size class from MIN_ROWS up: 1 dense, 0 columns, -1 not decided yet. */
  get decisions(): readonly number[] {
    return [...this.#decided];
  }
}

/** When a leaf builds its dense groups (TreeLearnerOptions.densePolicy); any answer gives the same bits. */
export interface DensePolicy {
  /** Whether the build of a leaf of `count` rows uses the dense groups. */
  useDense(count: number): boolean;
  /** Told after each build that asked useDense(count): how long it took. */
  record(count: number, ms: number): void;
}

/** Leaves of fewer rows always build dense groups: their builds are too short to time. */
export const MIN_ROWS = 1024;
/** Size classes: [1024, 2048), [2048, 4096), …, the last open-ended. */
const CLASSES = 12;

function classOf(count: number): number {
  if (count < MIN_ROWS) return -1;
  return Math.min(CLASSES - 1, 31 - Math.clz32(count) - 10);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
