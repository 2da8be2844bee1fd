import type { BinColumn } from '../binning/binned-dataset.js';

/** A value no bin takes (bins are below 65536), so `bin ^ NO_BIN` is never 0. */
const NO_BIN = 1 << 16;

/**
 * Which rows are in which leaf: one permutation of the (bagged) row indices in which every leaf owns a contiguous
 * range. Splitting a leaf partitions its range stably, left rows first; the right child's range follows.
 */
export class DataPartition {
  /** Row indices, grouped by leaf. */
  readonly indices: Int32Array;
  readonly leafBegin: Int32Array;
  readonly leafCount: Int32Array;
  readonly #scratch: Int32Array;
  /** 0, 1, 2, …: copied into `indices` for an unbagged tree (a copy is several times faster than a loop). */
  #identity: Int32Array | null = null;

  /** @param indices where to keep the row indices (numRows entries; the shared histogram workspace), else the heap */
  constructor(numRows: number, maxLeaves: number, indices: Int32Array | null = null) {
    this.indices = indices ?? new Int32Array(numRows);
    this.#scratch = new Int32Array(numRows);
    this.leafBegin = new Int32Array(maxLeaves);
    this.leafCount = new Int32Array(maxLeaves);
  }

  /** Puts every row (or the first `count` of `bag`) in leaf 0. */
  reset(numRows: number, bag: Int32Array | null, count: number): void {
    if (bag === null) {
      if (this.#identity === null || this.#identity.length !== numRows) this.#identity = Int32Array.from({ length: numRows }, (_, i) => i);
      this.indices.set(this.#identity);
      count = numRows;
    } else {
      this.indices.set(bag.subarray(0, count));
    }
    this.leafBegin.fill(0);
    this.leafCount.fill(0);
    this.leafCount[0] = count;
  }

  /**
   * Splits `leaf` on a numerical bin threshold: rows with bin <= threshold stay in `leaf`, the rest move to `newLeaf`.
   * Rows in `nanBin` (-1 for none) go left when `defaultLeft`. Returns the left count.
   */
  splitNumerical(leaf: number, newLeaf: number, col: BinColumn, threshold: number, defaultLeft: boolean, nanBin: number): number {
    const begin = this.leafBegin[leaf];
    const end = begin + this.leafCount[leaf];
    const idx = this.indices;
    const right = this.#scratch;
    // Branch-free: every row is written to both sides and only the matching cursor advances, because which way a
    // row goes is data-dependent and mispredicted branches cost more than the extra store.
    const nan = nanBin < 0 ? NO_BIN : nanBin;
    const missingLeft = defaultLeft ? 1 : 0;
    let l = begin;
    let r = 0;
    for (let i = begin; i < end; i++) {
      const row = idx[i];
      const bin = col[row];
      const goLeft = (((threshold - bin) >>> 31) ^ 1) | ((((bin ^ nan) - 1) >>> 31) & missingLeft);
      idx[l] = row;
      right[r] = row;
      l += goLeft;
      r += 1 - goLeft;
    }
    return this.#finish(leaf, newLeaf, begin, l, r);
  }

  /** Splits `leaf` on a bin set: rows whose bin `b` has `goesLeft[b] === 1` stay in `leaf`. Returns the left count. */
  splitCategorical(leaf: number, newLeaf: number, col: BinColumn, goesLeft: Uint8Array): number {
    const begin = this.leafBegin[leaf];
    const end = begin + this.leafCount[leaf];
    const idx = this.indices;
    const right = this.#scratch;
    let l = begin;
    let r = 0;
    for (let i = begin; i < end; i++) {
      const row = idx[i];
      const goLeft = goesLeft[col[row]];
      idx[l] = row;
      right[r] = row;
      l += goLeft;
      r += 1 - goLeft;
    }
    return this.#finish(leaf, newLeaf, begin, l, r);
  }

  /**
   * Records a split whose rows the caller already partitioned in place (left rows first, `leftCount` of them):
   * `leaf` keeps the left rows and `newLeaf` takes the rest of its range.
   */
  assignSplit(leaf: number, newLeaf: number, leftCount: number): void {
    const begin = this.leafBegin[leaf];
    this.leafBegin[newLeaf] = begin + leftCount;
    this.leafCount[newLeaf] = this.leafCount[leaf] - leftCount;
    this.leafCount[leaf] = leftCount;
  }

  #finish(leaf: number, newLeaf: number, begin: number, l: number, r: number): number {
    this.indices.set(this.#scratch.subarray(0, r), l);
    this.leafCount[leaf] = l - begin;
    this.leafBegin[newLeaf] = l;
    this.leafCount[newLeaf] = r;
    return l - begin;
  }
}
