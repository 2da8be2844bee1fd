import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../core/errors/index.js';
import { frameFromRecords } from '../core/frame/frame-from-records.js';
import { Random } from '../core/random.js';
import { quantile } from './bootstrap.js';
import { evaluateOutputs } from './evaluate-outputs.js';

const rng = new Random(3);
const rows = Array.from({ length: 400 }, (_, i) => {
  const score = rng.nextFloat();
  return { churned: rng.nextFloat() < score ? 'yes' : 'no', region: i % 3 === 0 ? 'north' : 'south', tenure: i % 48, one: 'x', amount: score * 100 };
});
const frame = frameFromRecords(rows).withTags('churned', ['target']);
const p = Float64Array.from(rows, (r) => r.amount / 100);
const binary = { task: 'binary' as const, classes: ['no', 'yes'], outputs: p, k: 1 };
const regression = { task: 'regression' as const, classes: null, outputs: p, k: 1 };

const coded = (code: string, field?: string) => (e: unknown) => isLoomError(e) && e.code === code && (field === undefined || e.details?.field === field);

test('quantile interpolates linearly between order statistics (NumPy default)', () => {
  assert.equal(quantile(Float64Array.from([4, 1, 3, 2]), 0.25), 1.75);
  assert.equal(quantile(Float64Array.from([1, 2, 3, 4, 5]), 0.5), 3);
});

test('a binary evaluation: seeded, reproducible intervals that bracket the values; stated resamples; everything present', () => {
  const options = { sensitive: ['region'], slices: [{ kind: 'auto' as const, column: 'tenure' }], costMatrix: '0,1,10,0', bootstrap: { resamples: 300, seed: 5 } };
  const a = evaluateOutputs(frame, binary, options);
  const b = evaluateOutputs(frame, binary, options);
  assert.deepEqual(a.metrics, b.metrics);
  assert.deepEqual(a.bootstrap, { method: 'percentile', resamples: 300, seed: 5, level: 0.95, resampling: 'stratified' });
  for (const [name, e] of Object.entries(a.metrics)) assert.ok(e.ci !== null && e.ci[0] <= e.value && e.value <= e.ci[1], name);
  const c = evaluateOutputs(frame, binary, { bootstrap: { resamples: 300, seed: 6 } });
  assert.notDeepEqual(c.metrics.auc.ci, a.metrics.auc.ci);
  assert.equal(a.rows, 400);
  assert.deepEqual(a.confusion_matrix!.labels, ['no', 'yes']);
  assert.equal(a.confusion_matrix!.counts.flat().reduce((x, y) => x + y, 0), 400);
  assert.equal(a.slices.length, 4);
  assert.equal(a.fairness[0].groups.length, 2);
  assert.ok(a.costs!.chosen_expected_cost <= a.costs!.default_expected_cost);
  assert.ok(a.costs!.chosen_threshold < 0.5, 'a missed churner costs 10×, so the threshold drops');
  assert.ok(a.calibration!.ece.value < 0.1);
});

