import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, stringColumn } from '../../../core/frame/column-builders.js';
import { Frame } from '../../../core/frame/frame.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { PreprocessStep } from './preprocess-step.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const fit = (step: unknown, frame: Frame) => Pipeline.create([step]).fitTransform(frame, { target: null });
const rows = (frame: Frame) => frame.toRecords();
const train = new Frame([categoryColumn('color', ['red', 'blue', 'red', 'green', null, 'red'])]);

test('one-hot: kept categories in value order, rare ones in the other bucket, null is all zeros', () => {
  const { fitted, frame } = fit(PreprocessStep.oneHot({ columns: ['color'], minFrequency: 2 }), train);
  assert.deepEqual(fitted.state.steps[0], { kind: 'one_hot', columns: ['color'], handleUnknown: 'other', categories: [['red']], rare: [['blue', 'green']] });
  assert.deepEqual(frame.names, ['color=red', 'color=__other__']);
  assert.deepEqual(rows(frame).map((r) => [r['color=red'], r['color=__other__']]), [[1, 0], [0, 1], [1, 0], [0, 1], [0, 0], [1, 0]]);
});

test('one-hot: unseen categories follow handleUnknown; values are matched by string, not by code', () => {
  // Another dictionary order, an unseen value and a string column: the encoding must not change.
  const serving = new Frame([stringColumn('color', ['purple', 'red', 'blue', 'green'])]);
  const other = fit(PreprocessStep.oneHot({ columns: ['color'] }), train).fitted;
  assert.deepEqual(other.featureNames, ['color=blue', 'color=green', 'color=red', 'color=__other__']);
  assert.deepEqual(rows(other.transform(serving)).map(Object.values), [[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  const reordered = new Frame([categoryColumn('color', ['green', 'red'], [], ['red', 'green'])]);
  assert.deepEqual(rows(other.transform(reordered)).map(Object.values), [[0, 1, 0, 0], [0, 0, 1, 0]]);
  const zeros = fit(PreprocessStep.oneHot({ columns: ['color'], handleUnknown: 'zeros' }), train).fitted;
  assert.deepEqual(zeros.featureNames, ['color=blue', 'color=green', 'color=red']);
  assert.deepEqual(rows(zeros.transform(serving))[0], { 'color=blue': 0, 'color=green': 0, 'color=red': 0 });
  const strict = fit(PreprocessStep.oneHot({ columns: ['color'], handleUnknown: 'error', minFrequency: 2 }), train).fitted;
  assert.deepEqual(rows(strict.transform(new Frame([stringColumn('color', ['blue'])])))[0], { 'color=red': 0, 'color=__other__': 1 }, 'a rare value was seen: it goes to the bucket');
  assert.throws(() => strict.transform(serving), coded('LOOM_ERR_PREPROCESS_UNSEEN_CATEGORY', { field: 'color', value: 'purple', row: 0 }));
});

test('ordinal: codes in value order, unseen to -1 (or a chosen value, or an error), null stays null', () => {
  const frame = new Frame([categoryColumn('size', ['m', 'l', 's', 'l', null])]);
  const { fitted, frame: out } = fit(PreprocessStep.ordinal({ columns: ['size'] }), frame);
  assert.deepEqual(fitted.state.steps[0], { kind: 'ordinal', columns: ['size'], handleUnknown: 'value', unknownValue: -1, categories: [['l', 'm', 's']] });
  assert.deepEqual(rows(out).map((r) => r.size), [1, 0, 2, 0, null]);
  const serving = new Frame([stringColumn('size', ['xl', 's'])]);
  assert.deepEqual(rows(fitted.transform(serving)).map((r) => r.size), [-1, 2]);
  const custom = fit(PreprocessStep.ordinal({ columns: ['size'], unknownValue: 99 }), frame).fitted;
  assert.deepEqual(rows(custom.transform(serving)).map((r) => r.size), [99, 2]);
  const strict = fit(PreprocessStep.ordinal({ columns: ['size'], handleUnknown: 'error' }), frame).fitted;
  assert.throws(() => strict.transform(serving), coded('LOOM_ERR_PREPROCESS_UNSEEN_CATEGORY', { field: 'size', value: 'xl' }));
});

test('category encoders reject numeric columns', () => {
  const frame = Pipeline.create([]).fit(train, { target: null });
  assert.deepEqual(frame.featureNames, ['color']);
  const numeric = new Frame([{ type: 'float', name: 'x', length: 1, values: Float64Array.of(1), validity: null, tags: [] }]);
  assert.throws(() => fit(PreprocessStep.oneHot({ columns: ['x'] }), numeric), coded('LOOM_ERR_PREPROCESS_COLUMN_TYPE', { field: 'x' }));
  assert.throws(() => fit(PreprocessStep.ordinal({ columns: ['x'] }), numeric), coded('LOOM_ERR_PREPROCESS_COLUMN_TYPE', { field: 'x' }));
});
