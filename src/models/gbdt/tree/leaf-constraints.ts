/** LightGBM's kEpsilon (a float 1e-15), which keeps a fully penalised gain positive. */
const EPSILON = Math.fround(1e-15);

/**
 * Monotone constraints by LightGBM's "basic" method: every leaf has bounds [min, max] on its output. A child inherits
 * its parent's bounds; after a numerical split on a constrained feature, the mid-point of the two outputs becomes the
 * upper bound of the side that must stay lower and the lower bound of the other.
 */
export class LeafConstraints {
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(maxLeaves: number) {
    this.min = new Float64Array(maxLeaves);
    this.max = new Float64Array(maxLeaves);
    this.reset();
  }

  /** Every leaf unbounded. */
  reset(): void {
    this.min.fill(Number.NEGATIVE_INFINITY);
    this.max.fill(Number.POSITIVE_INFINITY);
  }

  /** Records the split of `leaf` (left, keeps its index) into `leaf` and `newLeaf` (right). */
  split(leaf: number, newLeaf: number, monotone: number, leftOutput: number, rightOutput: number): void {
    this.min[newLeaf] = this.min[leaf];
    this.max[newLeaf] = this.max[leaf];
    if (monotone === 0) return;
    const mid = (leftOutput + rightOutput) / 2;
    if (monotone < 0) {
      this.min[leaf] = Math.max(this.min[leaf], mid);
      this.max[newLeaf] = Math.min(this.max[newLeaf], mid);
    } else {
      this.max[leaf] = Math.min(this.max[leaf], mid);
      this.min[newLeaf] = Math.max(this.min[newLeaf], mid);
    }
  }
}

/**
 * The factor applied to a monotone split's gain at `depth` under monotone_penalty `penalty` (> 0): near-zero at depths
 * below the penalty, rising toward 1 deeper down (LightGBM's formula).
 */
export function monotonePenaltyFactor(penalty: number, depth: number): number {
  if (penalty >= depth + 1) return EPSILON;
  if (penalty <= 1) return 1 - penalty / 2 ** depth + EPSILON;
  return 1 - 2 ** (penalty - 1 - depth) + EPSILON;
}
