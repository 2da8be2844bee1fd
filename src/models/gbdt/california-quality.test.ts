import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCalifornia } from '../../../test/support/gbdt-datasets.js';
import { RmseMetric } from './metric/rmse-metric.js';
import { predictBatch } from './predict/predict-batch.js';
import { trainGbdt } from './train-gbdt.js';

/** LightGBM v4.6.0 CLI on the same split and params, in $100k (../shared/notes/lightgbm-anchor.md). */
const LIGHTGBM_TEST_RMSE = 0.44651;

test('California housing, 500 iterations at lr 0.05: test RMSE within 2% of LightGBM', async () => {
  const { train, test: holdout } = await loadCalifornia();
  assert.deepEqual([train.length, holdout.length], [16512, 4128]);
  const model = trainGbdt(train, { objective: 'regression', num_iterations: 500, learning_rate: 0.05, num_leaves: 31, max_bin: 255, min_data_in_leaf: 20, seed: 42 }, { label: 'medianHouseValue' });
  const p = predictBatch(model, holdout);
  const value = holdout.column('medianHouseValue');
  assert.ok(value.type === 'float');
  const y = value.values;
  const rmse = new RmseMetric().evaluate(p, y, null);
  assert.ok(rmse <= LIGHTGBM_TEST_RMSE * 1.02, `RMSE ${rmse}`);
  assert.ok(rmse >= LIGHTGBM_TEST_RMSE * 0.9, `RMSE ${rmse} is implausibly low; check the split`);
});
