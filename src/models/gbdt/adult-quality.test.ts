import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAdult } from '../../../test/support/gbdt-datasets.js';
import { AucMetric } from './metric/auc-metric.js';
import { predictBatch } from './predict/predict-batch.js';
import { trainGbdt } from './train-gbdt.js';

/** LightGBM v4.6.0 CLI on the same prepared data and params (../shared/notes/lightgbm-anchor.md). */
const LIGHTGBM_TEST_AUC = 0.92758;

test('Adult, LightGBM default params, 100 iterations: test AUC within 0.003 of LightGBM and accuracy >= 0.87', async () => {
  const { train, test: holdout } = await loadAdult();
  assert.deepEqual([train.length, holdout.length], [32561, 16281]);
  const model = trainGbdt(train, { objective: 'binary', num_iterations: 100, learning_rate: 0.1, num_leaves: 31, max_bin: 255, min_data_in_leaf: 20, seed: 42 }, { label: 'income' });
  assert.equal(model.features.filter((f) => f.categorical).length, 8);
  assert.deepEqual(model.features[1].dictionary?.slice(0, 2), ['?', 'Federal-gov']);
  const p = predictBatch(model, holdout);
  const income = holdout.column('income');
  assert.ok(income.type === 'float');
  const label = income.values;
  const auc = new AucMetric().evaluate(p, label, null);
  let correct = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] > 0.5 ? 1 : 0) === label[i]) correct++;
  assert.ok(Math.abs(auc - LIGHTGBM_TEST_AUC) <= 0.003, `AUC ${auc}`);
  assert.ok(correct / p.length >= 0.87, `accuracy ${correct / p.length}`);
});
