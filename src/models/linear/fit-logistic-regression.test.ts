import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../core/hashing.js';
import { Random } from '../../core/random.js';
import { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import { fitLogisticRegression } from './fit-logistic-regression.js';
import { fitSoftmaxRegression } from './fit-softmax-regression.js';
import { LinearModelState } from './linear-model-state.js';
import { predictLinear } from './predict/predict-linear.js';
import { predictLinearRow } from './predict/predict-linear-row.js';

/** Solves A x = b by Gaussian elimination with partial pivoting (an independent reference). */
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

/** Overlapping classes: labels drawn from a logistic model, so the optimum is finite even without a penalty. */
function problem(n: number, classes: number, seed: number): { rows: number[][]; y: number[] } {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng.nextFloat() * 4 - 2, rng.nextFloat() * 2 - 1, rng.nextFloat() * 3];
    rows.push(x);
    const scores = Array.from({ length: classes }, (_, k) => (k === 0 ? 0 : 0.8 * k * x[0] - (k - 1) * x[1] + 0.3 * x[2] - 0.5));
    const total = scores.reduce((s, v) => s + Math.exp(v), 0);
    let u = rng.nextFloat() * total;
    let k = 0;
    while (k < classes - 1 && (u -= Math.exp(scores[k])) > 0) k++;
    y.push(k);
  }
  return { rows, y };
}

/**
 * Penalised logistic regression by Newton's method, written independently of the model code: minimises
 * (1/n) Σ [log(1 + e^η) − yη] + alpha/2 ‖w‖², η = b + w·x, on raw features.
 */
function newtonLogistic(rows: number[][], y: number[], alpha: number): number[] {
  const n = rows.length;
  const p = rows[0].length;
  let theta = new Array<number>(p + 1).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const grad = new Array<number>(p + 1).fill(0);
    const hess = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const a = [1, ...rows[i]];
      const eta = a.reduce((s, v, j) => s + v * theta[j], 0);
      const prob = 1 / (1 + Math.exp(-eta));
      for (let j = 0; j <= p; j++) {
        grad[j] += ((prob - y[i]) * a[j]) / n;
        for (let k = 0; k <= p; k++) hess[j][k] += (prob * (1 - prob) * a[j] * a[k]) / n;
      }
    }
    for (let j = 1; j <= p; j++) {
      grad[j] += alpha * theta[j];
      hess[j][j] += alpha;
    }
    const step = solve(hess, grad);
    theta = theta.map((t, j) => t - step[j]);
  }
  return theta;
}

const near = (actual: readonly number[], expected: readonly number[], tol: number, what: string) =>
  expected.forEach((e, j) => assert.ok(Math.abs(actual[j] - e) <= tol, `${what}[${j}]: ${actual[j]} vs ${e}`));

test('logistic regression matches an independent Newton solution to 1e-6 (L-BFGS and coordinate descent)', () => {
  const { rows, y } = problem(60, 2, 11);
  const X = FeatureMatrix.fromRows(rows);
  for (const alpha of [0, 0.05]) {
    const reference = newtonLogistic(rows, y, alpha);
    for (const solver of ['lbfgs', 'cd']) {
      const model = fitLogisticRegression(X, y, { params: { alpha, standardize: false, solver, tol: 1e-14, max_iter: 5000 } });
      assert.equal(model.training.converged, true, `${solver} alpha ${alpha}`);
      near(model.coef, reference.slice(1), 1e-6, `${solver} alpha ${alpha} coef`);
      near(model.intercept, [reference[0]], 1e-6, `${solver} alpha ${alpha} intercept`);
    }
  }
});

test('with standardize, the penalty applies on the standardized scale (Newton on standardized features agrees)', () => {
  const { rows, y } = problem(60, 2, 12);
  const model = fitLogisticRegression(FeatureMatrix.fromRows(rows), y, { params: { alpha: 0.1, tol: 1e-14 } });
  const { center, scale } = model.standardized;
  const reference = newtonLogistic(rows.map((r) => r.map((x, j) => (x - center[j]) / scale[j])), y, 0.1);
  near(model.standardized.coef, reference.slice(1), 1e-6, 'standardized coef');
  near(model.coef, reference.slice(1).map((c, j) => c / scale[j]), 1e-6, 'coef');
});

test('L1-penalised logistic regression satisfies the KKT conditions and zeroes weak coefficients', () => {
  const { rows, y } = problem(80, 2, 13);
  const alpha = 0.04;
  const l1 = 0.8;
  const model = fitLogisticRegression(FeatureMatrix.fromRows(rows), y, { params: { alpha, l1_ratio: l1, standardize: false, tol: 1e-14 } });
  assert.equal(model.training.solver, 'cd');
  const n = rows.length;
  const grad = [0, 0, 0];
  let gradIntercept = 0;
  rows.forEach((r, i) => {
    const prob = 1 / (1 + Math.exp(-(model.intercept[0] + r.reduce((s, x, j) => s + x * model.coef[j], 0))));
    gradIntercept += (prob - y[i]) / n;
    r.forEach((x, j) => (grad[j] += ((prob - y[i]) * x) / n));
  });
  assert.ok(Math.abs(gradIntercept) < 1e-7, `intercept gradient ${gradIntercept}`);
  model.coef.forEach((c, j) => {
    const smooth = grad[j] + alpha * (1 - l1) * c;
    if (c !== 0) assert.ok(Math.abs(smooth + alpha * l1 * Math.sign(c)) < 1e-7, `active ${j}: ${smooth}`);
    else assert.ok(Math.abs(smooth) <= alpha * l1 + 1e-9, `inactive ${j}: ${smooth}`);
  });
  assert.ok(model.coef.some((c) => c === 0) && model.coef.some((c) => c !== 0), `a mix of zero and non-zero coefficients: ${model.coef}`);
});

