import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn, stringColumn } from '../../core/frame/column-builders.js';
import { Frame } from '../../core/frame/frame.js';
import { nextUp } from './binning/next-up.js';
import { featureImportance } from './feature-importance.js';
import { predictBatch } from './predict/predict-batch.js';
import { predictRow } from './predict/predict-row.js';
import { DECISION_CATEGORICAL } from './tree/tree.js';
import { trainGbdt } from './train-gbdt.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);
const STUMP = { num_iterations: 1, num_leaves: 2, min_data_in_leaf: 1, min_data_in_bin: 1 };

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

test('a regression stump has the hand-computed threshold, leaf values G/(H+λ) with shrinkage, and gain', () => {
  // Start at the mean 3; gradients score − y are +2 (x ≤ 4) and −2 (x ≥ 5), hessians 1.
  const x = f64(1, 2, 3, 4, 5, 6, 7, 8);
  const y = f64(1, 1, 1, 1, 5, 5, 5, 5);
  const model = trainGbdt({ columns: [x], label: y }, { ...STUMP, objective: 'regression', learning_rate: 0.5, lambda_l2: 1 });
  const tree = model.trees[0];
  assert.equal(tree.numLeaves, 2);
  assert.equal(tree.splitFeature[0], 0);
  assert.equal(tree.threshold[0], nextUp(4.5));
  const left = 3 + (-8 / (4 + 1)) * 0.5;
  const right = 3 + (8 / (4 + 1)) * 0.5;
  assert.deepEqual(Array.from(tree.leafValue.subarray(0, 2)), [left, right]);
  assert.deepEqual(Array.from(tree.leafCount.subarray(0, 2)), [4, 4]);
  assert.equal(tree.splitGain[0], 64 / 5 + 64 / 5);
  assert.equal(tree.internalValue[0], 3 + 0);
  assert.deepEqual(Array.from(predictBatch(model, { columns: [f64(0, 4, 4.5, 4.6, 100)] })), [left, left, left, right, right]);
  assert.deepEqual(Array.from(featureImportance(model, 'split')), [1]);
  assert.deepEqual(Array.from(featureImportance(model, 'gain')), [64 / 5 + 64 / 5]);
});

test('a binary stump: log-odds start, leaves −G/H times the learning rate, sigmoid outputs', () => {
  const x = f64(1, 2, 3, 4, 5, 6, 7, 8);
  const y = f64(0, 0, 0, 1, 1, 1, 1, 1);
  const model = trainGbdt({ columns: [x], label: y }, { ...STUMP, objective: 'binary', learning_rate: 0.1 });
  const init = Math.log(5 / 3);
  const p = 5 / 8;
  // Best split x ≤ 3.5: left rows have y = 0, gradient p − 0, hessian p(1 − p).
  const left = init + (-(3 * p) / (3 * p * (1 - p))) * 0.1;
  const right = init + (-(5 * (p - 1)) / (5 * p * (1 - p))) * 0.1;
  const tree = model.trees[0];
  assert.equal(tree.threshold[0], nextUp(3.5));
  assert.ok(Math.abs(tree.leafValue[0] - left) < 1e-14 && Math.abs(tree.leafValue[1] - right) < 1e-14);
  const out = predictBatch(model, { columns: [f64(1, 8)] });
  assert.ok(Math.abs(out[0] - 1 / (1 + Math.exp(-left))) < 1e-14);
  assert.ok(Math.abs(out[1] - 1 / (1 + Math.exp(-right))) < 1e-14);
  const raw = predictBatch(model, { columns: [f64(1)] }, undefined, { rawScore: true });
  assert.ok(Math.abs(raw[0] - left) < 1e-14);
});

