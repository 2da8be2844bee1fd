import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { frameFromRecords } from '../../core/frame/frame-from-records.js';
import { Random } from '../../core/random.js';
import { crossValidate } from './cross-validate.js';
import { cvFolds } from './cv-folds.js';

const rng = new Random(5);
const records = Array.from({ length: 120 }, (_, i) => {
  const x = rng.nextFloat() * 10;
  return { x, noise: rng.nextFloat(), store: `s${i % 8}`, day: i, y: x + rng.nextFloat() * 3 > 6.5 ? 'yes' : 'no' };
});
const frame = frameFromRecords(records);

function union(parts: readonly Int32Array[]): number[] {
  return parts.flatMap((p) => [...p]).sort((a, b) => a - b);
}

test('k-fold and stratified folds: every row is tested exactly once, train and test are disjoint', () => {
  for (const spec of [{ kind: 'kfold', k: 5, seed: 1 }, { kind: 'stratified', k: 4, column: 'y', seed: 2 }] as const) {
    const folds = cvFolds(frame, spec);
    assert.equal(folds.length, spec.k);
    assert.deepEqual(union(folds.map((f) => f.test)), Array.from({ length: 120 }, (_, i) => i));
    for (const f of folds) {
      assert.equal(f.train.length + f.test.length, 120);
      const test = new Set(f.test);
      assert.ok([...f.train].every((r) => !test.has(r)));
    }
  }
  const positives = records.filter((r) => r.y === 'yes').length;
  for (const f of cvFolds(frame, { kind: 'stratified', k: 4, column: 'y', seed: 2 })) {
    const share = [...f.test].filter((r) => records[r].y === 'yes').length;
    assert.ok(Math.abs(share - positives / 4) <= 1, `${share} vs ${positives / 4}`);
  }
});

test('group folds keep each group on one side; time folds are an expanding window that never sees the future', () => {
  for (const f of cvFolds(frame, { kind: 'group', k: 4, column: 'store', seed: 3 })) {
    const testStores = new Set([...f.test].map((r) => records[r].store));
    assert.ok([...f.train].every((r) => !testStores.has(records[r].store)));
  }
  const folds = cvFolds(frame, { kind: 'time', k: 3, column: 'day' });
  assert.deepEqual(folds.map((f) => [f.train.length, f.test.length]), [[30, 30], [60, 30], [90, 30]]);
  for (const f of folds) assert.ok(Math.max(...[...f.train].map((r) => records[r].day)) < Math.min(...[...f.test].map((r) => records[r].day)));
});

test('crossValidate trains a linear model per fold and pools out-of-fold predictions with intervals', () => {
  const cv = crossValidate(frame, { target: 'y', model: 'linear', cv: { kind: 'stratified', k: 4, column: 'y', seed: 9 }, bootstrap: { resamples: 200 } });
  assert.equal(cv.task, 'binary');
  assert.equal(cv.folds.length, 4);
  assert.deepEqual(cv.folds.map((f) => f.test_rows).reduce((a, b) => a + b, 0), 120);
  assert.ok(cv.mean.auc > 0.85, `${cv.mean.auc}`);
  const oof = cv.out_of_fold.auc;
  assert.ok(oof.ci !== null && oof.ci[0] <= oof.value && oof.value <= oof.ci[1]);
  assert.ok(cv.std.auc >= 0);
});

test('bad cross-validation specs are coded errors', () => {
  assert.throws(() => cvFolds(frame, { kind: 'kfold', k: 1, seed: 0 }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION' && e.details?.field === 'cv.k');
  assert.throws(() => cvFolds(frame, { kind: 'group', k: 4, column: 'region', seed: 0 }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_COLUMN_UNKNOWN');
  assert.throws(() => cvFolds(frame, { kind: 'group', k: 9, column: 'store', seed: 0 }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION');
  assert.throws(() => cvFolds(frame, { kind: 'time', k: 3, column: 'store' }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION');
});
