import type { Random } from '../core/random.js';

// Draws from the distributions the synthetic world needs, on top of the seeded uniform generator. Each function
// consumes a fixed, documented number of uniforms where it can, so streams stay easy to reason about.

/** A normal variate (Box–Muller; two uniforms per call, the second variate of the pair is not kept). */
export function normal(rng: Random, mean = 0, sd = 1): number {
  const u = 1 - rng.nextFloat(); // (0, 1], so the log is finite
  const v = rng.nextFloat();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A log-normal variate: exp(normal(mu, sigma)). Its median is exp(mu). */
export function logNormal(rng: Random, mu: number, sigma: number): number {
  return Math.exp(normal(rng, mu, sigma));
}

/** An exponential variate with the given mean (inversion; one uniform). */
export function exponential(rng: Random, mean: number): number {
  return -mean * Math.log(1 - rng.nextFloat());
}

/** A uniform variate in [a, b). */
export function uniform(rng: Random, a: number, b: number): number {
  return a + (b - a) * rng.nextFloat();
}

/** True with probability p (one uniform). */
export function bernoulli(rng: Random, p: number): boolean {
  return rng.nextFloat() < p;
}

/**
 * A Poisson variate. Knuth's product-of-uniforms method up to a mean of 30 (exact); above it, a normal
 * approximation rounded and floored at 0 (the synthetic world never needs large exact tails).
 */
export function poisson(rng: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 30) return Math.max(0, Math.round(normal(rng, mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = rng.nextFloat();
  while (product > limit) {
    k++;
    product *= rng.nextFloat();
  }
  return k;
}

/** Cumulative weights for pickWeighted, normalized so the last entry is exactly 1. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  for (const w of weights) total += w;
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += weights[i];
    out[i] = running / total;
  }
  out[weights.length - 1] = 1;
  return out;
}

/** An index drawn with the probabilities encoded by `cumulative` (from cumulativeWeights; one uniform). */
export function pickWeighted(rng: Random, cumulative: Float64Array): number {
  const u = rng.nextFloat();
  let i = 0;
  while (i < cumulative.length - 1 && u >= cumulative[i]) i++;
  return i;
}
