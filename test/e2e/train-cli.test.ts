import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertCodedFailure, DATASETS, loomCli } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// `loom train` and `loom predict` end to end on UCI Adult (train on adult-train, measure on adult-test).

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-train-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process, for the fixture, repeats and coded-error checks (each spawn costs ~1 s of tsx start-up);
 * real processes stay for the linear and the GBDT training, the first predict and the first coded error.
 */
const loomHere = loomInProcess(home);

before(async () => {
  const { gunzipSync } = await import('node:zlib');
  const test = gunzipSync(readFileSync(join(DATASETS, 'adult-test.csv.gz'))).toString('utf8').trim().split('\n').slice(1);
  writeFileSync(join(home, 'labels.txt'), test.map((l) => l.split(',').at(-1)!.trim()).join('\n'));
  for (const [file, name] of [['adult-train.csv.gz', 'adult-train'], ['adult-test.csv.gz', 'adult-test']]) {
    const run = await loomHere(['data', 'ingest', join(DATASETS, file), '--name', name, '--tag', 'income=target', '--json']);
    assert.equal(run.code, 0, run.stderr);
  }
});

test('linear: logistic regression with one-hot and scaling reaches test AUC ≥ 0.90; predict writes one score per row', async () => {
  const run = await loom(['train', '--data', 'adult-train', '--target', 'income', '--model', 'linear', '--valid', 'adult-test', '--out', 'models/linear', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = run.json();
  assert.equal(out.task, 'binary');
  assert.equal(out.metrics.rows, 16281);
  assert.ok(out.metrics.auc >= 0.9, `AUC ${out.metrics.auc}`);
  assert.ok(out.metrics.accuracy >= 0.84, `accuracy ${out.metrics.accuracy}`);
  const manifest = JSON.parse(readFileSync(join(out.model_dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifestHash, out.model_id);
  assert.deepEqual(manifest.outputSignature.classes, ['<=50K', '>50K']);
  assert.equal(manifest.inputSignature.columns.length, 14);
  assert.deepEqual(manifest.lineage.datasets.map((d: any) => d.role), ['train', 'valid']);

  const predicted = await loom(['predict', out.model_dir, '--input', 'adult-test', '--output', 'scores.csv', '--json']);
  assert.equal(predicted.code, 0, predicted.stderr);
  assert.deepEqual(predicted.json().columns, ['row', 'p_>50K']);
  const lines = readFileSync(join(home, 'scores.csv'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 16282);
  const p = lines.slice(1).map((l) => Number(l.split(',')[1]));
  assert.ok(p.every((v) => v > 0 && v < 1));

  // The raw file, normalized on read the way ingest normalizes it, scores the same as the dataset.
  const fromFile = await loomHere(['predict', out.model_dir, '--input', join(DATASETS, 'adult-test.csv.gz'), '--output', 'scores-file.csv', '--json']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(readFileSync(join(home, 'scores-file.csv'), 'utf8'), readFileSync(join(home, 'scores.csv'), 'utf8'));
});

test('gbdt (the default): Adult at 100 iterations reaches AUC ≥ 0.927 and accuracy ≥ 0.87; the saved model scores the same', async () => {
  const run = await loom(['train', '--data', 'adult-train', '--target', 'income', '--valid', 'adult-test', '--param', 'num_iterations=100', '--out', 'models/gbdt', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = run.json();
  assert.equal(out.flavor, 'gbdt');
  assert.ok(out.metrics.auc >= 0.927, `AUC ${out.metrics.auc}`);
  assert.ok(out.metrics.accuracy >= 0.87, `accuracy ${out.metrics.accuracy}`);
  assert.match(readFileSync(join(out.model_dir, 'model.txt'), 'utf8'), /^tree\nversion=v4\n/);
  const scored = await loomHere(['predict', out.model_dir, '--input', 'adult-test', '--output', 'gbdt.csv', '--json']);
  assert.equal(scored.code, 0, scored.stderr);
  const lines = readFileSync(join(home, 'gbdt.csv'), 'utf8').trim().split('\n').slice(1);
  const labels = readFileSync(join(home, 'labels.txt'), 'utf8').trim().split('\n');
  let correct = 0;
  lines.forEach((line, i) => (correct += (Number(line.split(',')[1]) > 0.5) === (labels[i] === '>50K.') ? 1 : 0));
  assert.equal(correct / lines.length, out.metrics.accuracy, 'accuracy recomputed from the written scores');

  // --explain adds TreeSHAP columns; per row they sum to the raw score, the logit of the probability.
  const explained = await loomHere(['predict', out.model_dir, '--input', 'adult-test', '--output', 'explained.csv', '--explain', '--json']);
  assert.equal(explained.code, 0, explained.stderr);
  const columns: string[] = explained.json().columns;
  assert.deepEqual(columns.slice(0, 3), ['row', 'p_>50K', 'shap_raw:age']);
  assert.equal(columns.at(-1), 'shap_raw:bias');
  assert.equal(columns.length, 2 + 14 + 1);
  const rows = readFileSync(join(home, 'explained.csv'), 'utf8').trim().split('\n').slice(1, 200).map((l) => l.split(',').map(Number));
  for (const row of rows) {
    const sum = row.slice(2).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - Math.log(row[1] / (1 - row[1]))) < 1e-9, `row ${row[0]}: ${sum}`);
  }
  const linear = await loomHere(['predict', 'models/linear', '--input', 'adult-test', '--output', 'x.csv', '--explain', '--json']);
  assertCodedFailure(linear, 'LOOM_ERR_TRAINING_INVALID_OPTION');
});

test('--target other than the column the dataset tags as target: that column becomes a feature, in the signature and at predict', async () => {
  // adult-train tags income as its target; predicting age uses income as an ordinary feature.
  const run = await loomHere(['train', '--data', 'adult-train', '--target', 'age', '--param', 'num_iterations=10', '--out', 'models/age', '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.json().task, 'regression');
  const manifest = JSON.parse(readFileSync(join(run.json().model_dir, 'manifest.json'), 'utf8'));
  const names: string[] = manifest.inputSignature.columns.map((c: { name: string }) => c.name);
  assert.ok(names.includes('income') && !names.includes('age'), `signature: ${names}`);
  const scored = await loomHere(['predict', run.json().model_dir, '--input', 'adult-test', '--output', 'age.csv', '--json']);
  assert.equal(scored.code, 0, scored.stderr);
  assert.equal(readFileSync(join(home, 'age.csv'), 'utf8').trim().split('\n').length, 16281 + 1);
});

test('baseline: predicts the training prior, so test accuracy is the test majority share', async () => {
  const run = await loomHere(['train', '--data', 'adult-train', '--target', 'income', '--model', 'baseline', '--valid', 'adult-test', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const { metrics } = run.json();
  assert.equal(metrics.auc, 0.5);
  assert.equal(metrics.accuracy, 12435 / 16281);
});

test('bad input gets coded errors naming the field', async () => {
  assertCodedFailure(await loom(['train', '--data', 'adult-train', '--target', 'income', '--model', 'forest', '--json']), 'LOOM_ERR_TRAINING_INVALID_OPTION');
  assertCodedFailure(await loomHere(['train', '--data', 'adult-train', '--target', 'nope', '--model', 'linear', '--json']), 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND');
  assertCodedFailure(await loomHere(['train', '--data', 'missing', '--target', 'income', '--model', 'linear', '--json']), 'LOOM_ERR_DATA_DATASET_NOT_FOUND');
  assertCodedFailure(await loomHere(['train', '--data', 'adult-train', '--target', 'income', '--model', 'linear', '--param', 'alphaa=1', '--json']), 'LOOM_ERR_MODEL_PARAM_UNKNOWN');
  assertCodedFailure(await loomHere(['train', '--data', 'adult-train', '--target', 'income', '--model', 'linear', '--objective', 'regression', '--json']), 'LOOM_ERR_MODEL_TARGET_INVALID');

  writeFileSync(join(home, 'one-class.csv'), 'x,y\n1,a\n2,a\n3,a\n');
  assert.equal((await loomHere(['data', 'ingest', 'one-class.csv', '--name', 'one-class', '--json'])).code, 0);
  const oneClass = await loomHere(['train', '--data', 'one-class', '--target', 'y', '--model', 'linear', '--json']);
  assertCodedFailure(oneClass, 'LOOM_ERR_MODEL_TARGET_INVALID');
  assert.equal(oneClass.json().error.details.field, 'y');

  const trained = await loomHere(['train', '--data', 'adult-train', '--target', 'income', '--model', 'baseline', '--out', 'models/b', '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  assertCodedFailure(await loomHere(['train', '--data', 'adult-train', '--target', 'income', '--model', 'baseline', '--out', 'models/b', '--json']), 'LOOM_ERR_ARTIFACT_MODEL_EXISTS');

  writeFileSync(join(home, 'partial.csv'), 'age,workclass\n39,State-gov\n');
  const missing = await loomHere(['predict', 'models/b', '--input', 'partial.csv', '--output', 'x.csv', '--json']);
  assertCodedFailure(missing, 'LOOM_ERR_TRAINING_INPUT_MISMATCH');
  assert.equal(missing.json().error.details.field, 'fnlwgt');
  assertCodedFailure(await loomHere(['predict', 'models/b', '--input', 'adult-test', '--output', 'x.txt', '--json']), 'LOOM_ERR_TRAINING_INVALID_OPTION');

  const manifestPath = join(home, 'models/b/manifest.json');
  writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('"seed": 42', '"seed": 43'));
  assertCodedFailure(await loomHere(['predict', 'models/b', '--input', 'adult-test', '--output', 'x.csv', '--json']), 'LOOM_ERR_ARTIFACT_MODEL_TAMPERED');
});
