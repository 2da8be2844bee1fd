import { Random } from '../../src/core/random.js';
import { GbdtModel, type GbdtFeature } from '../../src/models/gbdt/gbdt-model.js';
import { resolveGbdtParams } from '../../src/models/gbdt/params/resolve-params.js';
import { Tree, type SplitOutcome } from '../../src/models/gbdt/tree/tree.js';

// Random GBDT trees and an independent statement of LightGBM's node decision, for tests of prediction and TreeSHAP.

const NUMERIC: GbdtFeature = { name: 'x', categorical: false, dictionary: null, trivial: false, minValue: -3, maxValue: 3, binCategories: null };

export function modelOf(trees: Tree[], numFeatures: number, objective: 'regression' | 'multiclass' = 'regression', numOutputs = 1): GbdtModel {
  const params = resolveGbdtParams(objective === 'multiclass' ? { objective, num_class: numOutputs } : { objective });
  const features = Array.from({ length: numFeatures }, (_, f) => ({ ...NUMERIC, name: `x${f}`, categorical: f === 3 }));
  return new GbdtModel({ trees, numOutputs, params, features, labelClasses: null, bestIteration: trees.length / numOutputs, evalLog: { iterations: [], values: {} } });
}

export function outcome(leftValue: number, rightValue: number, leftCount: number, rightCount: number): SplitOutcome {
  return { leftValue, rightValue, leftCount, rightCount, leftWeight: leftCount, rightWeight: rightCount, gain: 1 };
}

/** A random tree on 4 features (x3 categorical 0..5) with repeated features and the given missing types. */
export function randomTree(rng: Random, leaves: number, missingTypes: readonly number[] = [0, 1, 2]): Tree {
  const tree = new Tree(leaves);
  tree.leafCount[0] = 1000;
  while (tree.numLeaves < leaves) {
    const leaf = rng.nextInt(tree.numLeaves);
    const count = tree.leafCount[leaf];
    if (count < 2) continue;
    const left = 1 + rng.nextInt(count - 1);
    const split = outcome(rng.nextFloat() * 4 - 2, rng.nextFloat() * 4 - 2, left, count - left);
    const feature = rng.nextInt(4);
    if (feature === 3) {
      const categories = [0, 1, 2, 3, 4, 5].filter(() => rng.nextFloat() < 0.5);
      tree.splitCategorical(leaf, 3, categories, categories.length > 0 ? categories : [2], 2, split);
    } else {
      tree.splitNumerical(leaf, feature, 0, rng.nextInt(3) - 1, rng.nextFloat() < 0.5, missingTypes[rng.nextInt(missingTypes.length)] as 0 | 2, split);
    }
  }
  return tree;
}

/** LightGBM's decision, restated independently of tree-decision.ts. A category at or beyond 2^31 (no int32; LightGBM's cast gives INT_MIN on x86) goes right. */
export function child(tree: Tree, node: number, x: number): number {
  const d = tree.decisionType[node];
  const goLeft = (d & 1) !== 0
    ? !Number.isNaN(x) && Math.trunc(x) >= 0 && x < 2 ** 31 && tree.catThreshold.slice(tree.catBoundaries[tree.threshold[node]], tree.catBoundaries[tree.threshold[node] + 1]).some((w, i) => Math.trunc(x) >> 5 === i && ((w >>> (Math.trunc(x) & 31)) & 1) === 1)
    : ((d >> 2) === 2 && Number.isNaN(x)) || ((d >> 2) === 1 && (Number.isNaN(x) || Math.abs(x) <= 1e-35)) ? (d & 2) !== 0 : (Number.isNaN(x) ? 0 : x) <= tree.threshold[node];
  return goLeft ? tree.leftChild[node] : tree.rightChild[node];
}

