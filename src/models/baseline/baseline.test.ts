import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boolColumn, categoryColumn } from '../../core/frame/column-builders.js';
import { canonicalJson } from '../../core/hashing.js';
import { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import { BaselineState } from './baseline-state.js';
import { fitMeanRegressor } from './fit-mean-regressor.js';
import { fitPriorClassifier } from './fit-prior-classifier.js';
import { predictBaseline } from './predict-baseline.js';
import { predictBaselineRow } from './predict-baseline-row.js';
import { weightedMedian } from './weighted-median.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const X4 = FeatureMatrix.fromRows([[0], [1], [2], [3]], ['f']);

test('prior classifier: weighted class frequencies, or all mass on the majority class', () => {
  const prior = fitPriorClassifier(X4, ['no', 'yes', 'no', 'no']);
  assert.deepEqual([prior.classes, prior.probabilities, prior.outputs], [['no', 'yes'], [0.75, 0.25], 1]);
  assert.deepEqual(Array.from(predictBaseline(prior, X4)), [0.25, 0.25, 0.25, 0.25], 'binary: P(classes[1]) per row');
  const weighted = fitPriorClassifier(X4, ['no', 'yes', 'no', 'no'], { sampleWeight: [1, 3, 1, 1] });
  assert.deepEqual(weighted.probabilities, [0.5, 0.5]);
  const majority = fitPriorClassifier(X4, ['no', 'yes', 'no', 'no'], { sampleWeight: [1, 3, 1, 1], params: { strategy: 'majority' } });
  assert.deepEqual(majority.probabilities, [1, 0], 'a tie goes to the first class in label order');
  const three = fitPriorClassifier(X4, categoryColumn('c', ['b', 'c', 'a', 'b']));
  assert.deepEqual([three.classes, three.probabilities, three.outputs, three.target], [['a', 'b', 'c'], [0.25, 0.5, 0.25], 3, 'c']);
  assert.deepEqual(Array.from(predictBaseline(three, FeatureMatrix.fromRows([[9], [9]], ['f']))), [0.25, 0.5, 0.25, 0.25, 0.5, 0.25]);
  const out = new Float64Array(4);
  assert.deepEqual(Array.from(predictBaselineRow(three, [5], out, 1)), [0, 0.25, 0.5, 0.25]);
});

test('mean regressor: weighted mean, or weighted median (middle average on an exact half split)', () => {
  assert.equal(fitMeanRegressor(X4, [1, 2, 3, 10]).value, 4);
  assert.equal(fitMeanRegressor(X4, [1, 2, 3, 10], { sampleWeight: [3, 1, 0, 0] }).value, 1.25);
  assert.equal(fitMeanRegressor(X4, [1, 2, 3, 10], { params: { strategy: 'median' } }).value, 2.5);
  assert.equal(fitMeanRegressor(X4, [10, 1, 3, 2], { params: { strategy: 'median' }, sampleWeight: [1, 1, 1, 2] }).value, 2);
  assert.deepEqual([weightedMedian(Float64Array.from([5, 1, 3]), Float64Array.from([1, 1, 1])), weightedMedian(Float64Array.from([1, 2]), Float64Array.from([1, 0]))], [3, 1]);
  const model = fitMeanRegressor(X4, [1, 2, 3, 10]);
  assert.deepEqual(Array.from(predictBaseline(model, X4)), [4, 4, 4, 4]);
  assert.deepEqual(Array.from(predictBaselineRow(model, [0], new Float64Array(1))), [4]);
});

test('baseline states round-trip through canonical JSON; tampered states are rejected', () => {
  for (const state of [fitPriorClassifier(X4, [true, false, true, true]), fitMeanRegressor(X4, [1, 2, 3, 4], { params: { strategy: 'median' } })]) {
    const text = canonicalJson(state);
    assert.equal(canonicalJson(BaselineState.parse(JSON.parse(text))), text);
  }
  const prior = JSON.parse(JSON.stringify(fitPriorClassifier(X4, [0, 1, 2, 0])));
  prior.probabilities.pop();
  assert.throws(() => BaselineState.parse(prior), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'probabilities' }));
  assert.throws(() => BaselineState.parse({ ...prior, kind: 'oracle' }), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'kind' }));
});

test('baseline failure paths: one class, non-numeric regression target, empty data, all-missing and NaN features, bad params', () => {
  assert.throws(() => fitPriorClassifier(X4, boolColumn('paid', [true, true, true, true])), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'paid' }));
  assert.throws(() => fitMeanRegressor(X4, categoryColumn('price', ['1', '2', '3', '4'])), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'price' }));
  assert.throws(() => fitMeanRegressor(FeatureMatrix.create(new Float64Array(0), 1, ['f']), []), coded('LOOM_ERR_MODEL_DATA_EMPTY', { field: 'X' }));
  assert.throws(() => fitPriorClassifier(FeatureMatrix.fromRows([[null], [null]], ['f']), [0, 1]), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'f' }));
  assert.throws(() => fitMeanRegressor(FeatureMatrix.fromRows([[1], [Number.NaN]], ['f']), [0, 1]), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'f', row: 1 }));
  assert.throws(() => fitMeanRegressor(X4, [1, 2, 3, 4], { params: { strategy: 'mode' } }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'strategy' }));
  assert.throws(() => fitPriorClassifier(X4, [0, 1, 0, 1], { params: { alpha: 1 } }), coded('LOOM_ERR_MODEL_PARAM_UNKNOWN', { field: 'alpha' }));
  const model = fitMeanRegressor(X4, [1, 2, 3, 4]);
  assert.throws(() => predictBaseline(model, FeatureMatrix.fromRows([[1, 2]])), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'X' }));
  assert.throws(() => predictBaseline(model, X4, new Float64Array(2)), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'out' }));
  assert.throws(() => predictBaselineRow(model, [1, 2], new Float64Array(1)), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'row' }));
});
