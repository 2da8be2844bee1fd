import { logGamma } from './log-gamma.js';

const MAX_ITERATIONS = 10_000;
const EPSILON = 1e-15;
const TINY = 1e-300;

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) for 0 ≤ x ≤ 1 and a, b > 0: the CDF of a
 * Beta(a, b) variable at x. It underlies the Student-t and binomial distributions.
 *
 * Evaluated by the continued fraction for I_x(a, b) (modified Lentz), which converges quickly for
 * x < (a + 1)/(a + b + 2); above that point it uses I_x(a, b) = 1 − I_{1−x}(b, a), so each tail keeps its relative
 * precision. Returns NaN when a or b is not positive or x is NaN; x is clamped to [0, 1].
 *
 * @example
 * regularizedIncompleteBeta(0.5, 2, 2); // 0.5
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(1 - x, b, a);
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  return (Math.exp(logFront) / a) * betaContinuedFraction(x, a, b);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The continued fraction 1/(1 + d1/(1 + d2/(1 + …))) of the incomplete beta, with
 * d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + even * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + even / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    result *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + odd * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + odd / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  return result;
}
