/** The regularisation that shapes leaf values and gains (lambda_l1, lambda_l2, max_delta_step). */
export interface LeafRegularization {
  readonly l1: number;
  readonly l2: number;
  /** Largest |output| allowed; <= 0 means no limit. */
  readonly maxDeltaStep: number;
}

/** Soft-thresholds a gradient sum by the L1 penalty: sign(G)·max(0, |G| - l1). */
export function thresholdL1(sum: number, l1: number): number {
  const shrunk = Math.abs(sum) - l1;
  return shrunk > 0 ? (sum > 0 ? shrunk : -shrunk) : 0;
}

/**
 * The value of a leaf with gradient sum `g` and hessian sum `h`: -thresholdL1(g)/(h + l2), capped at ±maxDeltaStep
 * and clamped to [min, max] (monotone constraints). A leaf whose denominator is not positive outputs 0.
 */
export function leafOutput(g: number, h: number, reg: LeafRegularization, min: number, max: number): number {
  const denominator = h + reg.l2;
  let out = denominator > 0 ? -thresholdL1(g, reg.l1) / denominator : 0;
  if (reg.maxDeltaStep > 0 && Math.abs(out) > reg.maxDeltaStep) out = out > 0 ? reg.maxDeltaStep : -reg.maxDeltaStep;
  if (out < min) out = min;
  else if (out > max) out = max;
  return out;
}

/**
 * The loss reduction of a leaf with output `w`: -(2·G'·w + (h + l2)·w²), where G' is the L1-thresholded gradient sum.
 * At the unconstrained optimum this equals G'²/(h + l2).
 */
export function leafGainGivenOutput(g: number, h: number, reg: LeafRegularization, w: number): number {
  return -(2 * thresholdL1(g, reg.l1) * w + (h + reg.l2) * w * w);
}

/** The loss reduction of an unconstrained leaf: G'²/(h + l2), or the capped form when max_delta_step is set. */
export function leafGain(g: number, h: number, reg: LeafRegularization): number {
  if (reg.maxDeltaStep > 0) return leafGainGivenOutput(g, h, reg, leafOutput(g, h, reg, -Infinity, Infinity));
  const denominator = h + reg.l2;
  if (!(denominator > 0)) return 0;
  const gl1 = thresholdL1(g, reg.l1);
  return (gl1 * gl1) / denominator;
}

/**
 * The gain of splitting into (left, right): the sum of both leaves' gains. With monotone constraints in force
 * (`constrained`), outputs are clamped to [min, max] and a split whose outputs break the direction `monotone`
 * (+1 increasing: left ≤ right; -1 decreasing) gains 0.
 */
export function splitGain(
  lg: number, lh: number, rg: number, rh: number, reg: LeafRegularization,
  constrained: boolean, min: number, max: number, monotone: number,
): number {
  if (!constrained) return leafGain(lg, lh, reg) + leafGain(rg, rh, reg);
  const lo = leafOutput(lg, lh, reg, min, max);
  const ro = leafOutput(rg, rh, reg, min, max);
  if ((monotone > 0 && lo > ro) || (monotone < 0 && lo < ro)) return 0;
  return leafGainGivenOutput(lg, lh, reg, lo) + leafGainGivenOutput(rg, rh, reg, ro);
}
