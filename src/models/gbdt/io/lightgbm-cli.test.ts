import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADULT_CATEGORICAL, loadAdult, loadCalifornia } from '../../../../test/support/gbdt-datasets.js';
import type { Column } from '../../../core/frame/column.js';
import { Frame } from '../../../core/frame/frame.js';
import { Random } from '../../../core/random.js';
import type { GbdtModel } from '../gbdt-model.js';
import { predictBatch } from '../predict/predict-batch.js';
import { trainGbdt } from '../train-gbdt.js';
import { lightGbmBinary, lightGbmSkip, readLightGbmPredictions, runLightGbm, writeLightGbmCsv } from './lightgbm-cli.js';
import { readLightGbmModel } from './read-lightgbm-model.js';
import { writeLightGbmModel } from './write-lightgbm-model.js';

// Loom against LightGBM's own CLI (LIGHTGBM_BIN, v4.6.0 here): models LightGBM trains must predict the same raw
// scores in Loom, and models Loom writes must load into LightGBM and predict the same there. Data is prepared as
// ../shared/notes/lightgbm-anchor.md prescribes (label first, categories as sorted codes).
const TOLERANCE = 1e-9;
const skip = lightGbmSkip();

interface Table {
  readonly names: string[];
  readonly columns: Float64Array[];
  readonly label: Float64Array;
}

function tableOf(frame: Frame, label: string): Table {
  const names = frame.names.filter((n) => n !== label);
  const columns = names.map((name) => {
    const c = frame.column(name);
    if (c.type === 'category') return Float64Array.from(c.codes, (code) => (code < 0 ? Number.NaN : code));
    assert.ok(c.type === 'float', name);
    return Float64Array.from(c.values);
  });
  const y = frame.column(label);
  assert.ok(y.type === 'float', label);
  return { names, columns, label: y.values };
}

/** Three classes from x0 (numeric with NaN), x1 (categorical 0..7 with NaN) and x2. */
function threeClasses(seed: number, n: number): Table {
  const rng = new Random(seed);
  const effect = [1.5, -1, 0.2, -0.8, 1.2, -1.5, 0.7, 0];
  const t: Table = { names: ['x0', 'x1', 'x2'], columns: [new Float64Array(n), new Float64Array(n), new Float64Array(n)], label: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const x0 = rng.nextFloat() < 0.15 ? Number.NaN : rng.nextFloat() * 6 - 3;
    const x1 = rng.nextFloat() < 0.1 ? Number.NaN : rng.nextInt(8);
    const x2 = rng.nextFloat() + rng.nextFloat() - 1;
    const s = (Number.isNaN(x0) ? 1 : x0) + (Number.isNaN(x1) ? 0.3 : effect[x1]) + 0.5 * x2 + (rng.nextFloat() - 0.5);
    [t.columns[0][i], t.columns[1][i], t.columns[2][i], t.label[i]] = [x0, x1, x2, s < -0.5 ? 0 : s < 1 ? 1 : 2];
  }
  return t;
}

/** A copy of `frame` with 10% of `age` and `hours-per-week` missing (NaN) and 5% of every category missing (null). */
function withMissing(frame: Frame, seed: number): Frame {
  const rng = new Random(seed);
  return new Frame(frame.columns.map((c): Column => {
    if (c.type === 'category') return { ...c, codes: Int32Array.from(c.codes, (code) => (rng.nextFloat() < 0.05 ? -1 : code)) };
    if (c.type === 'float' && (c.name === 'age' || c.name === 'hours-per-week')) return { ...c, values: Float64Array.from(c.values, (v) => (rng.nextFloat() < 0.1 ? Number.NaN : v)) };
    return c;
  }));
}

/** Asserts |loom − lightgbm| <= TOLERANCE entry by entry, reporting the largest difference. */
function assertAgree(loom: ArrayLike<number>, lightgbm: ArrayLike<number>): void {
  assert.equal(loom.length, lightgbm.length);
  let max = 0;
  for (let i = 0; i < loom.length; i++) max = Math.max(max, Math.abs(loom[i] - lightgbm[i]));
  assert.ok(max <= TOLERANCE, `max |Δ| = ${max}`);
}

