import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readTableFile } from '../../data/ingest/read-table-file.js';
import { Pipeline } from '../preprocess/pipeline/pipeline.js';
import { PreprocessStep } from '../preprocess/steps/preprocess-step.js';
import { fitLogisticRegression } from './fit-logistic-regression.js';
import { predictLinear } from './predict/predict-linear.js';

const DATASETS = process.env.LOOM_DATASETS ?? resolve(import.meta.dirname, '../../../../shared/datasets');

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties sharing their average rank. */
function auc(scores: Float64Array, positive: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (!positive[order[t]]) continue;
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

test('Adult: one-hot + standard scaling + logistic regression reaches test AUC >= 0.90', async () => {
  const train = await readTableFile(join(DATASETS, 'adult-train.csv.gz'), { tags: 'income=target' });
  const testFrame = await readTableFile(join(DATASETS, 'adult-test.csv.gz'), { tags: 'income=target' });
  const categorical = train.columns.filter((c) => c.type === 'category' && c.name !== 'income').map((c) => c.name);
  const numeric = train.columns.filter((c) => c.type === 'int' || c.type === 'float').map((c) => c.name);
  const fitted = Pipeline.create([PreprocessStep.oneHot({ columns: categorical, minFrequency: 10 }), PreprocessStep.standardScale({ columns: numeric })]).fit(train);
  const model = fitLogisticRegression(fitted.transformMatrix(train), train.column('income'), { params: { alpha: 1e-4 } });
  assert.deepEqual(model.classes, ['<=50K', '>50K'], 'the test file\'s trailing dots are stripped, so the labels match');
  assert.equal(model.training.converged, true);
  const probabilities = predictLinear(model, fitted.transformMatrix(testFrame));
  const income = testFrame.column('income');
  assert.ok(income.type === 'category');
  const positive = Uint8Array.from(income.codes, (code) => (income.dictionary[code] === '>50K' ? 1 : 0));
  assert.equal(positive.reduce((s, v) => s + v, 0), 3846);
  const score = auc(probabilities, positive);
  console.log(`Adult logistic regression: test AUC ${score.toFixed(4)}, ${model.features.length} features, ${model.training.iterations} L-BFGS iterations`);
  assert.ok(score >= 0.9, `test AUC ${score}`);
});
