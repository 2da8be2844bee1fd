import type { GbdtModel } from '../gbdt-model.js';
import type { Tree } from '../tree/tree.js';
import { ShapPath } from './shap-path.js';

/** What TreeSHAP needs per model, computed once: each tree's expected value, and path storage for the deepest tree. @internal */
export interface ShapPlan {
  /** Per tree: the mean of its leaf values weighted by training rows (leaf_count / root count), as LightGBM's ExpectedValue. */
  readonly expected: Float64Array;
  readonly maxDepth: number;
  readonly path: ShapPath;
}

const PLANS = new WeakMap<GbdtModel, ShapPlan>();

/** The model's plan, built on first use and kept while the model lives (models are immutable). @internal */
export function shapPlan(model: GbdtModel): ShapPlan {
  let plan = PLANS.get(model);
  if (plan === undefined) {
    const expected = new Float64Array(model.trees.length);
    let maxDepth = 0;
    model.trees.forEach((tree, t) => {
      expected[t] = expectedValue(tree);
      maxDepth = Math.max(maxDepth, treeDepth(tree));
    });
    plan = { expected, maxDepth, path: new ShapPath(maxDepth) };
    PLANS.set(model, plan);
  }
  return plan;
}

function expectedValue(tree: Tree): number {
  if (tree.numLeaves === 1) return tree.leafValue[0];
  const total = tree.internalCount[0];
  let value = 0;
  for (let i = 0; i < tree.numLeaves; i++) value += (tree.leafCount[i] / total) * tree.leafValue[i];
  return value;
}

/** The depth of the deepest leaf (0 for a single leaf). */
function treeDepth(tree: Tree): number {
  const nodes = tree.numLeaves - 1;
  if (nodes === 0) return 0;
  const stack = new Int32Array(2 * nodes + 2);
  let top = 0;
  let max = 0;
  stack[top++] = 0;
  stack[top++] = 0;
  while (top > 0) {
    const depth = stack[--top];
    const node = stack[--top];
    for (const child of [tree.leftChild[node], tree.rightChild[node]]) {
      if (child < 0) max = Math.max(max, depth + 1);
      else {
        stack[top++] = child;
        stack[top++] = depth + 1;
      }
    }
  }
  return max;
}
