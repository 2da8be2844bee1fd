import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../core/random.js';
import { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import { softThreshold } from './solver/weighted-elastic-net.js';
import { fitLinearRegression } from './fit-linear-regression.js';
import { predictLinear } from './predict/predict-linear.js';

/** Solves A x = b by Gaussian elimination with partial pivoting (an independent reference, not the code under test). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[pivot][c])) pivot = r;
    [M[c], M[pivot]] = [M[pivot], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

/** A small, well-conditioned regression problem: n rows, 3 features on different scales, noisy linear target. */
function problem(n: number, seed: number): { rows: number[][]; y: number[]; w: number[] } {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng.nextFloat() * 10, rng.nextFloat() - 0.5, 100 + 50 * rng.nextFloat()];
    rows.push(x);
    y.push(3 + 2 * x[0] - 7 * x[1] + 0.05 * x[2] + (rng.nextFloat() - 0.5));
    w.push(0.5 + rng.nextFloat());
  }
  return { rows, y, w };
}

/** Weighted ridge in closed form on centred data: (XcᵀVXc + αI)⁻¹ XcᵀVyc, intercept ȳ − x̄ᵀβ, V = diag(w / Σw). */
function ridgeClosedForm(rows: number[][], y: number[], w: number[], alpha: number): { coef: number[]; intercept: number } {
  const p = rows[0].length;
  const W = w.reduce((a, b) => a + b, 0);
  const v = w.map((x) => x / W);
  const mean = Array.from({ length: p }, (_, j) => rows.reduce((s, r, i) => s + v[i] * r[j], 0));
  const yMean = y.reduce((s, t, i) => s + v[i] * t, 0);
  const A = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => rows.reduce((s, r, i) => s + v[i] * (r[a] - mean[a]) * (r[b] - mean[b]), 0) + (a === b ? alpha : 0)));
  const rhs = Array.from({ length: p }, (_, a) => rows.reduce((s, r, i) => s + v[i] * (r[a] - mean[a]) * (y[i] - yMean), 0));
  const coef = solve(A, rhs);
  return { coef, intercept: yMean - coef.reduce((s, c, j) => s + c * mean[j], 0) };
}

