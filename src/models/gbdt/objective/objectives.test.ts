import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { createObjective } from './create-objective.js';
import { MULTICLASS_HESSIAN_FLOOR } from './multiclass-softmax.js';
import type { Objective } from './objective.js';
import { percentile, weightedPercentile } from './percentile.js';

function objective(params: Record<string, unknown>, label: number[], weight: number[] | null = null): Objective {
  const o = createObjective(resolveGbdtParams(params));
  o.init(Float64Array.from(label), weight === null ? null : Float64Array.from(weight), 'y');
  return o;
}

function gradients(o: Objective, score: number[]): { g: number[]; h: number[] } {
  const g = new Float64Array(score.length);
  const h = new Float64Array(score.length);
  o.gradients(Float64Array.from(score), g, h);
  return { g: Array.from(g), h: Array.from(h) };
}

/** Element-wise |a − e| <= tol. */
function close(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-15): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `[${i}] ${actual[i]} vs ${expected[i]}`);
}

function labelError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

test('regression (L2): g = score − label, h = 1, times the weight; starts at the weighted mean', () => {
  const o = objective({ objective: 'regression' }, [1, 3, 5], [1, 2, 1]);
  assert.deepEqual(gradients(o, [3, 3, 3]), { g: [2, 0, -2], h: [1, 2, 1] });
  assert.equal(o.boostFromScore(0), (1 + 6 + 5) / 4);
});

test('regression_l1: g = sign(score − label); starts at the median; leaves refit to the residual median', () => {
  const o = objective({ objective: 'l1' }, [1, 2, 10]);
  assert.deepEqual(gradients(o, [3, 2, 3]), { g: [1, 0, -1], h: [1, 1, 1] });
  assert.equal(o.boostFromScore(0), 2);
  assert.equal(o.renewLeafOutput(Float64Array.of(4, -1, 2, 7), null, 4), 3);
});

test('huber: g = score − label within alpha, ±alpha beyond', () => {
  const o = objective({ objective: 'huber', alpha: 1 }, [0, 0, 0]);
  assert.deepEqual(gradients(o, [0.5, 3, -3]), { g: [0.5, 1, -1], h: [1, 1, 1] });
});

test('quantile: g = 1 − alpha above the label, −alpha below; refit to the alpha percentile', () => {
  const o = objective({ objective: 'quantile', alpha: 0.9 }, [1, 1]);
  const { g } = gradients(o, [2, 0]);
  assert.ok(Math.abs(g[0] - 0.1) < 1e-15 && g[1] === -0.9);
  assert.equal(o.renewLeafOutput(Float64Array.of(1, 2, 3, 4), null, 4), 4 - 1 * 0.30000000000000004);
});

test('poisson: g = exp(score) − label, h = exp(score + poisson_max_delta_step); starts at log(mean)', () => {
  const o = objective({ objective: 'poisson' }, [2, 0, 4]);
  const { g, h } = gradients(o, [0, Math.log(2), 0]);
  assert.deepEqual(g, [-1, 2, -3]);
  assert.deepEqual(h, [Math.exp(0.7), 2 * Math.exp(0.7), Math.exp(0.7)]);
  assert.equal(o.boostFromScore(0), Math.log(2));
  assert.equal(labelError(() => objective({ objective: 'poisson' }, [1, -1])), 'LOOM_ERR_GBDT_LABEL_INVALID');
});

test('binary: g = p − y, h = p(1 − p) at known points; starts at the log-odds of the positive share', () => {
  const o = objective({ objective: 'binary' }, [1, 0, 1, 0]);
  const { g, h } = gradients(o, [0, 0, Math.log(3), Math.log(3)]);
  close(g, [-0.5, 0.5, -0.25, 0.75]);
  close(h, [0.25, 0.25, 0.1875, 0.1875]);
  assert.equal(objective({ objective: 'binary' }, [1, 0, 0, 0]).boostFromScore(0), Math.log(0.25 / 0.75));
  const out = new Float64Array(1);
  o.convertOutput(Float64Array.of(Math.log(3)), 0, 1, out, 0, 1);
  close(out, [0.75]);
  const unbalanced = objective({ objective: 'binary', is_unbalance: true }, [1, 0, 0, 0]);
  assert.deepEqual(gradients(unbalanced, [0, 0, 0, 0]).g, [-1.5, 0.5, 0.5, 0.5]);
});

