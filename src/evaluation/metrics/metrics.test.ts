import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AucMetric } from '../../models/gbdt/metric/auc-metric.js';
import { isLoomError } from '../../core/errors/index.js';
import { aucOfSorted, averagePrecision, averagePrecisionOfSorted, BINARY_METRICS } from './binary-metrics.js';
import type { MetricSample } from './metric-sample.js';
import { selectMetrics } from './metric-registry.js';
import { MULTICLASS_METRICS } from './multiclass-metrics.js';
import { mapAt, ndcgAt, recallAt } from './ranking-metrics.js';
import { REGRESSION_METRICS } from './regression-metrics.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const sample = (y: number[], p: number[], extra: Partial<MetricSample> = {}): MetricSample => ({ y: Float64Array.from(y), p: Float64Array.from(p), k: 1, threshold: 0.5, query: null, ...extra });
const value = (list: typeof BINARY_METRICS, name: string, s: MetricSample): number => list.find((m) => m.name === name)!.compute(s);

test('binary metrics on the scikit-learn example y=[0,0,1,1], p=[0.1,0.4,0.35,0.8]', () => {
  const s = sample([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  close(value(BINARY_METRICS, 'auc', s), 0.75); // roc_auc_score docs example
  close(value(BINARY_METRICS, 'pr_auc', s), 0.8333333333333333); // average_precision_score docs example
  close(value(BINARY_METRICS, 'log_loss', s), -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4);
  close(value(BINARY_METRICS, 'brier', s), (0.01 + 0.16 + 0.4225 + 0.04) / 4);
  // At 0.5 only 0.8 is positive: TP 1, FN 1, FP 0, TN 2.
  close(value(BINARY_METRICS, 'accuracy', s), 0.75);
  close(value(BINARY_METRICS, 'precision', s), 1);
  close(value(BINARY_METRICS, 'recall', s), 0.5);
  close(value(BINARY_METRICS, 'f1', s), 2 / 3);
  // At 0.3: 0.4, 0.35, 0.8 positive: TP 2, FP 1.
  close(value(BINARY_METRICS, 'precision', { ...s, threshold: 0.3 }), 2 / 3);
  close(value(BINARY_METRICS, 'recall', { ...s, threshold: 0.3 }), 1);
});

test('AUC is undefined with one class, and precision with nothing predicted positive is 0', () => {
  assert.ok(Number.isNaN(value(BINARY_METRICS, 'auc', sample([1, 1], [0.2, 0.9]))));
  assert.ok(Number.isNaN(averagePrecision(Float64Array.from([0, 0]), Float64Array.from([0.2, 0.9]))));
  assert.equal(value(BINARY_METRICS, 'precision', sample([0, 1], [0.1, 0.2])), 0);
});

test('the sorted sweeps agree with AucMetric and averagePrecision, ties included', () => {
  const y = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
  const p = [0.2, 0.2, 0.5, 0.5, 0.5, 0.1, 0.9, 0.9, 0.3, 0.7, 0.05, 0.3];
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const ys = Float64Array.from(order, (i) => y[i]);
  const ps = Float64Array.from(order, (i) => p[i]);
  close(aucOfSorted(ys, ps), new AucMetric().evaluate(Float64Array.from(p), Float64Array.from(y), null));
  close(averagePrecisionOfSorted(ys, ps), averagePrecision(Float64Array.from(y), Float64Array.from(p)));
  // Hand count for AP with ties: thresholds 0.9 (1 of 2 positive), 0.7 (0/1), 0.5 (2/3), 0.3 (1/2), 0.2 (1/2), 0.1, 0.05 (1/1)
  // recall steps 1/6, 2/6, 1/6, 1/6, 1/6 at precisions 1/2, 3/6, 4/8, 5/10, 6/12 → AP = 0.5.
  close(averagePrecision(Float64Array.from(y), Float64Array.from(p)), 0.5);
});

test('regression metrics on the scikit-learn example y=[3,-0.5,2,7], ŷ=[2.5,0,2,8]', () => {
  const s = sample([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
  close(value(REGRESSION_METRICS, 'mae', s), 0.5);
  close(value(REGRESSION_METRICS, 'rmse', s), Math.sqrt(0.375));
  close(value(REGRESSION_METRICS, 'r2', s), 0.9486081370449679);
  close(value(REGRESSION_METRICS, 'mape', s), 0.3273809523809524);
  assert.equal(value(REGRESSION_METRICS, 'r2', sample([2, 2], [2, 2])), 1);
  assert.equal(value(REGRESSION_METRICS, 'r2', sample([2, 2], [1, 2])), 0);
});

test('multiclass metrics: class-major probabilities, arg-max decisions', () => {
  // 3 rows, 3 classes; true classes 0, 1, 2; arg-max 0, 2, 2.
  const p = Float64Array.from([0.7, 0.1, 0.2, /* class 1 */ 0.2, 0.3, 0.1, /* class 2 */ 0.1, 0.6, 0.7]);
  const s: MetricSample = { y: Float64Array.from([0, 1, 2]), p, k: 3, threshold: 0.5, query: null };
  close(value(MULTICLASS_METRICS, 'accuracy', s), 2 / 3);
  close(value(MULTICLASS_METRICS, 'log_loss', s), -(Math.log(0.7) + Math.log(0.3) + Math.log(0.7)) / 3);
  // F1 per class: 0 → 1, 1 → 0, 2 → 2·1/(2·1 + 1 FP) = 2/3.
  close(value(MULTICLASS_METRICS, 'f1_macro', s), (1 + 0 + 2 / 3) / 3);
});

test('ranking metrics per query: NDCG (gain 2^rel − 1), MAP@k and recall@k, averaged over queries', () => {
  // Query 0: relevances in score order 3, 2, 3, 0, 1, 2. Query 1: no relevant rows.
  const rel = [3, 2, 3, 0, 1, 2, 0, 0];
  const score = [6, 5, 4, 3, 2, 1, 2, 1];
  const s = sample(rel, score, { query: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1]) });
  const dcg = 7 / Math.log2(2) + 3 / Math.log2(3) + 7 / Math.log2(4) + 0 + 1 / Math.log2(6) + 3 / Math.log2(7);
  const idcg = 7 / Math.log2(2) + 7 / Math.log2(3) + 3 / Math.log2(4) + 3 / Math.log2(5) + 1 / Math.log2(6) + 0;
  close(ndcgAt(s, 6), (dcg / idcg + 1) / 2); // the empty query counts 1, as in LightGBM
  const dcg3 = 7 + 3 / Math.log2(3) + 7 / 2;
  const idcg3 = 7 + 7 / Math.log2(3) + 3 / 2;
  close(ndcgAt(s, 3), (dcg3 / idcg3 + 1) / 2);
  // Binary relevance, order 1,1,1,0,1,1: AP@3 = (1 + 1 + 1) / 3 = 1; AP@6 = (1+1+1+4/5+5/6)/5.
  close(mapAt(s, 3), (1 + 1) / 2);
  close(mapAt(s, 6), ((1 + 1 + 1 + 4 / 5 + 5 / 6) / 5 + 1) / 2);
  // recall@2: 2 of 5 relevant; the empty query is left out.
  close(recallAt(s, 2), 2 / 5);
});

test('a metric of another task is a coded error naming the metric', () => {
  assert.throws(() => selectMetrics('regression', ['auc']), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE' && e.details?.metric === 'auc');
  assert.deepEqual(selectMetrics('ranking', ['ndcg@5']).map((m) => m.name), ['ndcg@5']);
  assert.deepEqual(selectMetrics('binary', ['f1', 'auc']).map((m) => m.name), ['f1', 'auc']);
});
