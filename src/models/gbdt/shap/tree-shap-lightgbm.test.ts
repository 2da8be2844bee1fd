import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADULT_CATEGORICAL, loadAdult } from '../../../../test/support/gbdt-datasets.js';
import type { Frame } from '../../../core/frame/frame.js';
import { Random } from '../../../core/random.js';
import { lightGbmBinary, lightGbmSkip, readLightGbmPredictions, runLightGbm, writeLightGbmCsv } from '../io/lightgbm-cli.js';
import { readLightGbmModel } from '../io/read-lightgbm-model.js';
import { treeShap } from './tree-shap.js';

// TreeSHAP against LightGBM's `predict_contrib=true` (LIGHTGBM_BIN): the same models, the same rows, the same
// contributions. The first 1,500 Adult test rows keep the test to seconds; bench/gbdt/lightgbm-io-check.ts runs all.
const TOLERANCE = 1e-9;
const ROWS = 1500;

function columnsOf(frame: Frame, names: readonly string[]): Float64Array[] {
  return names.map((name) => {
    const c = frame.column(name);
    if (c.type === 'category') return Float64Array.from(c.codes);
    assert.ok(c.type === 'float', name);
    return Float64Array.from(c.values);
  });
}

function assertAgree(loom: ArrayLike<number>, lightgbm: ArrayLike<number>): void {
  assert.equal(loom.length, lightgbm.length);
  let max = 0;
  for (let i = 0; i < loom.length; i++) max = Math.max(max, Math.abs(loom[i] - lightgbm[i]));
  assert.ok(max <= TOLERANCE, `max |Δ| = ${max}`);
}

describe('TreeSHAP equals LightGBM predict_contrib', { skip: lightGbmSkip() }, () => {
  let bin = '';
  let dir = '';
  before(() => {
    bin = lightGbmBinary()!;
    dir = mkdtempSync(join(tmpdir(), 'loom-lgb-shap-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function trainAndContrib(train: { names: string[]; label: ArrayLike<number>; columns: Float64Array[] }, test: Float64Array[], params: Record<string, string | number>): { model: string; contrib: Float64Array } {
    const trainCsv = join(dir, 'train.csv');
    const testCsv = join(dir, 'test.csv');
    const model = join(dir, 'model.txt');
    const out = join(dir, 'contrib.txt');
    writeLightGbmCsv(trainCsv, train.names, train.label, train.columns);
    writeLightGbmCsv(testCsv, train.names, new Float64Array(test[0].length), test);
    runLightGbm(bin, { task: 'train', data: trainCsv, header: 'true', label_column: 0, seed: 42, output_model: model, ...params });
    runLightGbm(bin, { task: 'predict', data: testCsv, header: 'true', label_column: 0, input_model: model, output_result: out, predict_contrib: 'true' });
    return { model, contrib: readLightGbmPredictions(out) };
  }

  test(`Adult, 100 iterations, LightGBM's model: the first ${ROWS} test rows`, async () => {
    const { train, test: holdout } = await loadAdult();
    const names = train.names.filter((n) => n !== 'income');
    const income = train.column('income');
    assert.ok(income.type === 'float', 'income');
    const rows = columnsOf(holdout.slice(0, ROWS), names);
    const { model, contrib } = trainAndContrib({ names, label: income.values, columns: columnsOf(train, names) }, rows, { objective: 'binary', num_iterations: 100, categorical_feature: `name:${ADULT_CATEGORICAL.join(',')}` });
    const phi = treeShap(readLightGbmModel(readFileSync(model, 'utf8')), { columns: rows });
    assert.equal(phi.length, ROWS * 15);
    assertAgree(phi, contrib);
  });

  test('multiclass, 3 classes, with a categorical feature and missing values: class-major blocks agree', () => {
    const rng = new Random(3);
    const n = 1200;
    const columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    const label = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      columns[0][i] = rng.nextFloat() < 0.15 ? Number.NaN : rng.nextFloat() * 6 - 3;
      columns[1][i] = rng.nextFloat() < 0.1 ? Number.NaN : rng.nextInt(6);
      columns[2][i] = rng.nextFloat();
      const s = (Number.isNaN(columns[0][i]) ? 1 : columns[0][i]) + (columns[1][i] % 3) - 1 + columns[2][i];
      label[i] = s < 0 ? 0 : s < 1.5 ? 1 : 2;
    }
    const test = columns.map((c) => c.slice(0, 300));
    const { model, contrib } = trainAndContrib({ names: ['x0', 'x1', 'x2'], label, columns }, test, { objective: 'multiclass', num_class: 3, num_iterations: 10, categorical_feature: 1, min_data_per_group: 10 });
    const phi = treeShap(readLightGbmModel(readFileSync(model, 'utf8')), { columns: test });
    assert.equal(phi.length, 300 * 3 * 4);
    assertAgree(phi, contrib);
  });
});
