import { normalQuantile } from '../../evaluation/gates/normal-quantile.js';
import { normalCdf } from '../../training/tuning/normal-distribution.js';
import type { Interval } from './interval.js';
import { requireOpenUnit, requireProportion } from './statistics-input.js';

/** Conversions out of trials for one arm. */
export interface ProportionCounts {
  readonly successes: number;
  readonly total: number;
}

/** The result of twoProportionZTest. `difference`, the CI and `z` are all B − A. */
export interface TwoProportionResult {
  readonly rateA: number;
  readonly rateB: number;
  /** rateB − rateA. */
  readonly difference: number;
  /** (rateB − rateA) / rateA, or null when rateA is 0. */
  readonly relativeLift: number | null;
  readonly z: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** Wald interval for rateB − rateA at level 1 − alpha (unpooled standard error). */
  readonly ci: Interval;
  /** pValue < alpha. */
  readonly significant: boolean;
}

/**
 * Two-sided two-proportion z-test of H0: rateA = rateB. The statistic uses the pooled standard error
 * √(p̄(1−p̄)(1/nA + 1/nB)), so z² equals Pearson's chi-square on the 2×2 table without continuity correction; the
 * confidence interval of B − A uses the unpooled √(pA(1−pA)/nA + pB(1−pB)/nB). When both arms are all-success or
 * all-failure the pooled variance is 0 and there is no evidence of a difference: z = 0, p = 1.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for negative or fractional counts, a total of 0,
 *   successes above the total, or alpha outside (0, 1).
 * @example
 * twoProportionZTest({ successes: 100, total: 1000 }, { successes: 130, total: 1000 });
 * // { difference: 0.03, z: 2.1027…, pValue: 0.0355…, significant: true, … }
 */
export function twoProportionZTest(a: ProportionCounts, b: ProportionCounts, options: { alpha?: number } = {}): TwoProportionResult {
  const armA = requireProportion(a, 'a');
  const armB = requireProportion(b, 'b');
  const alpha = requireOpenUnit(options.alpha, 0.05, 'alpha');
  const rateA = armA.successes / armA.total;
  const rateB = armB.successes / armB.total;
  const difference = rateB - rateA;
  const pooled = (armA.successes + armB.successes) / (armA.total + armB.total);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / armA.total + 1 / armB.total));
  const z = pooledSe > 0 ? difference / pooledSe : 0;
  const pValue = pooledSe > 0 ? Math.min(1, 2 * normalCdf(-Math.abs(z))) : 1;
  const se = Math.sqrt((rateA * (1 - rateA)) / armA.total + (rateB * (1 - rateB)) / armB.total);
  const half = normalQuantile(1 - alpha / 2) * se;
  return {
    rateA,
    rateB,
    difference,
    relativeLift: rateA > 0 ? difference / rateA : null,
    z,
    pValue,
    ci: { low: difference - half, high: difference + half, level: 1 - alpha },
    significant: pValue < alpha,
  };
}
