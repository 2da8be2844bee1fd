import { DECISION_CATEGORICAL, type Tree } from '../tree/tree.js';

/**
 * Trees flattened into shared typed arrays for prediction. Node `n` (global over all trees) splits on
 * `feature[n]`; `left[n]`/`right[n]` are a node index, or `~leaf` for a global leaf whose value is `leafValue[leaf]`.
 * Numerical nodes compare with `threshold[n]`; categorical nodes use bitset `catIndex = threshold[n]`, words
 * `catWords[catStart[catIndex] .. catStart[catIndex + 1])`. `decision[n]` holds LightGBM's decision-type bits.
 * Tree `t` starts at `root[t]` (a node, or `~leaf` for a one-leaf tree) and adds to output `t % numOutputs`.
 */
export interface CompiledTrees {
  readonly numTrees: number;
  readonly numOutputs: number;
  readonly root: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly decision: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly leafValue: Float64Array;
  readonly catStart: Int32Array;
  readonly catWords: Uint32Array;
}

/** Flattens `trees` (tree t belongs to output t % numOutputs). */
export function compileTrees(trees: readonly Tree[], numOutputs: number): CompiledTrees {
  let nodes = 0;
  let leaves = 0;
  let cats = 0;
  let words = 0;
  for (const t of trees) {
    nodes += t.numLeaves - 1;
    leaves += t.numLeaves;
    cats += t.numCat;
    words += t.catThreshold.length;
  }
  const c = {
    numTrees: trees.length,
    numOutputs,
    root: new Int32Array(trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    decision: new Uint8Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    leafValue: new Float64Array(leaves),
    catStart: new Int32Array(cats + 1),
    catWords: new Uint32Array(words),
  };
  let nodeBase = 0;
  let leafBase = 0;
  let catBase = 0;
  let wordBase = 0;
  trees.forEach((t, ti) => {
    const inner = t.numLeaves - 1;
    c.root[ti] = inner === 0 ? ~leafBase : nodeBase;
    for (let n = 0; n < inner; n++) {
      const g = nodeBase + n;
      c.feature[g] = t.splitFeature[n];
      c.decision[g] = t.decisionType[n];
      c.threshold[g] = (t.decisionType[n] & DECISION_CATEGORICAL) !== 0 ? catBase + t.threshold[n] : t.threshold[n];
      c.left[g] = t.leftChild[n] >= 0 ? nodeBase + t.leftChild[n] : ~(leafBase + ~t.leftChild[n]);
      c.right[g] = t.rightChild[n] >= 0 ? nodeBase + t.rightChild[n] : ~(leafBase + ~t.rightChild[n]);
    }
    for (let l = 0; l < t.numLeaves; l++) c.leafValue[leafBase + l] = t.leafValue[l];
    for (let k = 0; k < t.numCat; k++) c.catStart[catBase + k] = wordBase + t.catBoundaries[k];
    for (let w = 0; w < t.catThreshold.length; w++) c.catWords[wordBase + w] = t.catThreshold[w];
    nodeBase += inner;
    leafBase += t.numLeaves;
    catBase += t.numCat;
    wordBase += t.catThreshold.length;
  });
  c.catStart[cats] = wordBase;
  return c;
}

/** LightGBM's missing type NaN, as stored in bits 2–3 of a decision byte. */
const MISSING_NAN_BITS = 2 << 2;
/** decisionType bits 2–3 = 1: zero (and NaN) is the missing value (LightGBM's MissingType::Zero, `zero_as_missing`). */
const MISSING_ZERO_BITS = 1 << 2;
/** LightGBM's kZeroThreshold: |v| at most this counts as zero. */
const ZERO_THRESHOLD = Math.fround(1e-35);

/**
 * Adds tree `t`'s leaf value for each of `numRows` rows of a row-major block (row r's feature f at
 * `values[r * numFeatures + f]`) to `out[r * numOutputs + t % numOutputs]`. Walking one tree over many rows keeps
 * that tree's nodes in the fastest cache. Same decisions as addTreeOutputs. Allocates nothing.
 *
 * The node walk is written out here and in addTreeOutputs on purpose: sharing it as a function measured about 3 %
 * slower on 200,000 rows × 100 trees (213–218k vs 206–214k rows/s, idle machine, 2026-11-26). Change both together.
 */
export function addTreeToBlock(c: CompiledTrees, t: number, values: Float64Array, numRows: number, numFeatures: number, out: Float64Array): void {
  const { feature, threshold, decision, left, right, leafValue, catStart, catWords, numOutputs } = c;
  const root = c.root[t];
  const output = t % numOutputs;
  for (let r = 0; r < numRows; r++) {
    const offset = r * numFeatures;
    let node = root;
    while (node >= 0) {
      const v = values[offset + feature[node]];
      const d = decision[node];
      let goLeft: boolean;
      if ((d & DECISION_CATEGORICAL) !== 0) {
        goLeft = false;
        if (v >= 0) {
          const code = Math.trunc(v);
          const k = threshold[node];
          const word = catStart[k] + (code >>> 5);
          goLeft = word < catStart[k + 1] && ((catWords[word] >>> (code & 31)) & 1) === 1;
        }
      } else {
        const missing = d & 12;
        if (missing === MISSING_NAN_BITS ? v !== v : missing === MISSING_ZERO_BITS && (v !== v || (v >= -ZERO_THRESHOLD && v <= ZERO_THRESHOLD))) goLeft = (d & 2) !== 0;
        else goLeft = (v !== v ? 0 : v) <= threshold[node];
      }
      node = goLeft ? left[node] : right[node];
    }
    out[r * numOutputs + output] += leafValue[~node];
  }
}

/**
 * The raw sum of the trees [firstTree, endTree) for one row of feature values at `values[offset + f]`, added to
 * `out[outOffset + (t % numOutputs) * outStride]`. NaN is missing: it follows the default direction at numerical
 * splits that learned one and counts as 0 at the others; at categorical splits missing, negative and unseen
 * categories go right. Allocates nothing.
 */
export function addTreeOutputs(
  c: CompiledTrees, firstTree: number, endTree: number,
  values: Float64Array, offset: number, out: Float64Array, outOffset: number, outStride: number,
): void {
  const { root, feature, threshold, decision, left, right, leafValue, catStart, catWords, numOutputs } = c;
  for (let t = firstTree; t < endTree; t++) {
    let node = root[t];
    while (node >= 0) {
      const v = values[offset + feature[node]];
      const d = decision[node];
      let goLeft: boolean;
      if ((d & DECISION_CATEGORICAL) !== 0) {
        goLeft = false;
        if (v >= 0) {
          const code = Math.trunc(v);
          const k = threshold[node];
          const word = catStart[k] + (code >>> 5);
          goLeft = word < catStart[k + 1] && ((catWords[word] >>> (code & 31)) & 1) === 1;
        }
      } else {
        const missing = d & 12;
        if (missing === MISSING_NAN_BITS ? v !== v : missing === MISSING_ZERO_BITS && (v !== v || (v >= -ZERO_THRESHOLD && v <= ZERO_THRESHOLD))) goLeft = (d & 2) !== 0;
        else goLeft = (v !== v ? 0 : v) <= threshold[node];
      }
      node = goLeft ? left[node] : right[node];
    }
    out[outOffset + (t % numOutputs) * outStride] += leafValue[~node];
  }
}