test('sample weights weight the gradients: a leaf is −Σw·g / Σw·h', () => {
  const x = f64(1, 2, 3, 4);
  const y = f64(0, 2, 10, 10);
  const w = f64(1, 3, 1, 1);
  const model = trainGbdt({ columns: [x], label: y, weight: w }, { ...STUMP, objective: 'regression', learning_rate: 1, boost_from_average: false });
  // From score 0: x ≤ 2.5 has Σw·g = −(0·1 + 2·3) = −6 and Σw = 4; the other side −20 and 2.
  assert.deepEqual(Array.from(model.trees[0].leafValue.subarray(0, 2)), [6 / 4, 20 / 2]);
});

test('missing values learn their side and predict on it', () => {
  const x = f64(1, 2, 3, 4, 5, 6, Number.NaN, Number.NaN);
  const y = f64(0, 0, 0, 10, 10, 10, 10, 10);
  const model = trainGbdt({ columns: [x], label: y }, { ...STUMP, objective: 'regression', learning_rate: 1 });
  const out = predictBatch(model, { columns: [f64(Number.NaN, 1, 6)] });
  assert.equal(out[0], out[2]);
  assert.notEqual(out[0], out[1]);
  assert.equal(model.trees[0].threshold[0], nextUp(3.5));
});

test('categorical features split on a category set, and frames keep the dictionary for prediction', () => {
  const colours = ['red', 'blue', 'green', 'red', 'blue', 'green', 'red', 'blue', 'green', 'teal', 'teal', 'teal'];
  const y = colours.map((c) => (c === 'blue' || c === 'teal' ? 1 : 0));
  const frame = new Frame([categoryColumn('colour', colours), floatColumn('y', y, ['target'])]);
  const model = trainGbdt(frame, { ...STUMP, objective: 'regression', learning_rate: 1, min_data_per_group: 1, cat_smooth: 1, max_cat_to_onehot: 1 });
  const tree = model.trees[0];
  assert.equal(tree.decisionType[0] & DECISION_CATEGORICAL, DECISION_CATEGORICAL);
  assert.deepEqual(model.features, [{ name: 'colour', categorical: true, dictionary: ['red', 'blue', 'green', 'teal'], trivial: false, minValue: 0, maxValue: 3, binCategories: [-1, 0, 1, 2, 3] }]);
  // A test frame whose dictionary is ordered differently, with an unseen category.
  const test = new Frame([categoryColumn('colour', ['teal', 'red', 'purple', 'blue'], [], ['purple', 'teal', 'blue', 'red'])]);
  const out = predictBatch(model, test);
  assert.equal(out[0], out[3]);
  assert.notEqual(out[0], out[1]);
  assert.equal(out[2], tree.leafValue[1], 'an unseen category goes right');
});

test('predictRow gives the same outputs as predictBatch and allocates into the given array', () => {
  const n = 200;
  const x0 = Float64Array.from({ length: n }, (_, i) => (i * 37) % 101);
  const x1 = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : (i * 13) % 17));
  const y = Float64Array.from({ length: n }, (_, i) => x0[i] / 10 + (Number.isNaN(x1[i]) ? 3 : x1[i] % 3));
  const model = trainGbdt({ columns: [x0, x1], label: y }, { objective: 'regression', num_iterations: 20, num_leaves: 7, min_data_in_leaf: 5 });
  const batch = predictBatch(model, { columns: [x0, x1] });
  const out = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    assert.equal(predictRow(model, f64(x0[i], x1[i]), out), out);
    assert.equal(out[0], batch[i]);
  }
  assert.equal(code(() => predictRow(model, f64(1), out)), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID');
});

