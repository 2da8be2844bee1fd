import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { AucMetric } from './auc-metric.js';
import { createMetrics } from './create-metrics.js';

const f = (...v: number[]): Float64Array => Float64Array.from(v);

function metric(name: string, extra: Record<string, unknown> = {}) {
  const objective = name.startsWith('multi') ? { objective: 'multiclass', num_class: 3 } : {};
  return createMetrics(resolveGbdtParams({ ...objective, ...extra, metric: name }), 'l2')[0];
}

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-15, `${actual} vs ${expected}`);
}

test('AUC counts tied scores half and weights pairs by w_pos·w_neg', () => {
  const auc = new AucMetric();
  // Pairs (pos, neg): (.9,.8)=1 (.9,.3)=1 (.5,.8)=0 (.5,.3)=1 (.3,.8)=0 (.3,.3)=½ → 3.5/6.
  near(auc.evaluate(f(0.9, 0.8, 0.5, 0.3, 0.3), f(1, 0, 1, 0, 1), null), 3.5 / 6);
  near(auc.evaluate(f(0.9, 0.8, 0.5, 0.3, 0.3), f(1, 0, 1, 0, 1), f(2, 1, 1, 1, 1)), 5.5 / 8);
  assert.equal(auc.evaluate(f(0.1, 0.2), f(1, 1), null), 1);
  assert.equal(auc.evaluate(f(0.1, 0.2, 0.3), f(0, 0, 1), null), 1);
  assert.equal(auc.evaluate(f(0.5, 0.5, 0.5, 0.5), f(0, 1, 0, 1), null), 0.5);
  assert.equal(auc.higherIsBetter, true);
});

test('AUC: the unweighted count and the weighted sweep agree on data with many ties', () => {
  const n = 500;
  const pred = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 37) / 37);
  const label = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 5 < 2 ? 1 : 0));
  const auc = new AucMetric();
  near(auc.evaluate(pred, label, null), auc.evaluate(pred, label, new Float64Array(n).fill(1)));
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (label[i] !== 1 || label[j] !== 0) continue;
    pairs++;
    wins += pred[i] > pred[j] ? 1 : pred[i] === pred[j] ? 0.5 : 0;
  }
  near(auc.evaluate(pred, label, null), wins / pairs);
});

test('binary log loss and error at 0.5', () => {
  near(metric('binary_logloss').evaluate(f(0.8, 0.4), f(1, 0), null), (-Math.log(0.8) - Math.log(0.6)) / 2);
  assert.equal(metric('binary_logloss').evaluate(f(0), f(1), null), -Math.log(Math.fround(1e-15)));
  assert.equal(metric('binary_error').evaluate(f(0.6, 0.5, 0.5, 0.7), f(1, 0, 1, 0), null), 0.5);
  assert.equal(metric('binary_error').evaluate(f(0.6, 0.5, 0.5, 0.7), f(1, 0, 1, 0), f(1, 1, 3, 1)), 4 / 6);
});

test('multiclass log loss and top-k error on class-major probabilities', () => {
  // Rows: [.7 .2 .1] label 0, [.1 .3 .6] label 1. Class-major: class 0 of both rows, then class 1, then class 2.
  const pred = f(0.7, 0.1, 0.2, 0.3, 0.1, 0.6);
  near(metric('multi_logloss').evaluate(pred, f(0, 1), null), (-Math.log(0.7) - Math.log(0.3)) / 2);
  assert.equal(metric('multi_error').evaluate(pred, f(0, 1), null), 0.5);
  assert.equal(metric('multi_error', { multi_error_top_k: 2 }).evaluate(pred, f(0, 1), null), 0);
  assert.equal(metric('multi_error').evaluate(f(0.5, 0.5, 0), f(0), null), 1, 'a tie with the true class counts as an error');
});

test('regression metrics: l2, rmse, l1, huber, quantile, poisson', () => {
  const y = f(1, 2, 3);
  const p = f(2, 2, 5);
  near(metric('l2').evaluate(p, y, null), 5 / 3);
  near(metric('rmse').evaluate(p, y, null), Math.sqrt(5 / 3));
  near(metric('mae').evaluate(p, y, null), 1);
  near(metric('l1').evaluate(p, y, f(1, 1, 2)), (1 + 0 + 2 * 2) / 4);
  near(metric('huber', { alpha: 1 }).evaluate(p, y, null), (0.5 + 0 + 1.5) / 3);
  near(metric('quantile', { alpha: 0.9 }).evaluate(p, y, null), (0.1 * 1 + 0 + 0.1 * 2) / 3);
  near(metric('poisson').evaluate(p, y, null), (2 - Math.log(2) + 2 - 2 * Math.log(2) + 5 - 3 * Math.log(5)) / 3);
});

test('createMetrics: the objective default when empty, none for "none"', () => {
  assert.deepEqual(createMetrics(resolveGbdtParams({}), 'binary_logloss').map((m) => m.name), ['binary_logloss']);
  assert.deepEqual(createMetrics(resolveGbdtParams({ metric: 'auc,rmse' }), 'l2').map((m) => m.name), ['auc', 'rmse']);
  assert.deepEqual(createMetrics(resolveGbdtParams({ metric: 'none' }), 'l2'), []);
});
