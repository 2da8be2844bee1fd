import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logBeta, regularizedIncompleteBeta } from './incomplete-beta.js';

function close(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

test('regularized incomplete beta matches closed forms', () => {
  for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
    close(regularizedIncompleteBeta(x, 1, 1), x, 1e-14, `I_${x}(1,1) = x`);
    close(regularizedIncompleteBeta(x, 3, 1), x ** 3, 1e-14, `I_${x}(3,1) = x³`);
    close(regularizedIncompleteBeta(x, 1, 4), 1 - (1 - x) ** 4, 1e-14, `I_${x}(1,4) = 1 − (1−x)⁴`);
    // I_x(2,2) = 3x² − 2x³
    close(regularizedIncompleteBeta(x, 2, 2), 3 * x * x - 2 * x ** 3, 1e-14, `I_${x}(2,2)`);
  }
  close(regularizedIncompleteBeta(0.5, 7.3, 7.3), 0.5, 1e-14, 'symmetry I_½(a,a) = ½');
  close(logBeta(2, 3), Math.log(1 / 12), 1e-13, 'B(2,3) = 1/12');
});

test('regularized incomplete beta gives exact binomial tails', () => {
  // P(X ≤ k) for X ~ Bin(n, p) equals I_{1−p}(n − k, k + 1); the sums are exact rationals here.
  const binomCdf = (k: number, n: number, p: number): number => {
    let sum = 0;
    let coef = 1;
    for (let i = 0; i <= k; i++) {
      sum += coef * p ** i * (1 - p) ** (n - i);
      coef = (coef * (n - i)) / (i + 1);
    }
    return sum;
  };
  for (const [k, n, p] of [[1, 10, 0.5], [3, 20, 0.3], [40, 100, 0.5], [0, 5, 0.9]] as const) {
    close(regularizedIncompleteBeta(1 - p, n - k, k + 1), binomCdf(k, n, p), 1e-13, `Bin(${n}, ${p}) ≤ ${k}`);
  }
  // A deep tail keeps relative precision: P(X ≤ 2 | n = 200, ½) ≈ 2.7e−57.
  const deep = binomCdf(2, 200, 0.5);
  assert.ok(Math.abs(regularizedIncompleteBeta(0.5, 198, 3) / deep - 1) < 1e-10, 'relative precision in the far tail');
});

test('regularized incomplete beta edges', () => {
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
  assert.ok(Number.isNaN(regularizedIncompleteBeta(0.5, 0, 1)));
  assert.ok(Number.isNaN(regularizedIncompleteBeta(0.5, 1, -2)));
  assert.ok(Number.isNaN(regularizedIncompleteBeta(Number.NaN, 1, 2)));
});
