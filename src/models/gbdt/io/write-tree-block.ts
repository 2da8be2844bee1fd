import { DECISION_CATEGORICAL, type Tree } from '../tree/tree.js';
import { formatGeneral } from './format-general.js';

/**
 * One tree as LightGBM's Tree::ToString writes it: the `num_leaves=` … `shrinkage=` lines and the blank line after
 * them (the caller adds `Tree=i` before and one more line end after). Thresholds, leaf values and leaf weights get
 * 17 significant digits so they read back exactly; gains (as 32-bit floats, as LightGBM stores them), internal
 * values and weights, and the shrinkage get 6, as in LightGBM's files — none of those affects predictions.
 *
 * @internal
 */
export function writeTreeBlock(tree: Tree): string {
  const leaves = tree.numLeaves;
  const nodes = leaves - 1;
  const lines = [
    `num_leaves=${leaves}`,
    `num_cat=${tree.numCat}`,
    `split_feature=${ints(tree.splitFeature, nodes)}`,
    `split_gain=${floats(tree.splitGain, nodes, 6, true)}`,
    `threshold=${thresholds(tree, nodes)}`,
    `decision_type=${ints(tree.decisionType, nodes)}`,
    `left_child=${ints(tree.leftChild, nodes)}`,
    `right_child=${ints(tree.rightChild, nodes)}`,
    `leaf_value=${floats(tree.leafValue, leaves, 17, false)}`,
    `leaf_weight=${floats(tree.leafWeight, leaves, 17, false)}`,
    `leaf_count=${ints(tree.leafCount, leaves)}`,
    `internal_value=${floats(tree.internalValue, nodes, 6, false)}`,
    `internal_weight=${floats(tree.internalWeight, nodes, 6, false)}`,
    `internal_count=${ints(tree.internalCount, nodes)}`,
  ];
  if (tree.numCat > 0) {
    lines.push(`cat_boundaries=${ints(tree.catBoundaries, tree.numCat + 1)}`);
    lines.push(`cat_threshold=${ints(tree.catThreshold, tree.catThreshold.length)}`);
  }
  lines.push('is_linear=0', `shrinkage=${formatGeneral(tree.shrinkage, 6)}`, '', '');
  return lines.join('\n');
}

function ints(values: ArrayLike<number>, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += (i === 0 ? '' : ' ') + String(values[i]);
  return s;
}

function floats(values: ArrayLike<number>, count: number, precision: number, asFloat32: boolean): string {
  let s = '';
  for (let i = 0; i < count; i++) s += (i === 0 ? '' : ' ') + formatGeneral(asFloat32 ? Math.fround(values[i]) : values[i], precision);
  return s;
}

/** Numerical thresholds as doubles; categorical ones are the index of their bitset, written as LightGBM does. */
function thresholds(tree: Tree, count: number): string {
  let s = '';
  for (let n = 0; n < count; n++) {
    const value = (tree.decisionType[n] & DECISION_CATEGORICAL) !== 0 ? Math.trunc(tree.threshold[n]) : tree.threshold[n];
    s += (n === 0 ? '' : ' ') + formatGeneral(value, 17);
  }
  return s;
}