test('two-class softmax with penalty alpha equals logistic regression with alpha / 2 on the score difference', () => {
  const { rows, y } = problem(50, 2, 14);
  const X = FeatureMatrix.fromRows(rows);
  const logistic = fitLogisticRegression(X, y, { params: { alpha: 0.05, standardize: false, tol: 1e-13 } });
  const softmax = fitSoftmaxRegression(X, y, { params: { alpha: 0.1, standardize: false, tol: 1e-13 } });
  assert.equal(softmax.outputs, 2);
  near([0, 1, 2].map((j) => softmax.coef[3 + j] - softmax.coef[j]), logistic.coef, 1e-7, 'coef difference');
  near([softmax.intercept[1] - softmax.intercept[0]], logistic.intercept, 1e-7, 'intercept difference');
  near([softmax.intercept[0] + softmax.intercept[1]], [0], 1e-15, 'centred intercepts');
});

test('three-class softmax: the penalised gradient vanishes at the solution, for either solver', () => {
  const { rows, y } = problem(90, 3, 15);
  const X = FeatureMatrix.fromRows(rows);
  for (const [solver, l1] of [['lbfgs', 0], ['cd', 0], ['cd', 0.5]] as const) {
    const alpha = 0.02;
    const model = fitSoftmaxRegression(X, y, { params: { alpha, l1_ratio: l1, standardize: false, solver, tol: 1e-14 } });
    const n = rows.length;
    const grad = Array.from({ length: 3 }, () => [0, 0, 0]);
    const gradIntercept = [0, 0, 0];
    rows.forEach((r, i) => {
      const scores = [0, 1, 2].map((k) => model.intercept[k] + r.reduce((s, x, j) => s + x * model.coef[k * 3 + j], 0));
      const max = Math.max(...scores);
      const total = scores.reduce((s, v) => s + Math.exp(v - max), 0);
      scores.forEach((v, k) => {
        const residual = (Math.exp(v - max) / total - (y[i] === k ? 1 : 0)) / n;
        gradIntercept[k] += residual;
        r.forEach((x, j) => (grad[k][j] += residual * x));
      });
    });
    near(gradIntercept, [0, 0, 0], 1e-7, `${solver} intercept gradient`);
    grad.forEach((g, k) =>
      g.forEach((gj, j) => {
        const c = model.coef[k * 3 + j];
        const smooth = gj + alpha * (1 - l1) * c;
        if (c !== 0) assert.ok(Math.abs(smooth + alpha * l1 * Math.sign(c)) < 1e-7, `${solver} l1 ${l1} class ${k} feature ${j}: ${smooth}`);
        else assert.ok(Math.abs(smooth) <= alpha * l1 + 1e-9, `${solver} inactive ${k},${j}`);
      }),
    );
  }
});

test('predictions: σ(b + w·x) for logistic, row-major softmax for multiclass; the row path agrees; the state round-trips', () => {
  const { rows, y } = problem(40, 3, 16);
  const X = FeatureMatrix.fromRows(rows, ['a', 'b', 'c']);
  const binary = fitLogisticRegression(X, y.map((k) => (k === 2 ? 'yes' : 'no')), { params: { alpha: 0.01 } });
  assert.deepEqual(binary.classes, ['no', 'yes']);
  const p = predictLinear(binary, X);
  rows.forEach((r, i) => assert.ok(Math.abs(p[i] - 1 / (1 + Math.exp(-(binary.intercept[0] + r.reduce((s, x, j) => s + x * binary.coef[j], 0))))) < 1e-15));
  const softmax = fitSoftmaxRegression(X, y, { params: { alpha: 0.01 } });
  const probabilities = predictLinear(softmax, X);
  assert.equal(probabilities.length, 120);
  const row = new Float64Array(5);
  for (let i = 0; i < 40; i++) {
    predictLinearRow(softmax, rows[i], row, 2);
    assert.deepEqual(Array.from(row.subarray(2)), Array.from(probabilities.subarray(i * 3, i * 3 + 3)));
    assert.ok(Math.abs(row[2] + row[3] + row[4] - 1) < 1e-15);
  }
  for (const model of [binary, softmax]) {
    const text = canonicalJson(model);
    const restored = LinearModelState.parse(JSON.parse(text));
    assert.equal(canonicalJson(restored), text);
    assert.deepEqual(predictLinear(restored, X), predictLinear(model, X));
  }
});
