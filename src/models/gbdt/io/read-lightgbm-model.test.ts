import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { predictBatch } from '../predict/predict-batch.js';
import { treeShap } from '../shap/tree-shap.js';
import { readLightGbmModel } from './read-lightgbm-model.js';
import { writeLightGbmModel } from './write-lightgbm-model.js';

// Fixtures written by LightGBM v4.6.0's CLI (bench/gbdt/lightgbm-io-check.ts --fixtures): each model file with the
// rows it predicted (null = missing) and LightGBM's raw scores, outputs and predict_contrib values.
const FIXTURES = join(import.meta.dirname, 'fixtures');
const NAMES = ['binary-categorical-nan', 'multiclass', 'regression-zero-missing', 'poisson', 'huber', 'quantile', 'regression-l1'] as const;

interface Fixture {
  readonly rows: (number | null)[][];
  readonly raw: number[];
  readonly output: number[];
  readonly contrib: number[];
}

function load(name: string): { text: string; fixture: Fixture; columns: Float64Array[] } {
  const text = readFileSync(join(FIXTURES, `${name}.txt`), 'utf8');
  const fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Fixture;
  const columns = fixture.rows[0].map((_, f) => Float64Array.from(fixture.rows, (row) => row[f] ?? Number.NaN));
  return { text, fixture, columns };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `entry ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

/** The text up to the parameters section, which holds LightGBM's full config in LightGBM's files and Loom's in Loom's. */
function beforeParameters(text: string): string {
  return text.slice(0, text.indexOf('\nparameters:\n'));
}

describe('LightGBM-written fixtures', () => {
  for (const name of NAMES) {
    test(`${name}: raw scores and outputs equal LightGBM's to 1e-12`, () => {
      const { text, fixture, columns } = load(name);
      const model = readLightGbmModel(text);
      assertClose(predictBatch(model, { columns }, undefined, { rawScore: true }), fixture.raw, 1e-12);
      assertClose(predictBatch(model, { columns }), fixture.output, 1e-12);
    });

    test(`${name}: TreeSHAP equals LightGBM's predict_contrib to 1e-12`, () => {
      const { text, fixture, columns } = load(name);
      assertClose(treeShap(readLightGbmModel(text), { columns }), fixture.contrib, 1e-12);
    });

    test(`${name}: writing the model read gives LightGBM's text back, up to the parameters section`, () => {
      const { text } = load(name);
      assert.equal(beforeParameters(writeLightGbmModel(readLightGbmModel(text))), beforeParameters(text));
    });
  }

  test('the header and parameters shape the model: objective, sigmoid, classes, categorical features', () => {
    const binary = readLightGbmModel(load('binary-categorical-nan').text);
    assert.deepEqual([binary.params.objective, binary.params.sigmoid, binary.numOutputs, binary.numIterations], ['binary', 0.8, 1, 4]);
    assert.deepEqual(binary.features.map((f) => [f.name, f.categorical, f.trivial]), [['x0', false, false], ['x1', true, false], ['x2', false, false]]);
    assert.deepEqual(binary.features[1].binCategories, [-1, 0, 7, 1, 4, 6, 2, 3, 5]);
    assert.deepEqual([binary.features[1].minValue, binary.features[1].maxValue], [0, 7]);
    assert.deepEqual([binary.features[0].minValue, binary.features[0].maxValue], [-2.941, 2.949]);
    assert.deepEqual([binary.params.num_leaves, binary.params.learning_rate, binary.params.min_data_in_leaf], [5, 0.3, 10]);
    const tree = binary.trees[0];
    assert.deepEqual([tree.numLeaves, tree.numCat, Array.from(tree.catThreshold)], [5, 1, [81]]);
    assert.deepEqual(Array.from(tree.leafDepth.subarray(0, 5)), [2, 2, 3, 3, 2]);
    const multi = readLightGbmModel(load('multiclass').text);
    assert.deepEqual([multi.params.objective, multi.params.num_class, multi.numOutputs, multi.trees.length], ['multiclass', 3, 3, 9]);
    assert.equal(readLightGbmModel(load('poisson').text).params.objective, 'poisson');
    assert.equal(readLightGbmModel(load('quantile').text).params.alpha, 0.3);
  });
});

describe('what a file without a loom: section tells about features', () => {
  const { text } = load('binary-categorical-nan');

  test('a pandas_categorical line with one list per categorical feature becomes the dictionaries', () => {
    const model = readLightGbmModel(`${text}\npandas_categorical:[["a", "b", "c", "d", "e", "f", "g", "h"]]\n`);
    assert.deepEqual(model.features.map((f) => f.dictionary), [null, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], null]);
    const numbers = readLightGbmModel(`${text}\npandas_categorical:[[10, 20.5, true]]\n`);
    assert.deepEqual(numbers.features[1].dictionary, ['10', '20.5', 'true']);
  });

  test('a pandas_categorical line that does not match the categorical features is ignored, as is null', () => {
    const model = readLightGbmModel(`${text}\npandas_categorical:[["a"], ["b"]]\n`);
    assert.deepEqual(model.features.map((f) => f.dictionary), [null, null, null]);
    assert.deepEqual(readLightGbmModel(`${text}\npandas_categorical:null\n`).features.map((f) => f.dictionary), [null, null, null]);
  });

  test('a feature no tree uses is categorical when the parameters\' categorical_feature names it', () => {
    const unused = text.replace('-1:0:7:1:4:6:2:3:5', 'none').replace(/\nTree=[\s\S]*\nend of trees\n/, '\nend of trees\n').replace(/tree_sizes=.*\n/, 'tree_sizes=\n');
    const model = readLightGbmModel(unused);
    assert.deepEqual(model.features.map((f) => [f.categorical, f.trivial]), [[false, false], [true, true], [false, false]]);
    const byName = readLightGbmModel(unused.replace('[categorical_feature: 1]', '[categorical_feature: name:x2]'));
    assert.deepEqual(byName.features.map((f) => f.categorical), [false, false, false]);
    assert.equal(model.trees.length, 0);
    assert.deepEqual(predictBatch(model, { columns: [Float64Array.of(1), Float64Array.of(2), Float64Array.of(3)] }, undefined, { rawScore: true }), Float64Array.of(0));
  });
});
