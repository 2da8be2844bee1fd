import type { Random } from '../../core/random.js';
import { normalDraw } from '../../training/tuning/normal-distribution.js';
import { requirePositive } from './statistics-input.js';

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze-rejection method (2000). Shapes below 1 use
 * Gamma(a) = Gamma(a + 1)·U^{1/a}. Consumes a variable number of rng values.
 * @internal
 */
export function sampleGamma(shape: number, rng: Random): number {
  if (shape < 1) {
    const u = 1 - rng.nextFloat(); // (0, 1], so the power is finite
    return sampleGamma(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextFloat();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * One draw from Beta(alpha, beta) as X/(X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta) (Marsaglia–Tsang gamma draws).
 * Deterministic for a given rng state.
 *
 * @throws LoomError LOOM_ERR_DEPLOY_INVALID_STATISTICS_INPUT when alpha or beta is not a positive finite number.
 * @example
 * sampleBeta(1 + successes, 1 + failures, new Random(7)); // a posterior draw of the conversion rate
 */
export function sampleBeta(alpha: number, beta: number, rng: Random): number {
  requirePositive(alpha, 'alpha');
  requirePositive(beta, 'beta');
  return betaDraw(alpha, beta, rng);
}

/** sampleBeta without the argument checks, for loops that checked once. @internal */
export function betaDraw(alpha: number, beta: number, rng: Random): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  return x / (x + y);
}
