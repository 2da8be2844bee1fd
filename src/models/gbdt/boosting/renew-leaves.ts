import type { Objective } from '../objective/objective.js';
import type { DataPartition } from '../tree/data-partition.js';
import type { Tree } from '../tree/tree.js';

/**
 * Refits each leaf of `tree` to the objective's percentile of its rows' residuals label − score (L1, quantile), as
 * LightGBM's RenewTreeOutput does, before shrinkage. `score` holds this class's scores before the tree; `residuals`
 * and `weights` are caller-owned scratch of at least as many entries as the largest leaf.
 */
export function renewLeaves(
  tree: Tree, partition: DataPartition, objective: Objective, label: Float64Array, weight: Float64Array | null,
  score: Float64Array, offset: number, residuals: Float64Array, weights: Float64Array,
): void {
  const idx = partition.indices;
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    const begin = partition.leafBegin[leaf];
    const count = partition.leafCount[leaf];
    if (count === 0) continue;
    for (let i = 0; i < count; i++) {
      const row = idx[begin + i];
      residuals[i] = label[row] - score[offset + row];
      if (weight !== null) weights[i] = weight[row];
    }
    tree.leafValue[leaf] = objective.renewLeafOutput(residuals, weight === null ? null : weights, count);
  }
}
