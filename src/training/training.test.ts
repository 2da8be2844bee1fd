import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boolColumn, categoryColumn, floatColumn, intColumn } from '../core/frame/index.js';
import { Frame } from '../core/frame/frame.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import { conformToSignature } from './input-signature.js';
import { inferTask } from './model-task.js';

test('inferTask: text and bool targets classify, numbers regress unless the objective classifies', () => {
  assert.deepEqual(inferTask(categoryColumn('y', ['b', 'a', 'b']), undefined), { task: 'binary', classes: ['a', 'b'] });
  assert.deepEqual(inferTask(categoryColumn('y', ['b', 'a', 'c', null]), undefined), { task: 'multiclass', classes: ['a', 'b', 'c'] });
  assert.deepEqual(inferTask(boolColumn('y', [true, false]), undefined), { task: 'binary', classes: ['false', 'true'] });
  assert.deepEqual(inferTask(floatColumn('y', [1.5, 2]), undefined), { task: 'regression', classes: null });
  assert.deepEqual(inferTask(intColumn('y', [10, 2, 10]), 'binary'), { task: 'binary', classes: ['2', '10'] });
  assert.throws(() => inferTask(categoryColumn('y', ['a', 'a']), undefined), { code: 'LOOM_ERR_MODEL_TARGET_INVALID' });
  assert.throws(() => inferTask(categoryColumn('y', ['a', 'b']), 'regression'), { code: 'LOOM_ERR_MODEL_TARGET_INVALID' });
  assert.throws(() => inferTask(floatColumn('y', [null, null]), undefined), { code: 'LOOM_ERR_MODEL_TARGET_INVALID' });
});

test('evaluatePredictions: exact binary, multiclass and regression figures; unknown classes and nulls are skipped', () => {
  const binary = evaluatePredictions({ task: 'binary', classes: ['n', 'y'] }, categoryColumn('t', ['n', 'y', 'y', 'n', null, 'x']), Float64Array.from([0.2, 0.8, 0.4, 0.6, 0.5, 0.5]));
  assert.equal(binary.rows, 4);
  assert.equal(binary.rows_skipped, 2);
  assert.equal(binary.auc, 0.75); // pairs (y,n): 0.8>0.2, 0.8>0.6, 0.4>0.2, 0.4<0.6 → 3/4
  assert.equal(binary.accuracy, 0.5); // 0.2→n ✓, 0.8→y ✓, 0.4→n ✗, 0.6→y ✗
  assert.ok(Math.abs(binary.binary_logloss - -(Math.log(0.8) * 2 + Math.log(0.4) + Math.log(0.4)) / 4) < 1e-12);

  const multi = evaluatePredictions({ task: 'multiclass', classes: ['a', 'b', 'c'] }, categoryColumn('t', ['a', 'c']), Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.6, 0.3]));
  assert.equal(multi.accuracy, 0.5);
  assert.ok(Math.abs(multi.multi_logloss - -(Math.log(0.7) + Math.log(0.3)) / 2) < 1e-12);

  const reg = evaluatePredictions({ task: 'regression', classes: null }, floatColumn('t', [1, 2, 3, 4]), Float64Array.from([1, 2, 3, 6]));
  assert.equal(reg.rmse, 1);
  assert.equal(reg.mae, 0.5);
  assert.equal(reg.r2, 1 - 4 / 5);
});

test('conformToSignature keeps signature columns in order, accepts int for float, and names what is wrong', () => {
  const signature = { columns: [{ name: 'x', type: 'float' as const, nullable: false, tags: [] }, { name: 'c', type: 'category' as const, nullable: false, tags: [] }] };
  const frame = new Frame([categoryColumn('c', ['a']), intColumn('x', [1]), floatColumn('extra', [0])]);
  assert.deepEqual(conformToSignature(frame, signature).names, ['x', 'c']);
  assert.throws(() => conformToSignature(new Frame([intColumn('x', [1])]), signature), { code: 'LOOM_ERR_TRAINING_INPUT_MISMATCH', details: { field: 'c' } });
  assert.throws(() => conformToSignature(new Frame([categoryColumn('x', ['1']), categoryColumn('c', ['a'])]), signature), { code: 'LOOM_ERR_TRAINING_INPUT_MISMATCH', details: { field: 'x' } });
});