const near = (actual: readonly number[], expected: readonly number[], tol: number, what: string) =>
  expected.forEach((e, j) => assert.ok(Math.abs(actual[j] - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${j}]: ${actual[j]} vs ${e}`));

test('no penalty: equals the normal-equation solution [1 X]ᵀ[1 X] θ = [1 X]ᵀ y to 1e-8', () => {
  const { rows, y } = problem(40, 1);
  const A = rows.map((r) => [1, ...r]);
  const gram = A[0].map((_, a) => A[0].map((_, b) => A.reduce((s, r) => s + r[a] * r[b], 0)));
  const theta = solve(gram, A[0].map((_, a) => A.reduce((s, r, i) => s + r[a] * y[i], 0)));
  const X = FeatureMatrix.fromRows(rows, ['a', 'b', 'c']);
  for (const standardize of [true, false]) {
    const model = fitLinearRegression(X, y, { params: { alpha: 0, tol: 1e-13, standardize } });
    assert.equal(model.training.converged, true);
    near(model.coef, theta.slice(1), 1e-8, `coef (standardize ${standardize})`);
    near(model.intercept, [theta[0]], 1e-8, 'intercept');
  }
  // Through the origin: the normal equations without the column of ones.
  const origin = solve(rows[0].map((_, a) => rows[0].map((_, b) => rows.reduce((s, r) => s + r[a] * r[b], 0))), rows[0].map((_, a) => rows.reduce((s, r, i) => s + r[a] * y[i], 0)));
  const noIntercept = fitLinearRegression(X, y, { params: { alpha: 0, tol: 1e-13, fit_intercept: false } });
  near(noIntercept.coef, origin, 1e-8, 'coef without intercept');
  assert.deepEqual(noIntercept.intercept, [0]);
});

test('ridge with sample weights equals the weighted closed form, with either solver', () => {
  const { rows, y, w } = problem(30, 2);
  const X = FeatureMatrix.fromRows(rows);
  const expected = ridgeClosedForm(rows, y, w, 0.5);
  for (const solver of ['lbfgs', 'cd']) {
    const model = fitLinearRegression(X, y, { params: { alpha: 0.5, standardize: false, solver, tol: 1e-20, max_iter: 100000 }, sampleWeight: w });
    near(model.coef, expected.coef, 1e-8, `${solver} coef`);
    near(model.intercept, [expected.intercept], 1e-8, `${solver} intercept`);
  }
});

test('standardize: the penalty acts on coefficients of unit-variance features; coef is reported in both units', () => {
  const { rows, y } = problem(30, 3);
  const X = FeatureMatrix.fromRows(rows);
  const model = fitLinearRegression(X, y, { params: { alpha: 0.1, tol: 1e-14 } });
  const { center, scale } = model.standardized;
  const scaled = rows.map((r) => r.map((x, j) => (x - center[j]) / scale[j]));
  const expected = ridgeClosedForm(scaled, y, y.map(() => 1), 0.1);
  near(model.standardized.coef, expected.coef, 1e-8, 'standardized coef');
  near(model.coef, expected.coef.map((c, j) => c / scale[j]), 1e-8, 'coef in original units');
  // The reported centre and scale are the mean and population standard deviation.
  const mean0 = rows.reduce((s, r) => s + r[0], 0) / rows.length;
  near([center[0], scale[0]], [mean0, Math.sqrt(rows.reduce((s, r) => s + (r[0] - mean0) ** 2, 0) / rows.length)], 1e-12, 'centre/scale');
});

test('lasso and elastic net on an orthonormal design equal the soft-threshold closed form', () => {
  // Centred, orthogonal columns with mean square 1: standardization leaves them as they are.
  const rows = [[1, 1, 1], [-1, 1, -1], [1, -1, -1], [-1, -1, 1]];
  const y = [3, 1, 2, 0.5];
  const correlation = [0, 1, 2].map((j) => rows.reduce((s, r, i) => s + (r[j] * y[i]) / 4, 0)); // [0.875, 0.375, -0.125]
  const X = FeatureMatrix.fromRows(rows);
  for (const [alpha, ratio] of [[0.4, 1], [0.1, 1], [0.3, 0.5]]) {
    const model = fitLinearRegression(X, y, { params: { alpha, l1_ratio: ratio, tol: 1e-20 } });
    assert.equal(model.training.solver, 'cd');
    near(model.coef, correlation.map((c) => softThreshold(c, alpha * ratio) / (1 + alpha * (1 - ratio))), 1e-12, `alpha ${alpha} ratio ${ratio}`);
    near(model.intercept, [1.625], 1e-12, 'intercept');
  }
  const sparse = fitLinearRegression(X, y, { params: { alpha: 0.4, l1_ratio: 1 } });
  assert.deepEqual(sparse.coef.slice(1), [0, 0], 'coefficients below the threshold are exactly 0');
});

test('a weight of 2 equals a duplicated row; predictions are intercept + coef·x', () => {
  const { rows, y } = problem(10, 4);
  const weighted = fitLinearRegression(FeatureMatrix.fromRows(rows), y, { params: { alpha: 0.01, tol: 1e-14 }, sampleWeight: rows.map((_, i) => (i === 0 ? 2 : 1)) });
  const duplicated = fitLinearRegression(FeatureMatrix.fromRows([rows[0], ...rows]), [y[0], ...y], { params: { alpha: 0.01, tol: 1e-14 } });
  near(weighted.coef, duplicated.coef, 1e-9, 'coef');
  const X = FeatureMatrix.fromRows(rows.slice(0, 3));
  const predictions = predictLinear(weighted, X);
  near(Array.from(predictions), rows.slice(0, 3).map((r) => weighted.intercept[0] + r.reduce((s, x, j) => s + x * weighted.coef[j], 0)), 1e-12, 'prediction');
});
