import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn, intColumn, timestampColumn } from '../../../core/frame/column-builders.js';
import { checkFeatureMatrix } from './check-feature-matrix.js';
import { encodeClassTarget } from './class-target.js';
import { FeatureMatrix } from './feature-matrix.js';
import { readRegressionTarget } from './regression-target.js';
import { readSampleWeights } from './sample-weights.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

test('FeatureMatrix: row-major, null as NaN, default names, shape checks', () => {
  const X = FeatureMatrix.fromRows([[1, null], [3, 4]]);
  assert.deepEqual([X.rows, X.cols, X.names, Array.from(X.values)], [2, 2, ['x0', 'x1'], [1, Number.NaN, 3, 4]]);
  assert.ok(FeatureMatrix.is(X) && !FeatureMatrix.is({ values: [1] }));
  assert.throws(() => FeatureMatrix.fromRows([[1, 2], [3]]), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'X' }));
  assert.throws(() => FeatureMatrix.create(new Float64Array(5), 2), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'X' }));
  assert.throws(() => FeatureMatrix.create(new Float64Array(4), 2, ['a']), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'X' }));
});

test('checkFeatureMatrix: empty data, all-missing features and non-finite values name the field', () => {
  assert.throws(() => checkFeatureMatrix(FeatureMatrix.create(new Float64Array(0), 3)), coded('LOOM_ERR_MODEL_DATA_EMPTY', { field: 'X' }));
  assert.throws(() => checkFeatureMatrix(FeatureMatrix.create(new Float64Array(0), 0)), coded('LOOM_ERR_MODEL_DATA_EMPTY', { field: 'X' }));
  const allMissing = FeatureMatrix.fromRows([[1, null, 2], [3, null, Number.NaN]], ['a', 'b', 'c']);
  assert.throws(() => checkFeatureMatrix(allMissing), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'b', row: undefined }));
  const oneBad = FeatureMatrix.fromRows([[1, 2], [3, Number.POSITIVE_INFINITY], [5, 6]], ['a', 'b']);
  assert.throws(() => checkFeatureMatrix(oneBad), coded('LOOM_ERR_MODEL_FEATURE_INVALID', { field: 'b', row: 1 }));
  checkFeatureMatrix(FeatureMatrix.fromRows([[1, 2]]));
});

test('class targets: sorted labels from columns and arrays', () => {
  const column = categoryColumn('y', ['yes', 'no', 'maybe', 'no'], [], ['yes', 'no', 'maybe', 'never']);
  assert.deepEqual(encodeClassTarget(column, 4, 'test'), { field: 'y', classes: ['maybe', 'no', 'yes'], codes: Int32Array.from([2, 1, 0, 1]) });
  assert.deepEqual(encodeClassTarget([10, 2, 2, 33], 4, 'test').classes, [2, 10, 33]);
  assert.deepEqual(encodeClassTarget([true, false, true], 3, 'test'), { field: 'y', classes: [false, true], codes: Int32Array.from([1, 0, 1]) });
  assert.deepEqual(encodeClassTarget(intColumn('k', [1, 0, 1]), 3, 'test').codes, Int32Array.from([1, 0, 1]));
});

test('class targets: one class, missing labels, mixed types and wrong lengths are coded errors', () => {
  assert.throws(() => encodeClassTarget(['a', 'a'], 2, 'test'), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y' }));
  assert.throws(() => encodeClassTarget(categoryColumn('label', ['a', null]), 2, 'test'), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'label', row: 1 }));
  assert.throws(() => encodeClassTarget(['a', 1] as never, 2, 'test'), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y', row: undefined }));
  assert.throws(() => encodeClassTarget([0, 1], 3, 'test'), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'y' }));
  assert.throws(() => encodeClassTarget(timestampColumn('t', [0, 1]), 2, 'test'), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 't' }));
});

test('regression targets must be finite numbers', () => {
  assert.deepEqual(readRegressionTarget(intColumn('n', [1, 2]), 2), { field: 'n', values: Float64Array.from([1, 2]) });
  assert.throws(() => readRegressionTarget(categoryColumn('price', ['1', '2']), 2), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'price' }));
  assert.throws(() => readRegressionTarget(['1', '2'] as never, 2), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y', row: 0 }));
  assert.throws(() => readRegressionTarget(floatColumn('v', [1, null]), 2), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'v', row: 1 }));
  assert.throws(() => readRegressionTarget([1, Number.NaN], 2), coded('LOOM_ERR_MODEL_TARGET_INVALID', { field: 'y', row: 1 }));
});

test('sample weights: default ones; negative, non-finite, all-zero and mis-sized weights are rejected', () => {
  assert.deepEqual(readSampleWeights(undefined, 2), Float64Array.from([1, 1]));
  assert.deepEqual(readSampleWeights([0, 2], 2), Float64Array.from([0, 2]));
  assert.throws(() => readSampleWeights([1, -1], 2), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'sampleWeight', row: 1 }));
  assert.throws(() => readSampleWeights([Number.NaN, 1], 2), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'sampleWeight', row: 0 }));
  assert.throws(() => readSampleWeights([0, 0], 2), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'sampleWeight' }));
  assert.throws(() => readSampleWeights([1], 2), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'sampleWeight' }));
});
