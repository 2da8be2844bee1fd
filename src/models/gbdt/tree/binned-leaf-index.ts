import { MISSING_NAN } from '../binning/bin-mapper.js';
import type { BinnedDataset } from '../binning/binned-dataset.js';
import { bitsetHas } from './bitset.js';
import { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, type Tree } from './tree.js';

/**
 * The leaf that `row` of binned data falls into, deciding on bins (`thresholdBin`, the inner category bitsets)
 * rather than raw values; the same as deciding on raw values, since bins are defined by the same bounds.
 */
export function binnedLeafIndex(tree: Tree, data: BinnedDataset, row: number): number {
  if (tree.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const f = tree.splitFeature[node];
    const bin = data.bins[f][row];
    const decision = tree.decisionType[node];
    let left: boolean;
    if ((decision & DECISION_CATEGORICAL) !== 0) {
      const k = tree.thresholdBin[node];
      left = bitsetHas(tree.catThresholdInner, tree.catBoundariesInner[k], tree.catBoundariesInner[k + 1], bin);
    } else {
      const mapper = data.mappers[f];
      if (mapper.missingType === MISSING_NAN && bin === mapper.numBins - 1) left = (decision & DECISION_DEFAULT_LEFT) !== 0;
      else left = bin <= tree.thresholdBin[node];
    }
    node = left ? tree.leftChild[node] : tree.rightChild[node];
  }
  return ~node;
}