test('training is deterministic for a seed with bagging, feature fraction and GOSS', () => {
  const n = 300;
  const cols = [0, 1, 2, 3].map((k) => Float64Array.from({ length: n }, (_, i) => ((i + 1) * (k + 3) * 7919) % 97));
  const y = Float64Array.from({ length: n }, (_, i) => (cols[0][i] + cols[1][i] > 90 ? 1 : 0));
  const params = { objective: 'binary', num_iterations: 15, num_leaves: 5, min_data_in_leaf: 5, bagging_fraction: 0.7, bagging_freq: 1, feature_fraction: 0.5, seed: 7 };
  const a = predictBatch(trainGbdt({ columns: cols, label: y }, params), { columns: cols });
  const b = predictBatch(trainGbdt({ columns: cols, label: y }, params), { columns: cols });
  const c = predictBatch(trainGbdt({ columns: cols, label: y }, { ...params, seed: 8 }), { columns: cols });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const goss = { objective: 'binary', num_iterations: 15, num_leaves: 5, min_data_in_leaf: 5, data_sample_strategy: 'goss', learning_rate: 0.5, seed: 7 };
  assert.deepEqual(predictBatch(trainGbdt({ columns: cols, label: y }, goss), { columns: cols }), predictBatch(trainGbdt({ columns: cols, label: y }, goss), { columns: cols }));
});

test('early stopping keeps the trees up to the best validation iteration and logs every iteration', () => {
  const n = 200;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const noise = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 13) - 6);
  const y = Float64Array.from({ length: n }, (_, i) => (i < 100 ? 0 : 5) + noise[i]);
  const validY = Float64Array.from({ length: n }, (_, i) => (i < 100 ? 0 : 5));
  const events: number[] = [];
  const model = trainGbdt({ columns: [x], label: y }, { objective: 'regression', num_iterations: 200, num_leaves: 31, min_data_in_leaf: 1, learning_rate: 0.3, early_stopping_round: 5, metric: 'l2' }, {
    validSets: [{ name: 'holdout', data: { columns: [x], label: validY } }],
    onIteration: (e) => events.push(e.iteration),
  });
  const series = model.evalLog.values.holdout.l2;
  assert.ok(model.bestIteration < 200);
  assert.equal(model.numIterations, model.bestIteration);
  assert.equal(series.length, events.length);
  assert.equal(events.length, model.bestIteration + 5);
  const best = Math.min(...series);
  assert.equal(series[model.bestIteration - 1], best);
  for (const v of series.slice(model.bestIteration)) assert.ok(v >= best);
});

test('validation sets named like Object.prototype members each get their own evaluation log', () => {
  const n = 100;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from({ length: n }, (_, i) => (i < 50 ? 0 : 5));
  const names = ['constructor', '__proto__', 'toString'];
  const model = trainGbdt({ columns: [x], label: y }, { objective: 'regression', num_iterations: 3, num_leaves: 4, min_data_in_leaf: 1, metric: 'l2' }, {
    validSets: names.map((name, j) => ({ name, data: { columns: [x], label: y.map((v) => v + j) } })),
  });
  const values = model.evalLog.values;
  assert.deepEqual(Object.keys(values), names);
  assert.equal(Object.getPrototypeOf(values), Object.prototype);
  const own = (name: string): Record<string, number[]> => Object.getOwnPropertyDescriptor(values, name)!.value;
  for (const name of names) assert.equal(own(name).l2.length, 3, name);
  // Each set has its own labels (shifted by 0, 1, 2), so its own series.
  assert.ok(own('__proto__').l2[2] > own('constructor').l2[2]);
  assert.equal(({} as Record<string, unknown>).l2, undefined);
});

