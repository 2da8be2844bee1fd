import type { StandardizedDesign } from './standardized-design.js';

/**
 * Parameter layout shared by the solvers: θ[k·cols + j] is coefficient j of output k (standardized scale) and
 * θ[outputs·cols + k] is the intercept of output k.
 */
export function parameterCount(cols: number, outputs: number): number {
  return outputs * (cols + 1);
}

/** Writes the class-major scores η[k·rows + i] = b_k + Σ_j z_ij θ_kj. Skips zero coefficients (sparse lasso fits). */
export function computeScores(design: StandardizedDesign, theta: Float64Array, outputs: number, eta: Float64Array): void {
  const { rows, cols, z } = design;
  for (let k = 0; k < outputs; k++) {
    const base = k * rows;
    eta.fill(theta[outputs * cols + k], base, base + rows);
    for (let j = 0; j < cols; j++) {
      const beta = theta[k * cols + j];
      if (beta === 0) continue;
      const col = j * rows;
      for (let i = 0; i < rows; i++) eta[base + i] += beta * z[col + i];
    }
  }
}

/** alpha · (l1_ratio · ‖β‖₁ + (1 − l1_ratio)/2 · ‖β‖²) over the coefficients of θ (intercepts excluded). */
export function penaltyValue(theta: Float64Array, coefficients: number, alpha: number, l1Ratio: number): number {
  let l1 = 0;
  let l2 = 0;
  for (let t = 0; t < coefficients; t++) {
    l1 += Math.abs(theta[t]);
    l2 += theta[t] * theta[t];
  }
  return alpha * (l1Ratio * l1 + ((1 - l1Ratio) / 2) * l2);
}
