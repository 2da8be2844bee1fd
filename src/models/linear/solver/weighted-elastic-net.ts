/** Inputs of solveWeightedElasticNet. Arrays are caller-owned; `beta`, `intercept` and `residual` are updated in place. */
export interface WeightedElasticNetProblem {
  /** Column-major design, z[j·rows + i]. */
  readonly z: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** Row weights u_i ≥ 0. */
  readonly u: Float64Array;
  /** Coefficients (length cols): the warm start, then the solution. */
  readonly beta: Float64Array;
  /** intercept[0]: the warm start, then the solution. Left unchanged without `fitIntercept`. */
  readonly intercept: Float64Array;
  /** On entry r_i = response_i − intercept − Σ_j z_ij β_j for the warm start; kept consistent on exit. */
  readonly residual: Float64Array;
  /** Scratch of length cols. */
  readonly curvature: Float64Array;
  /** Penalty strength and L1 share. */
  readonly alpha: number;
  readonly l1Ratio: number;
  readonly fitIntercept: boolean;
  /** Stop when a sweep moves no coordinate's objective term by more than this: max_j H_jj Δβ_j² ≤ threshold. */
  readonly threshold: number;
  readonly maxSweeps: number;
}

/** Soft-thresholding operator S(g, t) = sign(g)·max(|g| − t, 0). */
export function softThreshold(g: number, t: number): number {
  return g > t ? g - t : g < -t ? g + t : 0;
}

/**
 * Minimises ½ Σ_i u_i (response_i − b − Σ_j z_ij β_j)² + alpha·(l1Ratio·‖β‖₁ + (1 − l1Ratio)/2·‖β‖²) by cyclic
 * coordinate descent with soft-thresholding, as glmnet does: β_j ← S(Σ_i u_i z_ij r_i + H_jj β_j, alpha·l1Ratio) /
 * (H_jj + alpha·(1 − l1Ratio)) with H_jj = Σ_i u_i z_ij², updating residuals after each move, and the intercept
 * to the weighted mean residual. After a full sweep it iterates over the non-zero coefficients until they settle,
 * then sweeps all again; it stops when a full sweep changes nothing beyond `threshold`.
 *
 * @returns the number of sweeps (full and active-set) made, and whether it converged.
 */
export function solveWeightedElasticNet(problem: WeightedElasticNetProblem): { sweeps: number; converged: boolean } {
  const { z, rows, cols, u, beta, intercept, residual: r, curvature: H, alpha, l1Ratio, fitIntercept, threshold, maxSweeps } = problem;
  const l1 = alpha * l1Ratio;
  const l2 = alpha * (1 - l1Ratio);
  let uSum = 0;
  for (let i = 0; i < rows; i++) uSum += u[i];
  for (let j = 0; j < cols; j++) {
    const col = j * rows;
    let h = 0;
    for (let i = 0; i < rows; i++) h += u[i] * z[col + i] * z[col + i];
    H[j] = h;
  }
  let sweeps = 0;
  let activeOnly = false;
  while (sweeps < maxSweeps) {
    sweeps++;
    let change = 0;
    if (fitIntercept && uSum > 0) {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += u[i] * r[i];
      const delta = sum / uSum;
      if (delta !== 0) {
        intercept[0] += delta;
        for (let i = 0; i < rows; i++) r[i] -= delta;
        change = Math.max(change, uSum * delta * delta);
      }
    }
    for (let j = 0; j < cols; j++) {
      const old = beta[j];
      if (activeOnly && old === 0) continue;
      const col = j * rows;
      let g = 0;
      for (let i = 0; i < rows; i++) g += u[i] * z[col + i] * r[i];
      const denominator = H[j] + l2;
      const next = denominator > 0 ? softThreshold(g + H[j] * old, l1) / denominator : 0;
      const delta = next - old;
      if (delta === 0) continue;
      beta[j] = next;
      for (let i = 0; i < rows; i++) r[i] -= delta * z[col + i];
      change = Math.max(change, H[j] * delta * delta);
    }
    if (change <= threshold) {
      if (!activeOnly) return { sweeps, converged: true };
      activeOnly = false;
    } else {
      activeOnly = true;
    }
  }
  return { sweeps, converged: false };
}