test('each iteration reports the seconds since the boosting loop started, which leave out binning and setup', () => {
  const n = 20_000;
  const columns = Array.from({ length: 8 }, (_, f) => Float64Array.from({ length: n }, (_, i) => ((i * (f + 3) * 2654435761) % 1000) / 10));
  const y = Float64Array.from({ length: n }, (_, i) => columns[0][i] + columns[1][i] * 0.5);
  const seconds: number[] = [];
  let before = -1;
  const t0 = performance.now();
  trainGbdt({ columns, label: y }, { objective: 'regression', num_iterations: 5 }, {
    onIteration: (e) => {
      // The first event comes after binning and setup: the time since trainGbdt was called exceeds the loop's.
      if (e.iteration === 1) before = (performance.now() - t0) / 1000 - e.seconds;
      seconds.push(e.seconds);
    },
  });
  const total = (performance.now() - t0) / 1000;
  assert.equal(seconds.length, 5);
  assert.ok(seconds[0] > 0);
  for (let i = 1; i < seconds.length; i++) assert.ok(seconds[i] >= seconds[i - 1], `seconds go back at iteration ${i + 1}`);
  assert.ok(seconds[4] < total);
  // Binning alone sorts 8 samples of 20,000 values: well over a millisecond.
  assert.ok(before > 0.001, `only ${before} s passed before the loop: the loop's clock starts too early`);
});

test('L1 regression refits leaves to residual medians', () => {
  const x = f64(1, 2, 3, 4, 5, 6);
  const y = f64(0, 1, 100, 10, 11, 12);
  const model = trainGbdt({ columns: [x], label: y }, { ...STUMP, objective: 'regression_l1', learning_rate: 1, min_data_in_leaf: 3 });
  // Start at the median 10.5; a leaf's value is the median of its residuals y − 10.5.
  const leaves = Array.from(model.trees[0].leafValue.subarray(0, 2)).sort((a, b) => a - b);
  assert.deepEqual(leaves, [10.5 + (1 - 10.5), 10.5 + (11 - 10.5)]);
});

test('monotone constraints make predictions monotone in the constrained feature', () => {
  const n = 400;
  const x = Float64Array.from({ length: n }, (_, i) => i / 4);
  const z = Float64Array.from({ length: n }, (_, i) => (i * 31) % 7);
  const y = Float64Array.from({ length: n }, (_, i) => x[i] / 10 + Math.sin(x[i]) * 3 + z[i]);
  const model = trainGbdt({ columns: [x, z], label: y }, { objective: 'regression', num_iterations: 30, num_leaves: 15, min_data_in_leaf: 5, monotone_constraints: [1, 0] });
  const grid = Float64Array.from({ length: 200 }, (_, i) => i / 2);
  for (const zv of [0, 3, 6]) {
    const out = predictBatch(model, { columns: [grid, new Float64Array(200).fill(zv)] });
    for (let i = 1; i < out.length; i++) assert.ok(out[i] >= out[i - 1], `z=${zv} at ${grid[i]}`);
  }
});

test('multiclass grows one tree per class per iteration and outputs probabilities', () => {
  const n = 90;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 30));
  const model = trainGbdt({ columns: [x], label: y }, { objective: 'multiclass', num_class: 3, num_iterations: 10, min_data_in_leaf: 5 });
  assert.equal(model.trees.length, 30);
  const out = predictBatch(model, { columns: [f64(5, 45, 85)] });
  for (let r = 0; r < 3; r++) {
    const row = Array.from(out.subarray(r * 3, r * 3 + 3));
    assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-12);
    assert.equal(row.indexOf(Math.max(...row)), r);
  }
});

