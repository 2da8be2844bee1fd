import assert from 'node:assert/strict';
import { test } from 'node:test';
import { softThreshold, solveWeightedElasticNet } from './weighted-elastic-net.js';

test('soft-thresholding S(g, t) = sign(g)·max(|g| − t, 0)', () => {
  assert.deepEqual([softThreshold(3, 1), softThreshold(-3, 1), softThreshold(0.5, 1), softThreshold(-1, 1), softThreshold(2, 0)], [2, -2, 0, 0, 2]);
});

test('on an orthonormal design, coordinate descent gives the closed form S(zᵀUy, αr) / (1 + α(1 − r))', () => {
  // Columns are centred, orthogonal, and have Σ u z² = 1 with u = 1/4, so every coordinate decouples.
  const z = Float64Array.from([1, -1, 1, -1, 1, 1, -1, -1]);
  const y = [3, 1, 2, 0.5];
  const u = new Float64Array(4).fill(0.25);
  const correlation = [0, 1].map((j) => y.reduce((s, v, i) => s + 0.25 * z[j * 4 + i] * v, 0)); // [0.875, 0.375]
  for (const [alpha, ratio] of [[0.5, 1], [0.2, 0.5], [0.3, 0], [0, 0]]) {
    const beta = new Float64Array(2);
    const intercept = new Float64Array(1);
    const residual = Float64Array.from(y);
    const result = solveWeightedElasticNet({ z, rows: 4, cols: 2, u, beta, intercept, residual, curvature: new Float64Array(2), alpha, l1Ratio: ratio, fitIntercept: true, threshold: 1e-20, maxSweeps: 100 });
    assert.ok(result.converged);
    correlation.forEach((c, j) => assert.ok(Math.abs(beta[j] - softThreshold(c, alpha * ratio) / (1 + alpha * (1 - ratio))) < 1e-14, `alpha ${alpha}, ratio ${ratio}, β${j} = ${beta[j]}`));
    assert.ok(Math.abs(intercept[0] - 1.625) < 1e-14);
    if (alpha === 0.5 && ratio === 1) assert.equal(beta[1], 0, 'S(0.375, 0.5) = 0: the lasso zeroes it exactly');
    // Residuals stay consistent with the solution.
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(residual[i] - (y[i] - intercept[0] - beta[0] * z[i] - beta[1] * z[4 + i])) < 1e-14);
  }
});
