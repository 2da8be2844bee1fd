import type { Interval } from './interval.js';
import type { ProportionCounts } from './proportions-test.js';
import { invalidStatisticsInput, requireOpenUnit, requireProportion, requirePositive } from './statistics-input.js';
import { requireSummary, type SampleSummary } from './welch-test.js';

/**
 * Default mixing variance, as a fraction of the average per-observation variance: τ² = 0.01·(σ²_A + σ²_B)/2 puts the
 * mixing prior's spread at about 0.1 standard deviations of the metric, the size of effect online experiments usually
 * look for. Pass `tau2` (in the metric's squared units) when a better prior is known.
 */
export const DEFAULT_MSPRT_TAU2_FRACTION = 0.01;

/** Options of msprt and msprtProportions. */
export interface MsprtOptions {
  /** Variance τ² of the normal mixing distribution N(0, τ²) over the true difference, in squared metric units. */
  readonly tau2?: number;
  /** Significance level (default 0.05). */
  readonly alpha?: number;
  /** The always-valid p-value at the previous look (default 1); the sequence is kept non-increasing. */
  readonly previousPValue?: number;
  /** The always-valid interval at the previous look; the new one is intersected with it. */
  readonly previousCi?: Interval;
}

/** One look of the mixture sequential probability ratio test. */
export interface MsprtResult {
  /** Λ_n, the mixture likelihood ratio of H1 (difference ~ N(0, τ²)) against H0 (difference = 0). */
  readonly likelihoodRatio: number;
  /** Always-valid p-value min(previousPValue, 1/Λ_n). */
  readonly pValue: number;
  /** pValue < alpha: safe to stop and declare a difference, however often the test was looked at. */
  readonly significant: boolean;
  /** Always-valid confidence interval of meanB − meanA at level 1 − alpha. */
  readonly ci: Interval;
}

/**
 * Mixture sequential probability ratio test (Johari, Pekelis, Walsh 2017, "Always valid inference") on the
 * difference of two means, with a normal mixing distribution N(0, τ²). At each look pass the cumulative summaries;
 * with θ̂ = meanB − meanA and V = σ²_A/n_A + σ²_B/n_B,
 *
 *   Λ = √(V/(V+τ²)) · exp(τ²θ̂² / (2V(V+τ²))),   p_n = min(p_{n−1}, 1/Λ),
 *
 * and the always-valid interval is the set of θ with Λ(θ) < 1/α:
 * θ̂ ± √(2V(V+τ²)/τ² · (ln(1/α) + ½ ln((V+τ²)/V))). Peeking at every look keeps P(ever significant | H0) ≤ α.
 * When V = 0 (no spread in either arm) there is no variance information: equal means give Λ = 1 and an unbounded
 * interval; different means give Λ = ∞ and p = 0.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for an arm with n < 1, a negative variance, tau2 ≤ 0,
 *   alpha outside (0, 1), or previousPValue outside (0, 1].
 * @example
 * let p = 1;
 * for (const look of looks) ({ pValue: p } = msprt(look.a, look.b, { tau2: 0.01, previousPValue: p }));
 */
export function msprt(a: SampleSummary, b: SampleSummary, options: MsprtOptions = {}): MsprtResult {
  const sa = requireSummary(a, 'a', 1);
  const sb = requireSummary(b, 'b', 1);
  return mixtureTest(sb.mean - sa.mean, sa.variance / sa.n + sb.variance / sb.n, (sa.variance + sb.variance) / 2, options);
}

/**
 * mSPRT on two conversion rates: the normal approximation with per-arm Bernoulli variances p(1 − p), so
 * θ̂ = rateB − rateA and V = pA(1−pA)/nA + pB(1−pB)/nB. The default τ² follows DEFAULT_MSPRT_TAU2_FRACTION.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT as twoProportionZTest and msprt do.
 * @example
 * msprtProportions({ successes: 480, total: 10_000 }, { successes: 560, total: 10_000 }, { previousPValue: 0.2 });
 */
export function msprtProportions(a: ProportionCounts, b: ProportionCounts, options: MsprtOptions = {}): MsprtResult {
  const armA = requireProportion(a, 'a');
  const armB = requireProportion(b, 'b');
  const pA = armA.successes / armA.total;
  const pB = armB.successes / armB.total;
  const varA = pA * (1 - pA);
  const varB = pB * (1 - pB);
  return mixtureTest(pB - pA, varA / armA.total + varB / armB.total, (varA + varB) / 2, options);
}

function mixtureTest(theta: number, v: number, unitVariance: number, options: MsprtOptions): MsprtResult {
  const alpha = requireOpenUnit(options.alpha, 0.05, 'alpha');
  const previous = options.previousPValue ?? 1;
  if (typeof previous !== 'number' || !(previous > 0 && previous <= 1)) {
    throw invalidStatisticsInput('previousPValue', `expected a p-value in (0, 1], got ${String(previous)}`);
  }
  const previousCi = options.previousCi;
  if (previousCi !== undefined && (typeof previousCi !== 'object' || previousCi === null || !(previousCi.low <= previousCi.high))) {
    throw invalidStatisticsInput('previousCi', 'expected { low, high, level } with low ≤ high');
  }
  const level = 1 - alpha;
  const tau2 = options.tau2 === undefined ? DEFAULT_MSPRT_TAU2_FRACTION * unitVariance : requirePositive(options.tau2, 'tau2');
  let likelihoodRatio: number;
  let low: number;
  let high: number;
  if (v === 0 || tau2 === 0) {
    likelihoodRatio = theta === 0 ? 1 : Number.POSITIVE_INFINITY;
    low = theta === 0 ? Number.NEGATIVE_INFINITY : theta;
    high = theta === 0 ? Number.POSITIVE_INFINITY : theta;
  } else {
    const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * theta * theta) / (2 * v * (v + tau2));
    likelihoodRatio = Math.exp(logLambda);
    const half = Math.sqrt(((2 * v * (v + tau2)) / tau2) * (Math.log(1 / alpha) + 0.5 * Math.log((v + tau2) / v)));
    low = theta - half;
    high = theta + half;
  }
  if (previousCi !== undefined) {
    low = Math.max(low, previousCi.low);
    high = Math.min(high, previousCi.high);
  }
  const pValue = Math.min(previous, likelihoodRatio > 0 ? 1 / likelihoodRatio : 1);
  return { likelihoodRatio, pValue, significant: pValue < alpha, ci: { low, high, level } };
}
