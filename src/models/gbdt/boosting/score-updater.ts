import type { BinnedDataset } from '../binning/binned-dataset.js';
import { binnedLeafIndex } from '../tree/binned-leaf-index.js';
import type { DataPartition } from '../tree/data-partition.js';
import type { Tree } from '../tree/tree.js';

/**
 * Adds a freshly grown tree's leaf values to the training scores of the rows it was grown on, read from the learner's
 * partition (no tree traversal). `score` is class-major; `offset` is the class's first entry.
 */
export function addTreeByPartition(tree: Tree, partition: DataPartition, score: Float64Array, offset: number): void {
  const idx = partition.indices;
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    const value = tree.leafValue[leaf];
    const begin = partition.leafBegin[leaf];
    const end = begin + partition.leafCount[leaf];
    for (let i = begin; i < end; i++) score[offset + idx[i]] += value;
  }
}

/** Adds a tree's values to the scores of `rows[begin .. end)` (null: rows begin .. end) of binned data by traversal. */
export function addTreeBinned(tree: Tree, data: BinnedDataset, rows: Int32Array | null, begin: number, end: number, score: Float64Array, offset: number): void {
  for (let i = begin; i < end; i++) {
    const row = rows === null ? i : rows[i];
    score[offset + row] += tree.leafValue[binnedLeafIndex(tree, data, row)];
  }
}

/** Adds a constant to one class's `count` scores. */
export function addConstant(score: Float64Array, offset: number, count: number, value: number): void {
  for (let i = 0; i < count; i++) score[offset + i] += value;
}
