import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn } from '../../../core/frame/column-builders.js';
import { Frame } from '../../../core/frame/frame.js';
import { Random } from '../../../core/random.js';
import { GbdtModel } from '../gbdt-model.js';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { predictBatch } from '../predict/predict-batch.js';
import { trainGbdt } from '../train-gbdt.js';
import { Tree } from '../tree/tree.js';
import { readLightGbmModel } from './read-lightgbm-model.js';
import { writeLightGbmModel } from './write-lightgbm-model.js';
import { writeTreeBlock } from './write-tree-block.js';

const COLORS = ['blue', 'green', 'red', 'sky blue', 'white'];

/** 600 rows: a numeric feature with missing values (name with a space), a category feature, and three labels. */
function frame(seed: number): Frame {
  const rng = new Random(seed);
  const n = 600;
  const age: (number | null)[] = [], color: (string | null)[] = [], noise: number[] = [], y: number[] = [], cls: string[] = [], amount: number[] = [];
  const effect = [1.2, -0.8, 0.4, -1.5, 0.9];
  for (let i = 0; i < n; i++) {
    const a = rng.nextFloat() < 0.1 ? null : Math.round(rng.nextFloat() * 60 + 20);
    const c = rng.nextFloat() < 0.05 ? null : rng.nextInt(COLORS.length);
    const e = rng.nextFloat() - 0.5;
    const s = (a === null ? 0.5 : (a - 45) / 15) + (c === null ? 0 : effect[c]) + e;
    age.push(a);
    color.push(c === null ? null : COLORS[c]);
    noise.push(Math.round(e * 1000) / 1000);
    y.push(s > 0 ? 1 : 0);
    cls.push(s < -0.7 ? 'low' : s < 0.7 ? 'mid' : 'high');
    amount.push(Math.round(Math.exp(s) * 100) / 100);
  }
  return new Frame([
    floatColumn('age years', age), categoryColumn('color', color, [], COLORS), floatColumn('noise', noise),
    floatColumn('y', y), categoryColumn('class', cls, [], ['high', 'low', 'mid']), floatColumn('amount', amount),
  ]);
}

const TRAIN = frame(1);
const TEST = frame(2);
const FEATURES = ['age years', 'color', 'noise'];

function roundTrip(model: GbdtModel): { text: string; back: GbdtModel } {
  const text = writeLightGbmModel(model);
  const back = readLightGbmModel(text);
  assert.equal(writeLightGbmModel(back), text, 'write(read(text)) must be text');
  for (const rawScore of [true, false]) {
    assert.deepEqual(predictBatch(back, TEST, undefined, { rawScore }), predictBatch(model, TEST, undefined, { rawScore }));
  }
  return { text, back };
}

test('binary with a category feature and missing values: the round trip predicts identically and keeps Loom\'s extras', () => {
  const model = trainGbdt(TRAIN, { objective: 'binary', num_iterations: 15, num_leaves: 7, min_data_in_leaf: 10, min_data_per_group: 10, cat_smooth: 1 }, { label: 'y', features: FEATURES });
  assert.ok(model.trees.some((t) => t.numCat > 0), 'the model should split on the category feature');
  const { text, back } = roundTrip(model);
  const lines = text.split('\n');
  assert.deepEqual(lines.slice(0, 8), [
    'tree', 'version=v4', 'num_class=1', 'num_tree_per_iteration=1', 'label_index=0', 'max_feature_idx=2', 'objective=binary sigmoid:1',
    'feature_names=age_years color noise',
  ]);
  assert.match(lines[8], /^feature_infos=\[20:80\] -1(:\d)+ \[-0\.\d+:0\.\d+\]$/);
  assert.deepEqual(back.features.map((f) => [f.name, f.categorical, f.dictionary]), [['age years', false, null], ['color', true, COLORS], ['noise', false, null]]);
  assert.equal(lines.at(-2), `pandas_categorical:${JSON.stringify([COLORS])}`);
  assert.equal(lines.at(-1), '');
  assert.deepEqual(back.params, model.params);
});

test('tree_sizes are the byte lengths of the tree blocks, as LightGBM reads them', () => {
  const model = trainGbdt(TRAIN, { objective: 'binary', num_iterations: 3, num_leaves: 4 }, { label: 'y', features: FEATURES });
  const text = writeLightGbmModel(model);
  const sizes = /^tree_sizes=(.*)$/m.exec(text)![1].split(' ').map(Number);
  let at = text.indexOf('\n\nTree=0\n') + 2;
  for (const [i, size] of sizes.entries()) {
    assert.ok(text.startsWith(`Tree=${i}\n`, at), `tree ${i} starts at its offset`);
    at += size;
  }
  assert.ok(text.startsWith('end of trees\n', at), 'end of trees follows the last tree');
});

