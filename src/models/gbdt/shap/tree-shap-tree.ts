import type { Tree } from '../tree/tree.js';
import type { ShapPath } from './shap-path.js';
import { treeDecision } from './tree-decision.js';

/**
 * Adds one tree's exact TreeSHAP contributions for one row to `phi[phiOffset + f]` (f = feature index; the expected
 * value is not added here). `values[valuesOffset + f]` is the row's feature f. Cover is the training row count of each
 * node and leaf (internal_count, leaf_count), as in LightGBM. Recursion depth is the tree's depth; nothing is
 * allocated.
 *
 * @internal
 */
export function addTreeShap(tree: Tree, values: Float64Array, valuesOffset: number, phi: Float64Array, phiOffset: number, path: ShapPath): void {
  if (tree.numLeaves > 1) {
    path.handoff[0] = 1;
    path.handoff[1] = 1;
    recurse(tree, values, valuesOffset, phi, phiOffset, path, 0, 0, 0, -1);
  }
}

function dataCount(tree: Tree, node: number): number {
  return node >= 0 ? tree.internalCount[node] : tree.leafCount[~node];
}

/**
 * One step of Algorithm 2. This call's path segment starts at `parentOffset + depth` and first copies the parent's
 * `depth` elements there; the parent's zero and one fractions arrive in `path.handoff`. Only integers and objects are
 * passed, so no call boxes a double.
 */
function recurse(
  tree: Tree, values: Float64Array, valuesOffset: number, phi: Float64Array, phiOffset: number, path: ShapPath,
  node: number, depth: number, parentOffset: number, parentFeature: number,
): void {
  const offset = parentOffset + depth;
  if (depth > 0) path.copy(parentOffset, offset, depth);
  path.extend(offset, depth, parentFeature);
  if (node < 0) {
    const leafValue = tree.leafValue[~node];
    // Two elements at a time (ShapPath.unwoundSums); the contributions are still added in element order.
    const sums = path.sums;
    let i = 1;
    for (; i < depth; i += 2) {
      path.unwoundSums(offset, depth, i, i + 1, sums);
      phi[phiOffset + path.feature[offset + i]] += sums[0] * (path.one[offset + i] - path.zero[offset + i]) * leafValue;
      phi[phiOffset + path.feature[offset + i + 1]] += sums[1] * (path.one[offset + i + 1] - path.zero[offset + i + 1]) * leafValue;
    }
    if (i === depth) {
      path.unwoundSums(offset, depth, i, i, sums);
      phi[phiOffset + path.feature[offset + i]] += sums[0] * (path.one[offset + i] - path.zero[offset + i]) * leafValue;
    }
    return;
  }
  const feature = tree.splitFeature[node];
  const hot = treeDecision(tree, node, values[valuesOffset + feature]);
  const cold = hot === tree.leftChild[node] ? tree.rightChild[node] : tree.leftChild[node];
  const w = dataCount(tree, node);
  const hotZero = dataCount(tree, hot) / w;
  const coldZero = dataCount(tree, cold) / w;
  let incomingZero = 1;
  let incomingOne = 1;
  let index = 0;
  while (index <= depth && path.feature[offset + index] !== feature) index++;
  let nextDepth = depth;
  if (index !== depth + 1) {
    incomingZero = path.zero[offset + index];
    incomingOne = path.one[offset + index];
    path.unwind(offset, depth, index);
    nextDepth -= 1;
  }
  path.handoff[0] = hotZero * incomingZero;
  path.handoff[1] = incomingOne;
  recurse(tree, values, valuesOffset, phi, phiOffset, path, hot, nextDepth + 1, offset, feature);
  path.handoff[0] = coldZero * incomingZero;
  path.handoff[1] = 0;
  recurse(tree, values, valuesOffset, phi, phiOffset, path, cold, nextDepth + 1, offset, feature);
}
