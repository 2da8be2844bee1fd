import type { MissingType } from '../binning/bin-mapper.js';
import { bitsetFromValues } from './bitset.js';

/** decisionType bit: the split is categorical (LightGBM's kCategoricalMask). */
export const DECISION_CATEGORICAL = 1;
/** decisionType bit: missing values go left (LightGBM's kDefaultLeftMask). */
export const DECISION_DEFAULT_LEFT = 2;

/** The missing type stored in bits 2–3 of a decisionType byte (0 none, 2 NaN), as LightGBM's model files hold it. */
export function decisionMissingType(decision: number): number {
  return (decision >> 2) & 3;
}

/**
 * One regression tree in flat typed arrays, with exactly the fields of a tree in LightGBM's text model format so a
 * writer or reader can map them one to one. Internal node `n` (0 ≤ n < numLeaves-1) splits on `splitFeature[n]`;
 * `leftChild`/`rightChild` hold a node index, or `~leaf` (negative) for a leaf. Node 0 is the root.
 *
 * Numerical splits send a row left when its value is `<= threshold[n]` (a bin upper bound; `thresholdBin[n]` is that
 * bin), and missing values by the default-left bit. Categorical splits send a row left when its category is in the
 * bitset `catThreshold[catBoundaries[k] .. catBoundaries[k+1])` with `k = threshold[n]`; the same bins are in the
 * `Inner` arrays indexed by `thresholdBin[n]`. Missing and unseen categories go right.
 *
 * Arrays are sized for `maxLeaves`; only the first numLeaves (leaves) and numLeaves-1 (nodes) entries are meaningful.
 */
export class Tree {
  readonly maxLeaves: number;
  numLeaves = 1;
  /** Product of the learning rates applied (LightGBM's `shrinkage`). */
  shrinkage = 1;
  readonly splitFeature: Int32Array;
  readonly splitGain: Float64Array;
  readonly thresholdBin: Int32Array;
  readonly threshold: Float64Array;
  readonly decisionType: Uint8Array;
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  readonly internalValue: Float64Array;
  readonly internalWeight: Float64Array;
  readonly internalCount: Int32Array;
  readonly leafValue: Float64Array;
  readonly leafWeight: Float64Array;
  readonly leafCount: Int32Array;
  readonly leafParent: Int32Array;
  readonly leafDepth: Int32Array;
  /** Start of categorical split k's bitset in catThreshold; length numCat + 1. */
  readonly catBoundaries: number[] = [0];
  /** Bitset words over category codes (bit c of word c>>5). */
  readonly catThreshold: number[] = [];
  readonly catBoundariesInner: number[] = [0];
  /** Bitset words over bins. */
  readonly catThresholdInner: number[] = [];

  constructor(maxLeaves: number) {
    this.maxLeaves = maxLeaves;
    const nodes = Math.max(1, maxLeaves - 1);
    this.splitFeature = new Int32Array(nodes);
    this.splitGain = new Float64Array(nodes);
    this.thresholdBin = new Int32Array(nodes);
    this.threshold = new Float64Array(nodes);
    this.decisionType = new Uint8Array(nodes);
    this.leftChild = new Int32Array(nodes);
    this.rightChild = new Int32Array(nodes);
    this.internalValue = new Float64Array(nodes);
    this.internalWeight = new Float64Array(nodes);
    this.internalCount = new Int32Array(nodes);
    this.leafValue = new Float64Array(maxLeaves);
    this.leafWeight = new Float64Array(maxLeaves);
    this.leafCount = new Int32Array(maxLeaves);
    this.leafParent = new Int32Array(maxLeaves).fill(-1);
    this.leafDepth = new Int32Array(maxLeaves);
  }

  /** Number of categorical splits. */
  get numCat(): number {
    return this.catBoundaries.length - 1;
  }

