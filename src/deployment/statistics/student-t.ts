import { logGamma, regularizedIncompleteBeta } from '../../core/stats/index.js';
import { normalQuantile } from '../../evaluation/gates/normal-quantile.js';
import { invalidStatisticsInput } from './statistics-input.js';

/**
 * Upper tail P(T > t) of Student's t with `df` degrees of freedom, for t ≥ 0: ½·I_{df/(df+t²)}(df/2, ½). Working on
 * the tail keeps relative precision for p-values far below machine epsilon.
 */
function upperTail(t: number, df: number): number {
  if (t === Number.POSITIVE_INFINITY) return 0;
  return 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

function requireDf(df: number): void {
  if (typeof df !== 'number' || !(df > 0) || !Number.isFinite(df)) throw invalidStatisticsInput('df', `degrees of freedom must be a positive finite number, got ${String(df)}`);
}

/**
 * Student's t cumulative distribution P(T ≤ t) for `df` > 0 degrees of freedom (df need not be an integer, as with
 * Welch–Satterthwaite). Computed from the regularized incomplete beta, tail by tail.
 *
 * @example
 * studentTCdf(2, 5); // 0.9490302605850709
 */
export function studentTCdf(t: number, df: number): number {
  requireDf(df);
  if (typeof t !== 'number' || Number.isNaN(t)) throw invalidStatisticsInput('t', `expected a number, got ${String(t)}`);
  return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
}

/**
 * The quantile t_p of Student's t with `df` > 0 degrees of freedom, for 0 < p < 1: the t with P(T ≤ t) = p.
 * Closed forms for df = 1 and 2; otherwise Newton steps on the tail probability from the normal quantile, kept inside
 * a bracket by bisection, to about 1e-12 relative accuracy.
 *
 * @example
 * studentTQuantile(0.975, 10); // 2.2281388519649385
 */
export function studentTQuantile(p: number, df: number): number {
  requireDf(df);
  if (typeof p !== 'number' || !(p > 0 && p < 1)) throw invalidStatisticsInput('p', `expected a probability strictly between 0 and 1, got ${String(p)}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -upperQuantile(p, df);
  return upperQuantile(1 - p, df);
}

/** The t ≥ 0 with P(T > t) = tail, for 0 < tail < ½. */
function upperQuantile(tail: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (0.5 - tail));
  if (df === 2) {
    const q = 1 - 2 * tail;
    return q * Math.sqrt(2 / (1 - q * q));
  }
  // Bracket [low, high] with tail(low) ≥ target ≥ tail(high); the normal quantile is below the t quantile.
  let low = 0;
  let high = Math.max(1, -normalQuantile(tail));
  while (upperTail(high, df) > tail) {
    low = high;
    high *= 2;
    if (!Number.isFinite(high)) return Number.POSITIVE_INFINITY;
  }
  const logNorm = logDensityNorm(df);
  let t = Math.min(Math.max(-normalQuantile(tail), low), high);
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t, df) - tail;
    if (f > 0) low = t;
    else high = t;
    // d tail / dt = −density(t).
    const density = Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
    let next = t + f / density;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-13 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/** ln of the normalising constant Γ((df+1)/2) / (√(df·π) Γ(df/2)) of the t density. */
function logDensityNorm(df: number): number {
  return logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
}

