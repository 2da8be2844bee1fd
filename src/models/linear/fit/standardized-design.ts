import type { FeatureMatrix } from '../../preprocess/model-input/feature-matrix.js';

/**
 * The training design as the solvers see it: column-major, centred and scaled, z[j·rows + i] = (x_ij − center_j) /
 * scale_j, with normalised row weights v_i = w_i / Σw. Column-major because every solver step walks one feature
 * over all rows (coordinate updates, gradient dot products, η updates).
 */
export interface StandardizedDesign {
  readonly rows: number;
  readonly cols: number;
  readonly z: Float64Array;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** Normalised weights, summing to 1. */
  readonly weight: Float64Array;
}

/**
 * Builds the design. With `fitIntercept`, features are centred on their weighted mean (the intercept absorbs it, so
 * the solution is unchanged); without, the centre is 0. With `standardize`, each is divided by its weighted root mean
 * square about that centre (the population standard deviation when centred); a column whose scale is 0, or below
 * 1e-12 × |centre| (a constant up to rounding), keeps scale 1, so its standardized values are (about) 0 and it
 * contributes nothing. Allocates rows × cols doubles.
 */
export function standardizedDesign(X: FeatureMatrix, weights: Float64Array, fitIntercept: boolean, standardize: boolean): StandardizedDesign {
  const { rows, cols, values } = X;
  let total = 0;
  for (let i = 0; i < rows; i++) total += weights[i];
  const weight = new Float64Array(rows);
  for (let i = 0; i < rows; i++) weight[i] = weights[i] / total;
  const center = new Float64Array(cols);
  const scale = new Float64Array(cols).fill(1);
  if (fitIntercept) {
    for (let i = 0, at = 0; i < rows; i++) {
      const v = weight[i];
      for (let j = 0; j < cols; j++, at++) center[j] += v * values[at];
    }
  }
  const z = new Float64Array(rows * cols);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, at++) z[j * rows + i] = values[at] - center[j];
  }
  if (standardize) {
    for (let j = 0; j < cols; j++) {
      const base = j * rows;
      let ss = 0;
      for (let i = 0; i < rows; i++) ss += weight[i] * z[base + i] * z[base + i];
      const s = Math.sqrt(ss);
      if (s > 0 && s > 1e-12 * Math.abs(center[j])) {
        scale[j] = s;
        const inv = 1 / s;
        for (let i = 0; i < rows; i++) z[base + i] *= inv;
      }
    }
  }
  return { rows, cols, z, center, scale, weight };
}
