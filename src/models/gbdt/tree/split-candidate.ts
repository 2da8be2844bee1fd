/**
 * The best split found so far for a leaf or one feature: mutable and reused, so split search allocates nothing.
 * `gain` is the improvement over not splitting, after min_gain_to_split; -Infinity means no valid split.
 */
export class SplitCandidate {
  gain = Number.NEGATIVE_INFINITY;
  /** Feature index, or -1 for none. */
  feature = -1;
  /** Numerical: rows with bin <= thresholdBin go left. Unused for categorical splits. */
  thresholdBin = 0;
  /** Numerical: whether missing values (the NaN bin) go left. */
  defaultLeft = true;
  leftG = 0;
  leftH = 0;
  leftCount = 0;
  rightG = 0;
  rightH = 0;
  rightCount = 0;
  leftOutput = 0;
  rightOutput = 0;
  /** The feature's monotone constraint (-1, 0, 1). */
  monotone = 0;
  /** Categorical: the bins that go left are catBins[0 .. numCat). */
  readonly catBins: Int32Array;
  numCat = 0;

  /** @param catCapacity the most bins a categorical split can send left (max(max_cat_threshold, 1)). */
  constructor(catCapacity: number) {
    this.catBins = new Int32Array(Math.max(1, catCapacity));
  }

  /** Marks this as "no split". */
  reset(): void {
    this.gain = Number.NEGATIVE_INFINITY;
    this.feature = -1;
    this.numCat = 0;
  }

  /** True when this split beats `other`: larger gain, or equal gain on a smaller feature index (as LightGBM orders them). */
  isBetterThan(other: SplitCandidate): boolean {
    if (this.gain !== other.gain) return this.gain > other.gain;
    const a = this.feature < 0 ? Number.MAX_SAFE_INTEGER : this.feature;
    const b = other.feature < 0 ? Number.MAX_SAFE_INTEGER : other.feature;
    return a < b;
  }

  /** Copies every field of `other` into this. */
  copyFrom(other: SplitCandidate): void {
    this.gain = other.gain;
    this.feature = other.feature;
    this.thresholdBin = other.thresholdBin;
    this.defaultLeft = other.defaultLeft;
    this.leftG = other.leftG;
    this.leftH = other.leftH;
    this.leftCount = other.leftCount;
    this.rightG = other.rightG;
    this.rightH = other.rightH;
    this.rightCount = other.rightCount;
    this.leftOutput = other.leftOutput;
    this.rightOutput = other.rightOutput;
    this.monotone = other.monotone;
    this.numCat = other.numCat;
    this.catBins.set(other.catBins.subarray(0, other.numCat));
  }
}
