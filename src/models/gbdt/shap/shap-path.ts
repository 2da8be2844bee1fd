/**
 * The path bookkeeping of exact TreeSHAP (Lundberg et al. 2018, Algorithm 2) in preallocated typed arrays. A path
 * is a segment of the arrays starting at `offset`: element `i` holds the feature split on, the fraction of training
 * rows that pass (`zero`), whether the explained row passes (`one`, 0 or 1) and the permutation weight `weight`.
 * Each recursion level copies its parent's segment to a new one, so a tree of depth D needs (D+1)(D+2)/2 elements.
 * The arithmetic follows LightGBM's ExtendPath / UnwindPath / UnwoundPathSum term by term, so the values agree with
 * LightGBM's `predict_contrib` to rounding.
 *
 * @internal
 */
export class ShapPath {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  /**
   * The zero and one fractions a recursion step hands to the child it calls next. Passing them through a typed
   * array instead of as arguments keeps V8 from boxing a double on every recursive call.
   */
  readonly handoff = new Float64Array(2);
  /** The two results of unwoundSums. */
  readonly sums = new Float64Array(2);
  /**
   * `(d − i) / (d + 1)` at `d · (maxDepth + 1) + i`: the same double the division gives, computed once instead of in
   * every step of unwoundSums, the innermost loop of TreeSHAP.
   */
  readonly #ratio: Float64Array;
  readonly #ratioStride: number;

  /** Room for trees up to depth `maxDepth`. */
  constructor(maxDepth: number) {
    this.#ratioStride = maxDepth + 1;
    this.#ratio = new Float64Array((maxDepth + 1) * (maxDepth + 1));
    for (let d = 0; d <= maxDepth; d++) for (let i = 0; i <= d; i++) this.#ratio[d * (maxDepth + 1) + i] = (d - i) / (d + 1);
    const size = ((maxDepth + 1) * (maxDepth + 2)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Copies the first `length` elements of the segment at `from` to the segment at `to`. */
  copy(from: number, to: number, length: number): void {
    // Paths are short (the tree's depth at most); a plain loop beats four copyWithin calls.
    const { feature, zero, one, weight } = this;
    for (let i = 0; i < length; i++) {
      feature[to + i] = feature[from + i];
      zero[to + i] = zero[from + i];
      one[to + i] = one[from + i];
      weight[to + i] = weight[from + i];
    }
  }

  /**
   * EXTEND: appends element `depth` to the segment at `offset` — `feature` with the zero and one fractions in
   * `handoff` — and updates the permutation weights.
   */
  extend(offset: number, depth: number, feature: number): void {
    const w = this.weight;
    const zeroFraction = this.handoff[0];
    const oneFraction = this.handoff[1];
    const at = offset + depth;
    this.feature[at] = feature;
    this.zero[at] = zeroFraction;
    this.one[at] = oneFraction;
    w[at] = depth === 0 ? 1 : 0;
    // LightGBM's ExtendPath adds to w[i + 1] and then overwrites w[i], going down. Each new w[i + 1] is the value
    // just written there plus a term of the old w[i], so both terms come from old weights: this loop computes them
    // with the same operations and adds them in the same order, but no division waits on the one before.
    let upper = w[at];
    for (let i = depth - 1; i >= 0; i--) {
      const old = w[offset + i];
      w[offset + i + 1] = upper + (oneFraction * old * (i + 1)) / (depth + 1);
      upper = (zeroFraction * old * (depth - i)) / (depth + 1);
    }
    if (depth > 0) w[offset] = upper;
  }

  /** UNWIND: removes element `index` from the segment at `offset` (whose last element is `depth`). */
  unwind(offset: number, depth: number, index: number): void {
    const w = this.weight;
    const oneFraction = this.one[offset + index];
    const zeroFraction = this.zero[offset + index];
    let nextOnePortion = w[offset + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = w[offset + i];
        w[offset + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
        nextOnePortion = tmp - (w[offset + i] * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        w[offset + i] = (w[offset + i] * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      this.feature[offset + i] = this.feature[offset + i + 1];
      this.zero[offset + i] = this.zero[offset + i + 1];
      this.one[offset + i] = this.one[offset + i + 1];
    }
  }

  /**
   * The total permutation weights of the segment at `offset` if element `a`, or element `b`, were unwound, without
   * changing it: into `sums[0]` and `sums[1]` (`a` may equal `b`). Each sum has the operations of LightGBM's
   * UnwoundPathSum in its order, so the same bits. The two are computed side by side, so their chains of dependent
   * divisions overlap in the processor; the two halves of the loop body are alike on purpose.
   */
  unwoundSums(offset: number, depth: number, a: number, b: number, sums: Float64Array): void {
    const w = this.weight;
    const ratio = this.#ratio;
    const row = depth * this.#ratioStride;
    const oneA = this.one[offset + a];
    const zeroA = this.zero[offset + a];
    const oneB = this.one[offset + b];
    const zeroB = this.zero[offset + b];
    let totalA = 0;
    let totalB = 0;
    let nextA = w[offset + depth];
    let nextB = nextA;
    for (let i = depth - 1; i >= 0; i--) {
      const wi = w[offset + i];
      const r = ratio[row + i];
      if (oneA !== 0) {
        const tmp = (nextA * (depth + 1)) / ((i + 1) * oneA);
        totalA += tmp;
        nextA = wi - tmp * zeroA * r;
      } else {
        totalA += wi / zeroA / r;
      }
      if (oneB !== 0) {
        const tmp = (nextB * (depth + 1)) / ((i + 1) * oneB);
        totalB += tmp;
        nextB = wi - tmp * zeroB * r;
      } else {
        totalB += wi / zeroB / r;
      }
    }
    sums[0] = totalA;
    sums[1] = totalB;
  }
}