test('bad input gets coded errors naming the field', () => {
  const x = f64(1, 2, 3, 4);
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 0, 1, 0) }, { objective: 'binary', num_leavs: 3 })), 'LOOM_ERR_GBDT_PARAM_UNKNOWN');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 0, 1, 0) }, { objective: 'binary', learning_rate: -1 })), 'LOOM_ERR_GBDT_PARAM_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 1, 1, 1) }, { objective: 'binary' })), 'LOOM_ERR_GBDT_LABEL_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [new Float64Array(0)], label: new Float64Array(0) }, {})), 'LOOM_ERR_GBDT_DATA_EMPTY');
  assert.equal(code(() => trainGbdt({ columns: [], label: f64(1) }, {})), 'LOOM_ERR_GBDT_DATA_EMPTY');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 2) }, {})), 'LOOM_ERR_GBDT_DATA_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 2, 3, 4), weight: f64(1, -1, 1, 1) }, {})), 'LOOM_ERR_GBDT_DATA_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [x, f64(NaN, NaN, NaN, NaN)], label: f64(1, 2, 3, 4) }, {})), 'LOOM_ERR_GBDT_FEATURE_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 2, 3, 4) }, { categorical_feature: 'nope' })), 'LOOM_ERR_GBDT_FEATURE_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 2, 3, 4) }, { monotone_constraints: [1, 0] })), 'LOOM_ERR_GBDT_PARAM_INVALID');
  assert.equal(code(() => trainGbdt({ columns: [x], label: f64(1, 2, 3, 4) }, { metric: 'auc', objective: 'multiclass', num_class: 5 })), 'LOOM_ERR_GBDT_PARAM_INVALID');
  const text = new Frame([stringColumn('name', ['a', 'b', 'c']), floatColumn('y', [1, 2, 3])]);
  assert.equal(code(() => trainGbdt(text, {}, { label: 'y' })), 'LOOM_ERR_GBDT_FEATURE_INVALID');
  const textLabel = new Frame([floatColumn('x', [1, 2, 3]), stringColumn('y', ['a', 'b', 'c'])]);
  assert.equal(code(() => trainGbdt(textLabel, {}, { label: 'y' })), 'LOOM_ERR_GBDT_LABEL_INVALID');
  assert.equal(code(() => trainGbdt(textLabel, {})), 'LOOM_ERR_GBDT_LABEL_INVALID');
});

test('prediction input with missing columns or wrong types gets a coded error', () => {
  const frame = new Frame([floatColumn('a', [1, 2, 3, 4]), categoryColumn('k', ['x', 'y', 'x', 'y']), floatColumn('y', [1, 2, 3, 4], ['target'])]);
  const model = trainGbdt(frame, { min_data_in_leaf: 1, num_iterations: 2 });
  assert.deepEqual(model.features.map((f) => f.name), ['a', 'k']);
  assert.equal(code(() => predictBatch(model, new Frame([floatColumn('a', [1])]))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID');
  assert.equal(code(() => predictBatch(model, new Frame([floatColumn('a', [1]), floatColumn('k', [1])]))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID');
  assert.equal(code(() => predictBatch(model, new Frame([categoryColumn('a', ['1']), categoryColumn('k', ['x'])]))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID');
  assert.equal(code(() => predictBatch(model, { columns: [f64(1)] })), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID');
  assert.equal(code(() => predictBatch(model, new Frame([floatColumn('a', [1]), categoryColumn('k', ['x'])]), new Float64Array(2))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID');
  assert.equal(predictBatch(model, new Frame([floatColumn('a', [1]), categoryColumn('k', ['x'])])).length, 1);
});

test('raw-value prediction reproduces the binned training scores exactly (categorical, missing, bagging)', () => {
  const n = 500;
  const x = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? Number.NaN : ((i * 7919) % 1000) / 10));
  const k = Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -1 : (i * 31) % 9));
  const y = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(x[i]) ? 7 : x[i] / 20) + (k[i] % 3) * 2);
  const params = { objective: 'regression', num_iterations: 25, num_leaves: 9, min_data_in_leaf: 3, categorical_feature: '1', max_cat_to_onehot: 2, cat_smooth: 1, min_data_per_group: 5, bagging_fraction: 0.8, bagging_freq: 1, metric: 'l2', is_provide_training_metric: true };
  const model = trainGbdt({ columns: [x, k], label: y }, params);
  const trainingL2 = model.evalLog.values.training.l2;
  const p = predictBatch(model, { columns: [x, k] });
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (p[i] - y[i]) * (p[i] - y[i]);
  assert.equal(trainingL2[trainingL2.length - 1], sum / n);
  assert.ok(model.trees.some((t) => (t.decisionType[0] & DECISION_CATEGORICAL) !== 0));
});
