import { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, type Tree } from '../tree/tree.js';

/** LightGBM's kZeroThreshold: values within ±1e-35 (as a 32-bit float) count as zero. */
const ZERO_THRESHOLD = Math.fround(1e-35);
const MISSING_ZERO = 1;
const MISSING_NAN = 2;

/**
 * The child (a node index, or `~leaf`) that `value` goes to at internal node `node` of `tree`, decided exactly as
 * LightGBM's Tree::Decision does. Numerical: NaN counts as 0 unless the node's missing type is NaN; a missing value
 * (NaN for missing type NaN, |value| <= 1e-35 for missing type Zero) takes the default direction; otherwise
 * `value <= threshold` goes left. Categorical: NaN, values that truncate below 0 and codes beyond int32 go right; otherwise the truncated value goes
 * left when it is in the node's category bitset. Allocates nothing.
 *
 * @internal
 */
export function treeDecision(tree: Tree, node: number, value: number): number {
  const decision = tree.decisionType[node];
  if ((decision & DECISION_CATEGORICAL) !== 0) {
    if (value !== value) return tree.rightChild[node];
    const code = Math.trunc(value);
    if (code < 0 || code >= 2 ** 31) return tree.rightChild[node];
    const k = tree.threshold[node];
    const word = tree.catBoundaries[k] + (code >>> 5);
    const inSet = word < tree.catBoundaries[k + 1] && ((tree.catThreshold[word] >>> (code & 31)) & 1) === 1;
    return inSet ? tree.leftChild[node] : tree.rightChild[node];
  }
  const missing = (decision >> 2) & 3;
  let x = value;
  if (x !== x && missing !== MISSING_NAN) x = 0;
  if ((missing === MISSING_ZERO && x >= -ZERO_THRESHOLD && x <= ZERO_THRESHOLD) || (missing === MISSING_NAN && x !== x)) {
    return (decision & DECISION_DEFAULT_LEFT) !== 0 ? tree.leftChild[node] : tree.rightChild[node];
  }
  return x <= tree.threshold[node] ? tree.leftChild[node] : tree.rightChild[node];
}
