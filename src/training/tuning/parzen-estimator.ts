import { logNormalPdf, normalCdf, truncatedNormalDraw } from './normal-distribution.js';
import type { Random } from '../../core/random.js';

/** Settings shared by every Parzen estimator of a TPE sampler (Optuna's defaults). */
export interface ParzenSettings {
  /** Weight of the prior component (a wide Gaussian at the range centre, or a uniform over categories). */
  readonly priorWeight: number;
  /** Clip bandwidths below range / min(100, 1 + components) (Bergstra et al.'s "magic clip"). */
  readonly magicClip: boolean;
  /** Let the range ends widen the kernels of the smallest and largest observation (Optuna's default: false). */
  readonly considerEndpoints: boolean;
}

/**
 * Weights of `n` observations in trial order: equal up to 25, then older ones ramp linearly from 1/n up to 1 while the
 * newest 25 keep weight 1 (Optuna's default_weights).
 */
export function observationWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const ramp = n - 25;
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}

/**
 * Bandwidths of univariate kernels at `mu` (Optuna's rule): each observation's distance to the farther of its sorted
 * neighbours, with `low` and `high` as the outer neighbours. Without `considerEndpoints`, the smallest and largest
 * observation use only their inner gap (when there are at least two). Then clipped to [minSigma, range], where
 * minSigma = range / min(100, 1 + kernels) under the magic clip (kernels count the prior).
 */
export function univariateBandwidths(mu: readonly number[], low: number, high: number, settings: ParzenSettings): Float64Array {
  const n = mu.length;
  const range = high - low;
  const order = mu.map((_, i) => i).sort((a, b) => mu[a] - mu[b]);
  const padded = [low, ...order.map((i) => mu[i]), high];
  const sigma = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = Math.max(padded[r + 1] - padded[r], padded[r + 2] - padded[r + 1]);
    if (!settings.considerEndpoints && n >= 2) {
      if (r === 0) s = padded[2] - padded[1];
      else if (r === n - 1) s = padded[n] - padded[n - 1];
    }
    sigma[order[r]] = s;
  }
  return clipBandwidths(sigma, range, n, settings);
}

/** Clips bandwidths to [minSigma, range] (see univariateBandwidths). */
export function clipBandwidths(sigma: Float64Array, range: number, n: number, settings: ParzenSettings): Float64Array {
  const minSigma = settings.magicClip ? range / Math.min(100, 1 + n + 1) : range * 1e-12;
  return sigma.map((s) => Math.min(range, Math.max(minSigma, s)));
}

/**
 * A mixture of Gaussians truncated to [low, high], one per observation (bandwidths by univariateBandwidths) plus the
 * prior N(centre, range²). `cell` scores ints by probability mass over their cell instead of density.
 */
export class NumericParzen {
  readonly #mu: Float64Array;
  readonly #sigma: Float64Array;
  readonly #logWeight: Float64Array;
  readonly #weight: Float64Array;
  readonly #logMass: Float64Array;

  constructor(observations: readonly number[], weights: Float64Array, readonly low: number, readonly high: number, settings: ParzenSettings) {
    const n = observations.length;
    const mu = [...observations, (low + high) / 2];
    const w = [...weights, settings.priorWeight];
    const sigma = new Float64Array(n + 1);
    sigma.set(univariateBandwidths(observations, low, high, settings));
    sigma[n] = high - low;
    const total = w.reduce((a, b) => a + b, 0);
    this.#mu = Float64Array.from(mu);
    this.#sigma = sigma;
    this.#weight = Float64Array.from(w, (x) => x / total);
    this.#logWeight = Float64Array.from(this.#weight, Math.log);
    this.#logMass = Float64Array.from(mu, (m, i) => truncatedLogMass(m, sigma[i], low, high));
  }

  /** `count` draws from the mixture. */
  sample(rng: Random, count: number): number[] {
    const out: number[] = [];
    for (let c = 0; c < count; c++) {
      let u = rng.nextFloat();
      let k = 0;
      while (k < this.#weight.length - 1 && u >= this.#weight[k]) u -= this.#weight[k++];
      out.push(truncatedNormalDraw(rng, this.#mu[k], this.#sigma[k], this.low, this.high));
    }
    return out;
  }

  /** log density at x, or log probability of the cell [a, b] when given. */
  logPdf(x: number, cell: readonly [number, number] | null): number {
    const terms = new Float64Array(this.#mu.length);
    for (let k = 0; k < terms.length; k++) {
      const m = this.#mu[k];
      const s = this.#sigma[k];
      const part = cell === null
        ? logNormalPdf((x - m) / s) - Math.log(s)
        : Math.log(Math.max(1e-300, normalCdf((Math.min(cell[1], this.high) - m) / s) - normalCdf((Math.max(cell[0], this.low) - m) / s)));
      terms[k] = this.#logWeight[k] + part - this.#logMass[k];
    }
    return logSumExp(terms);
  }
}

/** Category probabilities: each observation adds its weight to its category; the prior spreads its weight evenly. */
export class CategoricalParzen {
  readonly #p: Float64Array;

  constructor(observations: readonly number[], weights: Float64Array, categories: number, settings: ParzenSettings) {
    const p = new Float64Array(categories).fill(settings.priorWeight / categories);
    observations.forEach((c, i) => (p[c] += weights[i]));
    const total = p.reduce((a, b) => a + b, 0);
    this.#p = p.map((x) => x / total);
  }

  sample(rng: Random, count: number): number[] {
    const out: number[] = [];
    for (let c = 0; c < count; c++) {
      let u = rng.nextFloat();
      let k = 0;
      while (k < this.#p.length - 1 && u >= this.#p[k]) u -= this.#p[k++];
      out.push(k);
    }
    return out;
  }

  logPmf(index: number): number {
    return Math.log(this.#p[index]);
  }
}

/** log of the mass N(mu, sigma²) puts on [low, high]. */
export function truncatedLogMass(mu: number, sigma: number, low: number, high: number): number {
  return Math.log(Math.max(1e-300, normalCdf((high - mu) / sigma) - normalCdf((low - mu) / sigma)));
}

/** log Σ exp(terms), stable. */
export function logSumExp(terms: Float64Array): number {
  let max = -Infinity;
  for (const t of terms) if (t > max) max = t;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}
