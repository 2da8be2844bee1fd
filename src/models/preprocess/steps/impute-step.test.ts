import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn, intColumn, stringColumn } from '../../../core/frame/column-builders.js';
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
const values = (frame: Frame, name: string) => frame.toRecords().map((r) => r[name]);

test('numeric imputation: mean, median, most frequent and constant, with NaN counted as missing', () => {
  const frame = new Frame([floatColumn('x', [1, null, 3, Number.NaN, 8])]);
  assert.deepEqual(values(fit(PreprocessStep.impute({ columns: ['x'] }), frame).frame, 'x'), [1, 4, 3, 4, 8]);
  assert.deepEqual(values(fit(PreprocessStep.impute({ columns: ['x'], strategy: 'median' }), frame).frame, 'x'), [1, 3, 3, 3, 8]);
  const even = new Frame([floatColumn('x', [1, 2, 3, 10, null])]);
  assert.deepEqual(values(fit(PreprocessStep.impute({ columns: ['x'], strategy: 'median' }), even).frame, 'x'), [1, 2, 3, 10, 2.5]);
  const ties = new Frame([intColumn('x', [5, 2, 5, 2, null, 7])]);
  const mode = fit(PreprocessStep.impute({ columns: ['x'], strategy: 'most_frequent' }), ties);
  assert.deepEqual(values(mode.frame, 'x'), [5, 2, 5, 2, 2, 7], 'ties go to the smallest value');
  assert.equal(mode.frame.column('x').type, 'float');
  assert.deepEqual(values(fit(PreprocessStep.impute({ columns: ['x'], strategy: 'constant', fillValue: -1 }), frame).frame, 'x'), [1, -1, 3, -1, 8]);
});

test('the missing indicator follows its column and marks the filled rows', () => {
  const frame = new Frame([floatColumn('x', [1, null, 3]), floatColumn('y', [0, 0, 0])]);
  const { fitted, frame: out } = fit(PreprocessStep.impute({ columns: ['x'], indicator: true }), frame);
  assert.deepEqual(out.names, ['x', 'x_missing', 'y']);
  assert.deepEqual(values(out, 'x_missing'), [0, 1, 0]);
  assert.deepEqual(fitted.state.steps[0], { kind: 'impute', columns: ['x'], strategy: 'mean', indicator: true, fills: [2] });
});

test('transform uses the fitted fill, not statistics of the new data', () => {
  const { fitted } = fit(PreprocessStep.impute({ columns: ['x'] }), new Frame([floatColumn('x', [2, 4])]));
  assert.deepEqual(values(fitted.transform(new Frame([floatColumn('x', [null, 100, null])])), 'x'), [3, 100, 3]);
});

test('categorical imputation keeps the type; the constant joins the dictionary when new', () => {
  const frame = new Frame([categoryColumn('c', ['b', 'a', 'b', null, 'a']), stringColumn('s', ['u', null, 'v'].concat(['v', 'u']))]);
  const mode = fit(PreprocessStep.impute({ columns: ['c', 's'], strategy: 'most_frequent' }), frame);
  assert.deepEqual(values(mode.frame, 'c'), ['b', 'a', 'b', 'a', 'a'], 'tie between a and b goes to a');
  assert.deepEqual(values(mode.frame, 's'), ['u', 'u', 'v', 'v', 'u']);
  assert.equal(mode.frame.column('c').type, 'category');
  assert.equal(mode.frame.column('s').type, 'string');
  const constant = fit(PreprocessStep.impute({ columns: ['c'], strategy: 'constant', fillValue: 'none' }), frame);
  const column = constant.frame.column('c');
  assert.ok(column.type === 'category');
  assert.deepEqual(column.dictionary, ['b', 'a', 'none']);
  assert.deepEqual(values(constant.frame, 'c'), ['b', 'a', 'b', 'none', 'a']);
});

test('imputer errors are coded and name the field', () => {
  const frame = new Frame([categoryColumn('c', ['a', null]), floatColumn('x', [null, null])]);
  assert.throws(() => fit(PreprocessStep.impute({ columns: ['c'] }), frame), coded('LOOM_ERR_PREPROCESS_COLUMN_TYPE', { field: 'c', actual: 'category', expected: 'a numeric column' }));
  assert.throws(() => fit(PreprocessStep.impute({ columns: ['x'] }), frame), coded('LOOM_ERR_PREPROCESS_COLUMN_EMPTY', { field: 'x' }));
  assert.throws(() => fit(PreprocessStep.impute({ columns: ['nope'] }), frame), coded('LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN', { field: 'nope' }));
  assert.throws(() => PreprocessStep.impute({ columns: ['x'], strategy: 'constant' }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'fillValue' }));
  assert.throws(() => fit(PreprocessStep.impute({ columns: ['c'], strategy: 'constant', fillValue: 0 }), frame), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'fillValue' }));
  assert.throws(() => PreprocessStep.parse({ kind: 'impute', columns: ['x'], stratgy: 'mean' }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'stratgy' }));
  assert.throws(() => PreprocessStep.parse({ kind: 'impute', columns: ['x', 'x'] }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'columns' }));
  assert.throws(() => PreprocessStep.parse({ kind: 'impute', columns: [] }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'columns' }));
  assert.throws(() => PreprocessStep.parse({ kind: 'standardise', columns: ['x'] }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'kind' }));
});
