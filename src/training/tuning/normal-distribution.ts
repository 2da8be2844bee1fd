import { regularizedGammaQ } from '../../core/stats/index.js';
import type { Random } from '../../core/random.js';

/** Standard normal CDF Φ(z), through erfc(x) = Q(1/2, x²), accurate in both tails. */
export function normalCdf(z: number): number {
  const x = z / Math.SQRT2;
  const tail = 0.5 * regularizedGammaQ(0.5, x * x);
  return x >= 0 ? 1 - tail : tail;
}

/** log of the standard normal density. */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
}

/** A standard normal draw (Box–Muller). */
export function normalDraw(rng: Random): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** A draw from N(mu, sigma²) truncated to [low, high], by rejection, falling back to a uniform draw in the range. */
export function truncatedNormalDraw(rng: Random, mu: number, sigma: number, low: number, high: number): number {
  for (let i = 0; i < 100; i++) {
    const x = mu + sigma * normalDraw(rng);
    if (x >= low && x <= high) return x;
  }
  return low + (high - low) * rng.nextFloat();
}
