/**
 * A loss over linear scores. Scores are class-major: η[k·rows + i] is output k of row i (one output for regression
 * and logistic regression, one per class for softmax). Implementations read the labels given at construction and the
 * normalised weights v (Σv = 1), and allocate nothing per call.
 */
export interface LinearLoss {
  /** Outputs per row. */
  readonly outputs: number;
  /** True when the loss is exactly quadratic in η, so one weighted least-squares solve finds the optimum. */
  readonly quadratic: boolean;
  /** Writes r[k·rows + i] = v_i · ∂ℓ/∂η_ki and returns Σ_i v_i ℓ_i. */
  evaluate(eta: Float64Array, residual: Float64Array): number;
  /** Σ_i v_i ℓ_i only. */
  value(eta: Float64Array): number;
  /**
   * Iteratively-reweighted least-squares terms for output k at η: curvature weights u_i = v_i · q_i and working
   * responses z_i = η_ki + (target − mean)/q_i, so that ½ Σ u_i (z_i − η_ki)² approximates the loss around η.
   */
  working(eta: Float64Array, k: number, u: Float64Array, response: Float64Array): void;
  /** Starting intercepts: the best constant score of each output (e.g. log-odds of the weighted mean). */
  initialIntercepts(out: Float64Array): void;
}

/** Smallest curvature IRLS uses, so rows with p near 0 or 1 keep a finite working response (as glmnet does). */
export const MIN_CURVATURE = 1e-5;
