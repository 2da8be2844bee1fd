import type { GbdtModel } from '../gbdt-model.js';
import { shapPlan } from './shap-plan.js';
import type { TreeShapOptions } from './tree-shap.js';
import { addTreeShap } from './tree-shap-tree.js';

/**
 * Adds every tree's contributions for one row (`row[f]`, model feature order) to `out[base ..]` in treeShap's layout,
 * tree by tree as LightGBM does: each tree's expected value to the bias entry, then its TreeSHAP values. Allocates
 * nothing once the model's plan exists.
 *
 * @internal
 */
export function addRowShap(model: GbdtModel, row: Float64Array, out: Float64Array, base: number, options: TreeShapOptions): void {
  const plan = shapPlan(model);
  const k = model.numOutputs;
  const stride = model.features.length + 1;
  const endTree = Math.min(model.trees.length, (options.numIterations ?? model.numIterations) * k);
  for (let t = 0; t < endTree; t++) {
    const phiOffset = base + (t % k) * stride;
    out[phiOffset + stride - 1] += plan.expected[t];
    addTreeShap(model.trees[t], row, 0, out, phiOffset, plan.path);
  }
}
