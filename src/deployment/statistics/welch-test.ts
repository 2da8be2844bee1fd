import type { Interval } from './interval.js';
import { invalidStatisticsInput, requireCount, requireFinite, requireOpenUnit } from './statistics-input.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

/** Count, mean and sample variance (divisor n − 1) of one arm's metric. */
export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

/** The result of welchTTest. `difference`, `t` and the CI are meanB − meanA. */
export interface WelchResult {
  readonly difference: number;
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom (not an integer in general). */
  readonly df: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  readonly ci: Interval;
  readonly significant: boolean;
}

/**
 * Count, mean and sample variance (divisor n − 1) of `values`, in one pass (Welford), so a long metric column is
 * summarised without cancellation. A single value has variance 0 (tests that need a variance reject n < 2).
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for an empty input or a non-finite value.
 * @example
 * summarize([1, 2, 3, 4]); // { n: 4, mean: 2.5, variance: 1.6666666666666667 }
 */
export function summarize(values: ArrayLike<number>): SampleSummary {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') throw invalidStatisticsInput('values', 'expected an array of numbers');
  if (values.length === 0) throw invalidStatisticsInput('values', 'needs at least one value');
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw invalidStatisticsInput(`values[${i}]`, `expected a finite number, got ${String(x)}`);
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  const n = values.length;
  return { n, mean, variance: n > 1 ? Math.max(0, m2 / (n - 1)) : 0 };
}

/** Checks a summary; `minN` is the smallest count the caller can work with. @internal */
export function requireSummary(summary: SampleSummary, field: string, minN: number): SampleSummary {
  if (summary === null || typeof summary !== 'object') throw invalidStatisticsInput(field, 'expected { n, mean, variance }');
  const n = requireCount(summary.n, `${field}.n`);
  if (n < minN) throw invalidStatisticsInput(`${field}.n`, `needs at least ${minN} observation(s), got ${n}`);
  const mean = requireFinite(summary.mean, `${field}.mean`);
  const variance = requireFinite(summary.variance, `${field}.variance`);
  if (variance < 0) throw invalidStatisticsInput(`${field}.variance`, `a variance cannot be negative, got ${variance}`);
  return { n, mean, variance };
}

/**
 * Welch's unequal-variance t-test of H0: meanA = meanB on summary statistics, two-sided, with the
 * Welch–Satterthwaite degrees of freedom df = (vA/nA + vB/nB)² / ((vA/nA)²/(nA−1) + (vB/nB)²/(nB−1)) and the
 * matching t interval for meanB − meanA. When both variances are 0 the standard error is 0: equal means give t = 0,
 * p = 1; different means give t = ±∞, p = 0 (df is then reported as nA + nB − 2).
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT when an arm has n < 2, a non-finite mean or variance, a
 *   negative variance, or alpha outside (0, 1).
 * @example
 * welchTTest(summarize(control), summarize(treatment)); // { difference, t, df, pValue, ci, significant }
 */
export function welchTTest(a: SampleSummary, b: SampleSummary, options: { alpha?: number } = {}): WelchResult {
  const sa = requireSummary(a, 'a', 2);
  const sb = requireSummary(b, 'b', 2);
  const alpha = requireOpenUnit(options.alpha, 0.05, 'alpha');
  const difference = sb.mean - sa.mean;
  const wa = sa.variance / sa.n;
  const wb = sb.variance / sb.n;
  const se2 = wa + wb;
  const level = 1 - alpha;
  if (se2 === 0) {
    const t = difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
    const pValue = difference === 0 ? 1 : 0;
    return { difference, t, df: sa.n + sb.n - 2, pValue, ci: { low: difference, high: difference, level }, significant: pValue < alpha };
  }
  const se = Math.sqrt(se2);
  const df = (se2 * se2) / ((wa * wa) / (sa.n - 1) + (wb * wb) / (sb.n - 1));
  const t = difference / se;
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
  const half = studentTQuantile(1 - alpha / 2, df) * se;
  return { difference, t, df, pValue, ci: { low: difference - half, high: difference + half, level }, significant: pValue < alpha };
}