  /**
   * Splits `leaf` numerically; the left child keeps the leaf's index and the right child is the returned new leaf.
   * `gain` is stored as the split's gain (LightGBM stores gain + min_gain_to_split).
   */
  splitNumerical(leaf: number, feature: number, thresholdBin: number, threshold: number, defaultLeft: boolean, missingType: MissingType, out: SplitOutcome): number {
    const node = this.#split(leaf, feature, out);
    this.thresholdBin[node] = thresholdBin;
    this.threshold[node] = threshold;
    this.decisionType[node] = (defaultLeft ? DECISION_DEFAULT_LEFT : 0) | (missingType << 2);
    return this.numLeaves - 1;
  }

  /** Splits `leaf` on a category set: rows whose bin is in `bins` (categories `categories`) go left. */
  splitCategorical(leaf: number, feature: number, bins: ArrayLike<number>, categories: ArrayLike<number>, missingType: MissingType, out: SplitOutcome): number {
    const node = this.#split(leaf, feature, out);
    const k = this.numCat;
    this.catThresholdInner.push(...bitsetFromValues(bins));
    this.catBoundariesInner.push(this.catThresholdInner.length);
    this.catThreshold.push(...bitsetFromValues(categories));
    this.catBoundaries.push(this.catThreshold.length);
    this.thresholdBin[node] = k;
    this.threshold[node] = k;
    this.decisionType[node] = DECISION_CATEGORICAL | (missingType << 2);
    return this.numLeaves - 1;
  }

  /** Multiplies every leaf and internal value by `rate` (the learning rate). */
  shrink(rate: number): void {
    for (let i = 0; i < this.numLeaves; i++) this.leafValue[i] *= rate;
    for (let i = 0; i < this.numLeaves - 1; i++) this.internalValue[i] *= rate;
    this.shrinkage *= rate;
  }

  /** Adds `bias` to every leaf and internal value (how the initial score is folded into the first tree). */
  addBias(bias: number): void {
    for (let i = 0; i < this.numLeaves; i++) this.leafValue[i] += bias;
    for (let i = 0; i < this.numLeaves - 1; i++) this.internalValue[i] += bias;
    this.shrinkage = 1;
  }

  #split(leaf: number, feature: number, out: SplitOutcome): number {
    const node = this.numLeaves - 1;
    const newLeaf = this.numLeaves;
    const parent = this.leafParent[leaf];
    if (parent >= 0) {
      if (this.leftChild[parent] === ~leaf) this.leftChild[parent] = node;
      else this.rightChild[parent] = node;
    }
    this.splitFeature[node] = feature;
    this.splitGain[node] = out.gain;
    this.leftChild[node] = ~leaf;
    this.rightChild[node] = ~newLeaf;
    this.internalValue[node] = this.leafValue[leaf];
    this.internalWeight[node] = out.leftWeight + out.rightWeight;
    this.internalCount[node] = out.leftCount + out.rightCount;
    this.leafParent[leaf] = node;
    this.leafParent[newLeaf] = node;
    this.leafValue[leaf] = Number.isNaN(out.leftValue) ? 0 : out.leftValue;
    this.leafWeight[leaf] = out.leftWeight;
    this.leafCount[leaf] = out.leftCount;
    this.leafValue[newLeaf] = Number.isNaN(out.rightValue) ? 0 : out.rightValue;
    this.leafWeight[newLeaf] = out.rightWeight;
    this.leafCount[newLeaf] = out.rightCount;
    this.leafDepth[newLeaf] = this.leafDepth[leaf] + 1;
    this.leafDepth[leaf]++;
    this.numLeaves++;
    return node;
  }
}

/** The two children of a split: output values (before shrinkage), row counts, hessian sums, and the split gain. */
export interface SplitOutcome {
  readonly leftValue: number;
  readonly rightValue: number;
  readonly leftCount: number;
  readonly rightCount: number;
  readonly leftWeight: number;
  readonly rightWeight: number;
  readonly gain: number;
}
