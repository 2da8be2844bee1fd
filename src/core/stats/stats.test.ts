import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chiSquareSurvival } from './chi-square-distribution.js';
import { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma.js';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { ksTwoSampleExactPValue } from './ks-two-sample-exact.js';
import { logGamma } from './log-gamma.js';

function close(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

test('logGamma matches closed forms', () => {
  close(logGamma(5), Math.log(24), 1e-13, 'ln Γ(5) = ln 24');
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13, 'ln Γ(1/2) = ln √π');
  close(logGamma(0.1), Math.log(9.513507698668732), 1e-12, 'Γ(0.1)');
  close(logGamma(101), 363.73937555556347, 1e-9, 'ln 100!');
  assert.ok(Number.isNaN(logGamma(0)));
});

test('regularized incomplete gamma matches closed forms', () => {
  // P(1, x) = 1 − e^{−x}; Q(1/2, x) = erfc(√x).
  for (const x of [0.1, 1, 2, 5, 30]) close(regularizedGammaP(1, x), 1 - Math.exp(-x), 1e-14, `P(1, ${x})`);
  close(regularizedGammaQ(0.5, 0.5), 0.31731050786291415, 1e-14, 'Q(1/2, 1/2) = erfc(√½)');
  close(regularizedGammaQ(0.5, 8), 6.334248366623973e-5, 1e-17, 'Q(1/2, 8) = erfc(√8)');
  // P(3, x) = 1 − e^{−x}(1 + x + x²/2)
  close(regularizedGammaP(3, 2.5), 1 - Math.exp(-2.5) * (1 + 2.5 + 3.125), 1e-14, 'P(3, 2.5)');
  assert.equal(regularizedGammaP(2, 0), 0);
  assert.equal(regularizedGammaQ(2, 0), 1);
  assert.ok(Number.isNaN(regularizedGammaP(0, 1)));
});

test('chi-square survival reproduces textbook critical values', () => {
  // Upper-tail critical values from standard χ² tables (3 decimals), so the tolerance is 2e-4 in p.
  const table: [number, number, number][] = [
    [3.841, 1, 0.05],
    [6.635, 1, 0.01],
    [5.991, 2, 0.05],
    [7.815, 3, 0.05],
    [9.488, 4, 0.05],
    [18.307, 10, 0.05],
    [23.209, 10, 0.01],
    [124.342, 100, 0.05],
  ];
  for (const [x, df, p] of table) close(chiSquareSurvival(x, df), p, 2e-4, `χ²=${x}, df=${df}`);
  // Closed forms: df = 2 gives e^{−x/2}.
  close(chiSquareSurvival(2, 2), Math.exp(-1), 1e-15, 'df=2, x=2');
  close(chiSquareSurvival(40, 2), Math.exp(-20), 1e-20, 'df=2, x=40 (deep tail keeps relative precision)');
  assert.equal(chiSquareSurvival(0, 3), 1);
  assert.equal(chiSquareSurvival(Number.POSITIVE_INFINITY, 3), 0);
});

test('Kolmogorov survival reproduces the published asymptotic critical values', () => {
  // Critical values of √n·D for large n (Smirnov 1948 table): 1.22 (10%), 1.36 (5%), 1.63 (1%), at 4 decimals here.
  close(kolmogorovSurvival(1.2238), 0.1, 2e-4, 'λ=1.2238');
  close(kolmogorovSurvival(1.3581), 0.05, 2e-4, 'λ=1.3581');
  close(kolmogorovSurvival(1.6276), 0.01, 2e-4, 'λ=1.6276');
  close(kolmogorovSurvival(0.5), 0.9639452436648751, 1e-12, 'λ=0.5 series');
  assert.equal(kolmogorovSurvival(0.1), 1);
  assert.ok(kolmogorovSurvival(5) < 1e-20);
});

test('exact two-sample KS p-values match paths counted by hand', () => {
  // n = m = 3: C(6,3) = 20 orderings. D = 1 only when one sample lies wholly below the other: 2/20.
  close(ksTwoSampleExactPValue(3, 3, 9), 0.1, 1e-15, 'n=m=3, D=1');
  // D ≥ 2/3 unless every pair of steps is (x,y) or (y,x): 20 − 2³ = 12 paths, 12/20.
  close(ksTwoSampleExactPValue(3, 3, 6), 0.6, 1e-15, 'n=m=3, D=2/3');
  // n = m = 4, D = 1: 2 of C(8,4) = 70.
  close(ksTwoSampleExactPValue(4, 4, 16), 2 / 70, 1e-15, 'n=m=4, D=1');
  assert.equal(ksTwoSampleExactPValue(3, 3, 0), 1);
});

test('exact two-sample KS p-values match brute-force enumeration of every ordering', () => {
  for (const [n, m] of [[4, 5], [3, 7], [6, 6], [2, 9]]) {
    const counts = new Map<number, number>();
    let total = 0;
    // Each bitmask with n ones is one ordering: bit t set means the t-th smallest value is from the first sample.
    for (let mask = 0; mask < 1 << (n + m); mask++) {
      if (popcount(mask) !== n) continue;
      total++;
      let i = 0;
      let j = 0;
      let d = 0;
      for (let t = 0; t < n + m; t++) {
        if (mask & (1 << t)) i++;
        else j++;
        d = Math.max(d, Math.abs(i * m - j * n));
      }
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    for (const d of counts.keys()) {
      let atLeast = 0;
      for (const [other, c] of counts) if (other >= d) atLeast += c;
      close(ksTwoSampleExactPValue(n, m, d), atLeast / total, 1e-13, `n=${n}, m=${m}, scaledD=${d}`);
    }
  }
});

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}