test('binary rejects labels other than 0/1 and a single class', () => {
  assert.equal(labelError(() => objective({ objective: 'binary' }, [0, 2])), 'LOOM_ERR_GBDT_LABEL_INVALID');
  assert.equal(labelError(() => objective({ objective: 'binary' }, [1, 1, 1])), 'LOOM_ERR_GBDT_LABEL_INVALID');
  assert.equal(labelError(() => objective({ objective: 'regression' }, [1, Number.NaN])), 'LOOM_ERR_GBDT_LABEL_INVALID');
});

test('multiclass softmax: g = p − [y = k], h = K/(K−1)·p(1 − p), class-major; starts at log priors', () => {
  const o = objective({ objective: 'multiclass', num_class: 3 }, [0, 2]);
  const { g, h } = gradients(o, [0, 0, 0, 0, 0, 0]);
  const third = 1 / 3;
  assert.deepEqual(g, [third - 1, third, third, third, third, third - 1]);
  for (const v of h) assert.ok(Math.abs(v - 1.5 * third * (2 / 3)) < 1e-15);
  assert.equal(o.boostFromScore(0), Math.log(0.5));
  assert.equal(o.classNeedsTraining(1), false);
  assert.equal(labelError(() => objective({ objective: 'multiclass', num_class: 3 }, [0, 3])), 'LOOM_ERR_GBDT_LABEL_INVALID');
  assert.equal(labelError(() => objective({ objective: 'multiclass', num_class: 3 }, [1, 1])), 'LOOM_ERR_GBDT_LABEL_INVALID');
  const out = new Float64Array(3);
  o.convertOutput(Float64Array.of(0, Math.log(3), Math.log(4)), 0, 1, out, 0, 1);
  close(out, [1 / 8, 3 / 8, 4 / 8]);
});

test('multiclass guards hessians where the model is sure and wrong: h >= MULTICLASS_HESSIAN_FLOOR·|g|', () => {
  const o = objective({ objective: 'multiclass', num_class: 3 }, [0, 1]);
  // Row 0 (label 0) scores class 2 at 20: p0 ≈ 2e-9, so the softmax hessian of class 0 is ≈ 3e-9 but |g| ≈ 1.
  const { g, h } = gradients(o, [0, 0, 0, 0, 20, 0]);
  const p0 = 1 / (2 + Math.exp(20));
  close([g[0]], [p0 - 1]);
  close([h[0]], [MULTICLASS_HESSIAN_FLOOR * (1 - p0)]);
  // Class 2 of row 0 is sure and wrong too (p ≈ 1, y ≠ 2): floored as well.
  const p2 = Math.exp(20) / (2 + Math.exp(20));
  close([h[4]], [MULTICLASS_HESSIAN_FLOOR * p2]);
  // Row 1 is predicted sensibly (p = 1/3 each): untouched.
  close([h[1]], [1.5 * (1 / 3) * (2 / 3)]);
});

test('percentiles follow LightGBM’s rule; unit weights give the unweighted result', () => {
  assert.equal(percentile(Float64Array.of(4, 1, 3, 2), 4, 0.5), 2.5);
  assert.equal(percentile(Float64Array.of(4, 1, 3, 2), 4, 0.9), 4 - 0.30000000000000004);
  assert.equal(percentile(Float64Array.of(5), 1, 0.5), 5);
  const order = new Int32Array(8);
  const pos = new Float64Array(8);
  assert.equal(weightedPercentile(Float64Array.of(3, 1, 2), Float64Array.of(1, 1, 1), 3, 0.5, order, pos), 2);
  assert.equal(weightedPercentile(Float64Array.of(4, 1, 3, 2), Float64Array.of(1, 1, 1, 1), 4, 0.5, order, pos), 2.5);
  assert.equal(weightedPercentile(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 2), 3, 0.5, order, pos), 2);
  assert.equal(weightedPercentile(Float64Array.of(1, 2), Float64Array.of(3, 1), 2, 0.5, order, pos), 1.5);
});
