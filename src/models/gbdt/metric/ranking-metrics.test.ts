import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { createMetrics } from './create-metrics.js';
import { MapMetric, NdcgMetric } from './ranking-metrics.js';

const f = (...v: number[]): Float64Array => Float64Array.from(v);
const b = (...v: number[]): Int32Array => Int32Array.from(v);

function near(actual: number, expected: number, tol = 1e-15): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

// Query A: labels [3, 2, 0, 1], scores [0.1, 0.4, 0.3, 0.2] → ranked rows 1, 2, 3, 0 (labels 2, 0, 1, 3).
// Gains 2^y − 1, discounts 1/log2(2 + r): d = [1, 0.6309, 0.5, 0.4307].
// DCG@1 = 3, best 7 → 3/7. DCG@2 = 3, best 7 + 3·d1. DCG@3 = 3 + 1·d2, best 7 + 3·d1 + 1·d2.
// DCG@5 (the whole query) = 3 + d2 + 7·d3, best the same as at 3 (label 0 adds nothing).
const d = [1, 1 / Math.log2(3), 0.5, 1 / Math.log2(5)];
const A = { label: [3, 2, 0, 1], score: [0.1, 0.4, 0.3, 0.2] };
const ndcgA = { 1: 3 / 7, 2: 3 / (7 + 3 * d[1]), 3: (3 + d[2]) / (7 + 3 * d[1] + d[2]), 5: (3 + d[2] + 7 * d[3]) / (7 + 3 * d[1] + d[2]) };

test('NDCG@k: hand values on one query (k beyond the query size means the whole query)', () => {
  for (const [k, expected] of Object.entries(ndcgA)) {
    near(new NdcgMetric(Number(k), 1, []).evaluate(f(...A.score), f(...A.label), null, b(0, 4)), expected);
  }
  near(ndcgA[1], 0.42857142857142855);
  near(ndcgA[5], 0.6935890634491111);
});

test('NDCG: a query whose labels are all 0 counts as 1 (LightGBM); the mean is over queries', () => {
  const label = f(...A.label, 0, 0);
  const score = f(...A.score, 0.2, 0.9);
  const m = new NdcgMetric(3, 1, []);
  near(m.evaluate(score, label, null, b(0, 4, 6)), (ndcgA[3] + 1) / 2);
  near((ndcgA[3] + 1) / 2, 0.6863131335565494);
  assert.equal(m.name, 'ndcg@3');
  assert.equal(m.higherIsBetter, true);
});

test('NDCG: tied scores keep row order (LightGBM\'s stable sort)', () => {
  assert.equal(new NdcgMetric(1, 1, []).evaluate(f(0.5, 0.5), f(0, 1), null, b(0, 2)), 0);
  assert.equal(new NdcgMetric(1, 1, []).evaluate(f(0.5, 0.5), f(1, 0), null, b(0, 2)), 1);
});

test('NDCG weighted: each query counts the mean of its row weights; label_gain changes the gains', () => {
  // Query 1 (weights 1, 3 → 2): ranked labels 0, 1 → DCG@1 0 → NDCG 0. Query 2 (weight 1): perfect → 1.
  near(new NdcgMetric(1, 1, []).evaluate(f(0.9, 0.1, 0.9, 0.1), f(0, 1, 1, 0), f(1, 3, 1, 1), b(0, 2, 4)), (0 * 2 + 1 * 1) / 3);
  // Gains [0, 1, 10]: ranked labels 1, 2 → DCG@2 = 1 + 10·d1, best 10 + 1·d1.
  near(new NdcgMetric(2, 1, [0, 1, 10]).evaluate(f(0.9, 0.1), f(1, 2), null, b(0, 2)), (1 + 10 * d[1]) / (10 + d[1]));
});

test('MAP@k: hand values; a row is relevant when label > 0.5; no relevant rows counts as 1', () => {
  // Ranked labels 1, 0, 1: hits at ranks 1 and 3 → AP@1 = 1/min(2,1), AP@2 = 1/2, AP@3 = (1 + 2/3)/2.
  const score = f(0.9, 0.8, 0.1);
  const label = f(1, 0, 1);
  near(new MapMetric(1).evaluate(score, label, null, b(0, 3)), 1);
  near(new MapMetric(2).evaluate(score, label, null, b(0, 3)), 0.5);
  near(new MapMetric(3).evaluate(score, label, null, b(0, 3)), (1 + 2 / 3) / 2);
  near(new MapMetric(3).evaluate(f(...score, 0.3), f(...label, 0), null, b(0, 3, 4)), ((1 + 2 / 3) / 2 + 1) / 2);
});

test('createMetrics: ndcg and map give one metric per sorted, distinct eval_at position; aliases resolve', () => {
  const names = (params: Record<string, unknown>): string[] => createMetrics(resolveGbdtParams(params), 'l2').map((m) => m.name);
  assert.deepEqual(createMetrics(resolveGbdtParams({ objective: 'lambdarank' }), 'ndcg').map((m) => m.name), ['ndcg@1', 'ndcg@2', 'ndcg@3', 'ndcg@4', 'ndcg@5']);
  assert.deepEqual(names({ metric: 'lambdarank,map', ndcg_eval_at: '5,1,3,3' }), ['ndcg@1', 'ndcg@3', 'ndcg@5', 'map@1', 'map@3', 'map@5']);
  assert.deepEqual(names({ metric: 'mean_average_precision', map_at: [10] }), ['map@10']);
});

test('eval_at must be positive → GBDT_PARAM_INVALID', () => {
  assert.throws(() => resolveGbdtParams({ eval_at: '1,0' }), { code: 'LOOM_ERR_GBDT_PARAM_INVALID', details: { field: 'eval_at' } });
});

test('NDCG without query boundaries → GBDT_GROUP_MISSING', () => {
  assert.throws(() => new NdcgMetric(1, 1, []).evaluate(f(1, 2), f(0, 1), null), { code: 'LOOM_ERR_GBDT_GROUP_MISSING' });
});
