import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn } from '../../core/frame/column-builders.js';
import { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import { fitLinearModel } from './fit/fit-linear-model.js';
import { fitLinearRegression } from './fit-linear-regression.js';
import { fitLogisticRegression } from './fit-logistic-regression.js';
import { fitSoftmaxRegression } from './fit-softmax-regression.js';
import { LinearModelState } from './linear-model-state.js';
import { resolveLinearParams } from './params/resolve-linear-params.js';
import { predictLinear } from './predict/predict-linear.js';
import { predictLinearRow } from './predict/predict-linear-row.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const X = FeatureMatrix.fromRows([[1, 2], [2, 1], [3, 5], [4, 3]], ['a', 'b']);

test('parameters: aliases and strings resolve; unknown names and bad values are coded errors naming the parameter', () => {
  const p = resolveLinearParams({ loss: 'logistic', lambda: '0.5', intercept: 'false', max_iterations: 7 });
  assert.deepEqual([p.objective, p.alpha, p.fit_intercept, p.max_iter, p.l1_ratio], ['binary', 0.5, false, 7, 0]);
  assert.throws(() => resolveLinearParams({ alpah: 1 }), coded('LOOM_ERR_MODEL_PARAM_UNKNOWN', { field: 'alpah' }));
  assert.throws(() => resolveLinearParams({ alpha: -1 }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'alpha' }));
  assert.throws(() => resolveLinearParams({ l1_ratio: 1.5 }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'l1_ratio' }));
  assert.throws(() => resolveLinearParams({ max_iter: 2.5 }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'max_iter' }));
  assert.throws(() => resolveLinearParams({ alpha: 1, lambda: 2 }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'alpha' }));
  assert.throws(() => resolveLinearParams({ solver: 'lbfgs', alpha: 0.1, l1_ratio: 0.5 }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'solver' }));
  assert.throws(() => fitLinearRegression(X, [1, 2, 3, 4], { params: { objective: 'binary' } }), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'objective' }));
});

test('a target with one class, or three classes for logistic regression, is rejected naming the field', () => {
  assert.throws(() => fitLogisticRegression(X, categoryColumn('churn', ['no', 'no', 'no', 'no'])), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'churn' }));
  assert.throws(() => fitSoftmaxRegression(X, [1, 1, 1, 1]), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y' }));
  assert.throws(() => fitLogisticRegression(X, ['a', 'b', 'c', 'a']), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y' }));
  assert.throws(() => fitLogisticRegression(X, [0, 1, null, 1] as never), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y', row: 2 }));
});

test('a non-numeric target for regression is rejected naming the field', () => {
  assert.throws(() => fitLinearRegression(X, categoryColumn('price', ['1', '2', '3', '4'])), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'price' }));
  assert.throws(() => fitLinearModel(X, ['1', '2', '3', '4'] as never), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y' }));
  assert.throws(() => fitLinearRegression(X, floatColumn('price', [1, 2, Number.POSITIVE_INFINITY, 4])), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'price', row: 2 }));
});

test('empty data, an all-missing feature and NaN in X are rejected naming the field', () => {
  assert.throws(() => fitLinearRegression(FeatureMatrix.create(new Float64Array(0), 2, ['a', 'b']), []), coded('LOOM_ERR_MODEL_DATA_EMPTY', { field: 'X' }));
  assert.throws(() => fitLinearRegression(FeatureMatrix.create(new Float64Array(0), 0), []), coded('LOOM_ERR_MODEL_DATA_EMPTY', { field: 'X' }));
  const allMissing = FeatureMatrix.fromRows([[1, null], [2, null], [3, null]], ['age', 'income']);
  assert.throws(() => fitLogisticRegression(allMissing, [0, 1, 0]), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'income' }));
  const hole = FeatureMatrix.fromRows([[1, 5], [Number.NaN, 6], [3, 7]], ['age', 'income']);
  assert.throws(() => fitLinearRegression(hole, [1, 2, 3]), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'age', row: 1 }));
  assert.throws(() => fitLinearRegression(X, [1, 2, 3]), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'y' }));
  assert.throws(() => fitLinearRegression(X, [1, 2, 3, 4], { sampleWeight: [1, 1, -1, 1] }), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'sampleWeight', row: 2 }));
});

test('prediction input: wrong columns, short buffers and non-finite values are coded errors', () => {
  const model = fitLinearRegression(X, [1, 2, 3, 4]);
  assert.throws(() => predictLinear(model, FeatureMatrix.fromRows([[1, 2, 3]])), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'X' }));
  assert.throws(() => predictLinear(model, FeatureMatrix.fromRows([[1, 2]], ['b', 'a'])), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'X' }));
  assert.throws(() => predictLinear(model, X, new Float64Array(3)), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'out' }));
  assert.throws(() => predictLinear(model, FeatureMatrix.fromRows([[1, 2], [3, null]], ['a', 'b'])), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'b', row: 1 }));
  assert.throws(() => predictLinearRow(model, [1], new Float64Array(1)), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'row' }));
  assert.throws(() => predictLinearRow(model, [1, Number.NaN], new Float64Array(1)), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'b' }));
  assert.throws(() => predictLinearRow(model, [1, 2], new Float64Array(1), 1), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'out' }));
});

test('a stored state with the wrong version, shape or params is rejected', () => {
  const state = JSON.parse(JSON.stringify(fitSoftmaxRegression(X, ['a', 'b', 'c', 'a'])));
  const broken = (edit: (s: any) => void) => () => {
    const copy = structuredClone(state);
    edit(copy);
    LinearModelState.parse(copy);
  };
  assert.throws(broken((s) => (s.version = 9)), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'version' }));
  assert.throws(broken((s) => s.coef.pop()), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'coef' }));
  assert.throws(broken((s) => (s.outputs = 2)), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'outputs' }));
  assert.throws(broken((s) => (s.kind = 'tree')), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'kind' }));
  assert.throws(broken((s) => (s.params.alpha = -1)), coded('LOOM_ERR_MODEL_PARAM_INVALID', { field: 'alpha' }));
  assert.ok(LinearModelState.is(state) && !LinearModelState.is({ kind: 'prior_classifier' }));
});