test('multiclass with class names: the round trip keeps the classes and the K trees per iteration', () => {
  const model = trainGbdt(TRAIN, { objective: 'multiclass', num_class: 3, num_iterations: 5, num_leaves: 5 }, { label: 'class', features: FEATURES });
  const { text, back } = roundTrip(model);
  assert.match(text, /^num_class=3\nnum_tree_per_iteration=3\n/m);
  assert.match(text, /^objective=multiclass num_class:3$/m);
  assert.deepEqual([back.labelClasses, back.numOutputs, back.trees.length], [['high', 'low', 'mid'], 3, 15]);
});

test('regression objectives keep their output conversion and parameters; monotone constraints go in the header', () => {
  for (const objective of ['regression', 'regression_l1', 'huber', 'quantile', 'poisson']) {
    const params = { objective, num_iterations: 4, num_leaves: 4, alpha: 0.35, monotone_constraints: [1, 0, 0] };
    const model = trainGbdt(TRAIN, params, { label: 'amount', features: FEATURES });
    const { text, back } = roundTrip(model);
    assert.match(text, new RegExp(`^objective=${objective}$`, 'm'));
    assert.match(text, /^monotone_constraints=1 0 0$/m);
    assert.deepEqual([back.params.objective, back.params.alpha, back.params.monotone_constraints], [objective, 0.35, [1, 0, 0]]);
  }
});

test('a sigmoid of more than 6 digits: the header shows 6, as LightGBM, and Loom reads back the exact value', () => {
  const model = trainGbdt(TRAIN, { objective: 'binary', sigmoid: 1.23456789, num_iterations: 3 }, { label: 'y', features: FEATURES });
  const { text, back } = roundTrip(model);
  assert.match(text, /^objective=binary sigmoid:1.23457$/m);
  assert.equal(back.params.sigmoid, 1.23456789);
});

test('a tree block is laid out field by field as LightGBM writes it', () => {
  const tree = new Tree(3);
  const out = { leftValue: 0.1, rightValue: -0.25, leftCount: 60, rightCount: 40, leftWeight: 15.5, rightWeight: 10, gain: 12.3456789 };
  tree.splitNumerical(0, 2, 7, 0.30000000000000004, true, 2, out);
  tree.splitCategorical(1, 1, [1, 2], [0, 33], 0, { ...out, leftValue: -0.5, rightValue: 1 / 3, leftCount: 30, rightCount: 10, leftWeight: 6, rightWeight: 4, gain: 0.5 });
  tree.shrink(0.1);
  assert.equal(writeTreeBlock(tree), [
    'num_leaves=3',
    'num_cat=1',
    'split_feature=2 1',
    'split_gain=12.3457 0.5',
    'threshold=0.30000000000000004 0',
    'decision_type=10 1',
    'left_child=-1 -2',
    'right_child=1 -3',
    'leaf_value=0.010000000000000002 -0.050000000000000003 0.033333333333333333',
    'leaf_weight=15.5 6 4',
    'leaf_count=60 30 10',
    'internal_value=0 -0.025',
    'internal_weight=25.5 10',
    'internal_count=100 40',
    'cat_boundaries=0 2',
    'cat_threshold=1 2',
    'is_linear=0',
    'shrinkage=0.1',
    '',
    '',
  ].join('\n'));
});

test('a one-leaf tree has empty node fields, as LightGBM writes it, and reads back', () => {
  const tree = new Tree(4);
  tree.leafValue[0] = -1.5;
  const params = resolveGbdtParams({ objective: 'regression' });
  const model = new GbdtModel({
    trees: [tree], numOutputs: 1, params, labelClasses: null, bestIteration: 1, evalLog: { iterations: [], values: {} },
    features: [{ name: '', categorical: false, dictionary: null, trivial: true, minValue: Number.NaN, maxValue: Number.NaN, binCategories: null }],
  });
  const text = writeLightGbmModel(model);
  assert.match(text, /\nfeature_names=Column_0\nfeature_infos=none\n/);
  assert.match(text, /\nnum_leaves=1\nnum_cat=0\nsplit_feature=\nsplit_gain=\nthreshold=\ndecision_type=\nleft_child=\nright_child=\nleaf_value=-1.5\n/);
  const back = readLightGbmModel(text);
  assert.equal(back.features[0].name, '');
  assert.deepEqual(predictBatch(back, { columns: [Float64Array.of(3)] }), Float64Array.of(-1.5));
  assert.equal(writeLightGbmModel(back), text);
});
