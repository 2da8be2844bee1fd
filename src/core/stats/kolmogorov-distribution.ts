/**
 * Survival function of the Kolmogorov distribution, Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}: the limiting
 * probability that √n·D_n ≥ λ. For λ < 0.2 the series converges slowly and the value is 1 to double precision, so
 * 1 is returned there. Returns a value in [0, 1].
 */
export function kolmogorovSurvival(lambda: number): number {
  if (Number.isNaN(lambda)) return Number.NaN;
  if (lambda < 0.2) return 1;
  const a = -2 * lambda * lambda;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(a * k * k);
    sum += sign * term;
    if (term < 1e-17 * Math.max(sum, 1e-300)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
