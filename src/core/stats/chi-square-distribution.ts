import { regularizedGammaQ } from './incomplete-gamma.js';

/**
 * Survival function of the chi-square distribution, P(X ≥ x) for X ~ χ²(df): Q(df/2, x/2). This is the p-value of a
 * Pearson chi-square statistic `x` with `df` degrees of freedom. Returns 1 for x ≤ 0, 0 for x = +∞, and NaN when
 * df is not positive.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
