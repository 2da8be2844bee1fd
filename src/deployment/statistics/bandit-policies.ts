import { logBeta, regularizedIncompleteBeta } from '../../core/stats/index.js';
import type { Random } from '../../core/random.js';
import { betaDraw } from './beta-sampling.js';
import { invalidStatisticsInput } from './statistics-input.js';

/** Evidence for one Bernoulli arm; the posterior is Beta(1 + successes, 1 + failures). */
export interface BetaArm {
  readonly successes: number;
  readonly failures: number;
}

/** A bandit decision: the arm to serve and every arm's probability of having been chosen (sums to 1). */
export interface BanditChoice {
  readonly arm: number;
  readonly propensities: number[];
}

/** Default Monte-Carlo draws for Thompson propensities with three or more arms. */
export const DEFAULT_THOMPSON_DRAWS = 2000;

/** Simpson intervals for the exact two-arm propensity; ±12 posterior standard deviations leave ~17 per deviation. */
const SIMPSON_INTERVALS = 1200;

/**
 * Thompson sampling over Bernoulli arms with uniform Beta(1, 1) priors. Each arm's propensity is the probability that
 * its posterior draw is the largest: exact for two arms (one-dimensional integral of A's density times B's CDF), and
 * for three or more the share of `draws` joint posterior draws (default 2000) it wins. The served arm is the winner
 * of the first joint draw, so it always has a positive propensity (with three or more arms at least 1/draws).
 * Counts may be fractional (e.g. decayed evidence) but must be non-negative and finite.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for no arms, negative or non-finite counts, or draws not a
 *   positive integer.
 * @example
 * const { arm, propensities } = thompsonChoose([{ successes: 12, failures: 88 }, { successes: 20, failures: 80 }], rng);
 */
export function thompsonChoose(arms: readonly BetaArm[], rng: Random, options: { draws?: number } = {}): BanditChoice {
  if (!Array.isArray(arms) || arms.length === 0) throw invalidStatisticsInput('arms', 'needs at least one arm');
  const alphas = new Float64Array(arms.length);
  const betas = new Float64Array(arms.length);
  for (let i = 0; i < arms.length; i++) {
    const arm = arms[i];
    for (const key of ['successes', 'failures'] as const) {
      const v = arm?.[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidStatisticsInput(`arms[${i}].${key}`, `expected a non-negative finite count, got ${String(v)}`);
    }
    alphas[i] = 1 + arm.successes;
    betas[i] = 1 + arm.failures;
  }
  const draws = options.draws ?? DEFAULT_THOMPSON_DRAWS;
  if (!Number.isInteger(draws) || draws < 1) throw invalidStatisticsInput('draws', `expected a positive integer, got ${String(draws)}`);
  if (arms.length === 1) return { arm: 0, propensities: [1] };
  if (arms.length === 2) {
    const arm = betaDraw(alphas[1], betas[1], rng) > betaDraw(alphas[0], betas[0], rng) ? 1 : 0;
    const pB = probabilityBBeatsA(alphas[0], betas[0], alphas[1], betas[1]);
    return { arm, propensities: [1 - pB, pB] };
  }
  const wins = new Float64Array(arms.length);
  let first = -1;
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < arms.length; i++) {
      const x = betaDraw(alphas[i], betas[i], rng);
      if (x > bestValue) {
        bestValue = x;
        best = i;
      }
    }
    wins[best]++;
    if (d === 0) first = best;
  }
  return { arm: first, propensities: Array.from(wins, (w) => w / draws) };
}

/**
 * P(X_B > X_A) for independent X_A ~ Beta(aA, bA), X_B ~ Beta(aB, bB), all parameters ≥ 1: ∫ f_A(x)(1 − I_x(aB, bB)) dx
 * by composite Simpson over A's mass (mean ± 12 standard deviations, clipped to [0, 1]); the integrand is smooth
 * and bounded because the parameters are at least 1.
 * @internal
 */
export function probabilityBBeatsA(aA: number, bA: number, aB: number, bB: number): number {
  const mean = aA / (aA + bA);
  const sd = Math.sqrt((aA * bA) / ((aA + bA) ** 2 * (aA + bA + 1)));
  const low = Math.max(0, mean - 12 * sd);
  const high = Math.min(1, mean + 12 * sd);
  const h = (high - low) / SIMPSON_INTERVALS;
  const logNorm = -logBeta(aA, bA);
  let sum = 0;
  for (let i = 0; i <= SIMPSON_INTERVALS; i++) {
    const x = low + i * h;
    const weight = i === 0 || i === SIMPSON_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * betaDensity(x, aA, bA, logNorm) * (1 - regularizedIncompleteBeta(x, aB, bB));
  }
  return Math.min(1, Math.max(0, (sum * h) / 3));
}

function betaDensity(x: number, a: number, b: number, logNorm: number): number {
  if (x <= 0) return a === 1 ? Math.exp(logNorm) : 0;
  if (x >= 1) return b === 1 ? Math.exp(logNorm) : 0;
  return Math.exp(logNorm + (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x));
}

/**
 * ε-greedy: with probability 1 − ε serve the arm with the highest mean (ties share it evenly), otherwise a uniformly
 * random arm. Propensities are exact: a unique best arm has 1 − ε + ε/k, every other arm ε/k.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT for no arms, a non-finite mean, or ε outside [0, 1].
 * @example
 * epsilonGreedyChoose([0.10, 0.12, 0.09], 0.1, rng); // propensities [0.0333…, 0.9333…, 0.0333…]
 */
export function epsilonGreedyChoose(means: readonly number[], epsilon: number, rng: Random): BanditChoice {
  if (!Array.isArray(means) || means.length === 0) throw invalidStatisticsInput('means', 'needs at least one arm');
  if (typeof epsilon !== 'number' || !(epsilon >= 0 && epsilon <= 1)) throw invalidStatisticsInput('epsilon', `expected a number in [0, 1], got ${String(epsilon)}`);
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < means.length; i++) {
    const m = means[i];
    if (typeof m !== 'number' || !Number.isFinite(m)) throw invalidStatisticsInput(`means[${i}]`, `expected a finite number, got ${String(m)}`);
    if (m > bestValue) bestValue = m;
  }
  const best: number[] = [];
  for (let i = 0; i < means.length; i++) if (means[i] === bestValue) best.push(i);
  const k = means.length;
  const propensities = means.map((m) => epsilon / k + (m === bestValue ? (1 - epsilon) / best.length : 0));
  const arm = rng.nextFloat() < epsilon ? rng.nextInt(k) : best[best.length === 1 ? 0 : rng.nextInt(best.length)];
  return { arm, propensities };
}