test('bad input gets coded errors naming the field', () => {
  assert.throws(() => evaluateOutputs(frame, regression, { metrics: ['auc'] }), coded('LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE', 'metrics'));
  assert.throws(() => evaluateOutputs(frame.withTags('churned', []).withTags('amount', ['target']), regression, { costMatrix: '0,1,1,0' }), coded('LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE', 'cost-matrix'));
  assert.throws(() => evaluateOutputs(frame, binary, { sensitive: ['one'] }), coded('LOOM_ERR_EVAL_SENSITIVE_ONE_GROUP', 'one'));
  assert.throws(() => evaluateOutputs(frame, binary, { sensitive: ['gender'] }), coded('LOOM_ERR_EVAL_COLUMN_UNKNOWN', 'sensitive'));
  assert.throws(() => evaluateOutputs(frame, binary, { sensitive: ['region'], minGroupSize: 0 }), coded('LOOM_ERR_EVAL_INVALID_OPTION', 'minGroupSize'));
  assert.throws(() => evaluateOutputs(frame, binary, { sensitive: ['region'], minGroupSize: 1e6 }), coded('LOOM_ERR_EVAL_SENSITIVE_GROUPS_TOO_SMALL', 'region'));
  assert.throws(() => evaluateOutputs(frame, binary, { slices: [{ kind: 'value', column: 'regoin' }] }), coded('LOOM_ERR_EVAL_COLUMN_UNKNOWN', 'slice'));
  assert.throws(() => evaluateOutputs(frame, binary, { costMatrix: '0,1,ten,0' }), coded('LOOM_ERR_EVAL_COST_MATRIX_INVALID', 'cost-matrix'));
  assert.throws(() => evaluateOutputs(frame.slice(0, 0), binary, {}), coded('LOOM_ERR_EVAL_EMPTY_DATA'));
  assert.throws(() => evaluateOutputs(frame, binary, { threshold: 1.5 }), coded('LOOM_ERR_EVAL_INVALID_OPTION', 'threshold'));
  assert.throws(() => evaluateOutputs(frame, binary, { bootstrap: { resamples: 0 } }), coded('LOOM_ERR_EVAL_INVALID_OPTION', 'bootstrap'));
  assert.throws(() => evaluateOutputs(frame.withTags('churned', []), binary, {}), coded('LOOM_ERR_EVAL_INVALID_OPTION', 'target'));
  const unknownLabels = frameFromRecords(rows.map((r) => ({ ...r, churned: 'maybe' }))).withTags('churned', ['target']);
  assert.throws(() => evaluateOutputs(unknownLabels, binary, {}), coded('LOOM_ERR_EVAL_EMPTY_DATA', 'churned'));
});

test('ranking: --query turns scores into per-query metrics, resampled by query', () => {
  const ranked = frameFromRecords(Array.from({ length: 60 }, (_, i) => ({ q: `q${i % 6}`, rel: i % 4 === 0 ? 2 : i % 4 === 1 ? 1 : 0 }))).withTags('rel', ['target']);
  const scores = Float64Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? 0.9 : i % 4 === 1 ? 0.5 : 0.1));
  const r = evaluateOutputs(ranked, { task: 'regression', classes: null, outputs: scores, k: 1 }, { query: 'q', k: 3, bootstrap: { resamples: 100 } });
  assert.equal(r.task, 'ranking');
  assert.equal(r.bootstrap!.resampling, 'groups');
  assert.equal(r.metrics['ndcg@3'].value, 1); // the scores order every query perfectly
  assert.equal(r.metrics['map@3'].value, 1);
});

test('multiclass: arg-max confusion matrix with actual rows and predicted columns; fairness and costs do not apply', () => {
  const f = frameFromRecords([{ c: 'a' }, { c: 'b' }, { c: 'c' }, { c: 'c' }]).withTags('c', ['target']);
  // Row-major outputs, 3 per row: arg-max a, c, c, b.
  const outputs = Float64Array.from([0.6, 0.3, 0.1, 0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.2, 0.5, 0.3]);
  const model = { task: 'multiclass' as const, classes: ['a', 'b', 'c'], outputs, k: 3 };
  const r = evaluateOutputs(f, model, { bootstrap: { resamples: 50 } });
  assert.deepEqual(r.confusion_matrix, { labels: ['a', 'b', 'c'], counts: [[1, 0, 0], [0, 0, 1], [0, 1, 1]] });
  assert.equal(r.metrics.accuracy.value, 0.5);
  assert.equal(r.calibration, undefined);
  assert.throws(() => evaluateOutputs(f.withColumn({ ...f.column('c'), name: 'g', tags: [] }), model, { sensitive: ['g'] }), coded('LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE', 'sensitive'));
  assert.throws(() => evaluateOutputs(f, model, { threshold: 0.3 }), coded('LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE', 'threshold'));
});