describe('LightGBM CLI interop', { skip }, () => {
  let bin = '';
  let dir = '';
  let adultTrain: Frame;
  let adultTest: Frame;

  before(async () => {
    bin = lightGbmBinary()!;
    dir = mkdtempSync(join(tmpdir(), 'loom-lgb-cli-'));
    ({ train: adultTrain, test: adultTest } = await loadAdult());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function csv(name: string, table: Table): string {
    const path = join(dir, name);
    writeLightGbmCsv(path, table.names, table.label, table.columns);
    return path;
  }

  function train(name: string, data: string, params: Record<string, string | number>): string {
    const model = join(dir, `${name}.txt`);
    runLightGbm(bin, { task: 'train', data, header: 'true', label_column: 0, seed: 42, output_model: model, ...params });
    return model;
  }

  function lightGbmRaw(model: string, data: string): Float64Array {
    const out = join(dir, 'raw.txt');
    runLightGbm(bin, { task: 'predict', data, header: 'true', label_column: 0, input_model: model, output_result: out, predict_raw_score: 'true' });
    return readLightGbmPredictions(out);
  }

  function loomWritten(name: string, model: GbdtModel): string {
    const path = join(dir, `${name}.txt`);
    writeFileSync(path, writeLightGbmModel(model));
    return path;
  }

  test('Adult, 100 iterations, default params, native categoricals: Loom reproduces LightGBM\'s raw score on every test row', () => {
    const testTable = tableOf(adultTest, 'income');
    const model = train('lgb-adult', csv('adult-train.csv', tableOf(adultTrain, 'income')), { objective: 'binary', num_iterations: 100, categorical_feature: `name:${ADULT_CATEGORICAL.join(',')}` });
    const text = readFileSync(model, 'utf8');
    const loom = readLightGbmModel(text);
    assert.deepEqual([loom.trees.length, loom.features.filter((f) => f.categorical).length], [100, 8]);
    const raw = predictBatch(loom, adultTest, undefined, { rawScore: true });
    assert.equal(raw.length, 16281);
    assertAgree(raw, lightGbmRaw(model, csv('adult-test.csv', testTable)));
    const cut = (s: string): string => s.slice(0, s.indexOf('\nparameters:\n'));
    assert.equal(cut(writeLightGbmModel(loom)), cut(text));
  });

  test('California regression, 20 iterations: raw scores agree', async () => {
    const { train: calTrain, test: calTest } = await loadCalifornia();
    const model = train('lgb-cal', csv('cal-train.csv', tableOf(calTrain, 'medianHouseValue')), { objective: 'regression', num_iterations: 20, learning_rate: 0.05 });
    const loom = readLightGbmModel(readFileSync(model, 'utf8'));
    const raw = predictBatch(loom, calTest, undefined, { rawScore: true });
    assert.equal(raw.length, 4128);
    assertAgree(raw, lightGbmRaw(model, csv('cal-test.csv', tableOf(calTest, 'medianHouseValue'))));
  });

  test('multiclass, 3 classes, categorical and missing values, 10 iterations: raw scores agree class by class', () => {
    const model = train('lgb-multi', csv('multi-train.csv', threeClasses(1, 2000)), { objective: 'multiclass', num_class: 3, num_iterations: 10, categorical_feature: 1 });
    const testTable = threeClasses(2, 500);
    const loom = readLightGbmModel(readFileSync(model, 'utf8'));
    const raw = predictBatch(loom, { columns: testTable.columns }, undefined, { rawScore: true });
    assert.equal(raw.length, 1500);
    assertAgree(raw, lightGbmRaw(model, csv('multi-test.csv', testTable)));
  });

  test('a Loom binary model with category columns and missing values loads into LightGBM and predicts the same', () => {
    const train = withMissing(adultTrain, 1);
    const test = withMissing(adultTest, 2);
    const model = trainGbdt(train, { objective: 'binary', num_iterations: 50, seed: 42 }, { label: 'income' });
    assert.ok(model.trees.some((t) => t.numCat > 0), 'some split should be categorical');
    assert.ok(model.trees.some((t) => Array.from(t.decisionType.subarray(0, t.numLeaves - 1)).some((d) => (d & 1) === 0 && d >> 2 === 2)), 'some split should learn a direction for NaN');
    const raw = predictBatch(model, test, undefined, { rawScore: true });
    assertAgree(raw, lightGbmRaw(loomWritten('loom-adult', model), csv('adult-missing-test.csv', tableOf(test, 'income'))));
  });

  test('a Loom multiclass model loads into LightGBM and predicts the same', () => {
    const t = threeClasses(1, 2000);
    const model = trainGbdt({ columns: t.columns, label: t.label, featureNames: t.names }, { objective: 'multiclass', num_class: 3, num_iterations: 10, categorical_feature: ['x1'] });
    const testTable = threeClasses(2, 500);
    const raw = predictBatch(model, { columns: testTable.columns }, undefined, { rawScore: true });
    assertAgree(raw, lightGbmRaw(loomWritten('loom-multi', model), csv('multi-test.csv', testTable)));
  });
});
