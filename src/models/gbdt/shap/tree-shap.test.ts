import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadAdult } from '../../../../test/support/gbdt-datasets.js';
import { isLoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { Random } from '../../../core/random.js';
import { predictBatch } from '../predict/predict-batch.js';
import { trainGbdt } from '../train-gbdt.js';
import { GbdtModel } from '../gbdt-model.js';
import { Tree } from '../tree/tree.js';
import { child, modelOf, outcome, randomTree } from '../../../../test/support/gbdt-random-trees.js';
import { treeShap } from './tree-shap.js';
import { treeShapRow } from './tree-shap-row.js';
import { MIN_ROWS_FOR_SHAP_THREADS, SHAP_CONTROL, treeShapInThreads, type ShapWorkerData } from './shap-threads.js';
import { Worker } from 'node:worker_threads';

/**
 * Root x0 <= 0.5 (60 rows left, 40 right, leaf -2); left child x1 <= 1 (20 rows, leaf 3 / 40 rows, leaf 0.5). For
 * x = (0, 2, 9): E f = 0.2·3 + 0.4·0.5 + 0.4·(-2) = 0; v({x0}) = 4/3, v({x1}) = -1/2, v({x0, x1}) = 1/2, so
 * φ0 = ((4/3 − 0) + (1/2 + 1/2)) / 2 = 7/6 and φ1 = ((−1/2 − 0) + (1/2 − 4/3)) / 2 = −2/3.
 */
function twoSplitTree(): Tree {
  const tree = new Tree(3);
  tree.leafCount[0] = 100;
  tree.splitNumerical(0, 0, 0, 0.5, false, 0, outcome(1, -2, 60, 40));
  tree.splitNumerical(0, 1, 0, 1, true, 2, outcome(3, 0.5, 20, 40));
  return tree;
}

test('exact values on a hand-made two-split tree: by hand, by brute-force Shapley enumeration, and by TreeSHAP', () => {
  const model = modelOf([twoSplitTree()], 3);
  const cases: [number[], number[]][] = [
    [[0, 2, 9], [7 / 6, -2 / 3, 0, 0]],
    // x0 right: v(∅)=0, v({x0})=-2, v({x1})=0.2·3+0.4·0.5... with x1=0 (left): v({x1}) = 0.6·3 − 0.8 = 1, v(both) = −2.
    [[1, 0, 0], [((-2 - 0) + (-2 - 1)) / 2, ((1 - 0) + (-2 + 2)) / 2, 0, 0]],
    // x1 NaN goes left (default left, missing type NaN) → leaf 3: v({x1}) = 0.6·3 − 0.8 = 1, v(both) = 3.
    [[0, Number.NaN, 0], [((4 / 3 - 0) + (3 - 1)) / 2, ((1 - 0) + (3 - 4 / 3)) / 2, 0, 0]],
  ];
  const out = new Float64Array(4);
  for (const [x, expected] of cases) {
    treeShapRow(model, Float64Array.from(x), out);
    const enumerated = [...bruteForceShapley(model.trees[0], x, 3), conditional(model.trees[0], x, 0)];
    for (let f = 0; f < 4; f++) {
      assert.ok(Math.abs(enumerated[f] - expected[f]) <= 1e-15, `brute force, x=${x} φ${f}: ${enumerated[f]} vs ${expected[f]}`);
      assert.ok(Math.abs(out[f] - expected[f]) <= 1e-15, `TreeSHAP, x=${x} φ${f}: ${out[f]} vs ${expected[f]}`);
    }
  }
});

/** E[f(x) | x_S] with unknown features averaged over the training rows' path (cover) at each split. */
function conditional(tree: Tree, x: readonly number[], known: number, node = 0): number {
  if (node < 0) return tree.leafValue[~node];
  if ((known >> tree.splitFeature[node]) & 1) return conditional(tree, x, known, child(tree, node, x[tree.splitFeature[node]]));
  const count = (n: number): number => (n >= 0 ? tree.internalCount[n] : tree.leafCount[~n]);
  const l = tree.leftChild[node];
  const r = tree.rightChild[node];
  return (count(l) / count(node)) * conditional(tree, x, known, l) + (count(r) / count(node)) * conditional(tree, x, known, r);
}

/** Shapley values of `conditional` by enumerating every subset of the M features. */
function bruteForceShapley(tree: Tree, x: readonly number[], m: number): number[] {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < 1 << m; s++) {
      if ((s >> i) & 1) continue;
      let size = 0;
      for (let b = s; b > 0; b >>= 1) size += b & 1;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i] += weight * (conditional(tree, x, s | (1 << i)) - conditional(tree, x, s));
    }
  }
  return phi;
}

test('random trees with repeated features, categorical splits and all missing types: equal to brute-force Shapley values', () => {
  const rng = new Random(5);
  const values = [Number.NaN, 0, 1e-36, -1, -0.5, 0.5, 1, 2, 3, 4, 5, 7];
  for (let t = 0; t < 30; t++) {
    const tree = randomTree(rng, 2 + rng.nextInt(14));
    const model = modelOf([tree], 4);
    const out = new Float64Array(5);
    for (let r = 0; r < 20; r++) {
      const x = [0, 1, 2, 3].map(() => values[rng.nextInt(values.length)]);
      treeShapRow(model, Float64Array.from(x), out);
      const expected = bruteForceShapley(tree, x, 4);
      for (let f = 0; f < 4; f++) assert.ok(Math.abs(out[f] - expected[f]) <= 1e-12, `tree ${t} x=${x} φ${f}: ${out[f]} vs ${expected[f]}`);
      assert.ok(Math.abs(out[4] - conditional(tree, x, 0)) <= 1e-12, 'bias = expected value');
    }
  }
});

test('multiclass layout: row-major, class blocks of F + 1, each summing to that class\'s raw score', () => {
  const rng = new Random(9);
  const trees = Array.from({ length: 6 }, () => randomTree(rng, 6));
  const model = modelOf(trees, 4, 'multiclass', 3);
  const columns = [0, 1, 2, 3].map(() => Float64Array.from({ length: 7 }, () => rng.nextInt(7) - 1));
  const phi = treeShap(model, { columns });
  const raw = predictBatch(model, { columns }, undefined, { rawScore: true });
  assert.equal(phi.length, 7 * 3 * 5);
  for (let i = 0; i < 7; i++) {
    for (let k = 0; k < 3; k++) {
      const block = phi.subarray((i * 3 + k) * 5, (i * 3 + k + 1) * 5);
      assert.ok(Math.abs(block.reduce((a, b) => a + b, 0) - raw[i * 3 + k]) <= 1e-12, `row ${i} class ${k}: Σφ vs raw ${raw[i * 3 + k]}`);
      const alone = new Float64Array(5);
      const single = modelOf([trees[k], trees[k + 3]], 4);
      treeShapRow(single, Float64Array.from(columns, (c) => c[i]), alone);
      assert.deepEqual(Array.from(block), Array.from(alone), `row ${i} class ${k} holds class ${k}'s trees only`);
    }
  }
});

test('wrong row or output lengths are coded 400 errors', () => {
  const model = modelOf([twoSplitTree()], 3);
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (err) {
      return isLoomError(err) ? `${err.code} ${err.details?.field}` : String(err);
    }
    return undefined;
  };
  assert.equal(code(() => treeShapRow(model, new Float64Array(2), new Float64Array(4))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID row');
  assert.equal(code(() => treeShapRow(model, new Float64Array(3), new Float64Array(3))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID out');
  assert.equal(code(() => treeShap(model, { columns: [new Float64Array(2), new Float64Array(2), new Float64Array(2)] }, new Float64Array(7))), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID out');
  assert.equal(code(() => treeShap(model, { columns: [new Float64Array(2)] })), 'LOOM_ERR_GBDT_PREDICT_INPUT_INVALID columns');
});

describe('Adult, 100 trees trained by Loom', () => {
  let model: GbdtModel;
  let rows: Frame;
  let many: Frame;
  before(async () => {
    const { train, test: holdout } = await loadAdult();
    model = trainGbdt(train, { objective: 'binary', num_iterations: 100, seed: 42 }, { label: 'income' });
    rows = holdout.slice(0, 1000);
    many = holdout.slice(0, MIN_ROWS_FOR_SHAP_THREADS + 100);
  });

  test('on 2 threads the contributions are the bits of 1 thread, numIterations included', () => {
    const one = treeShap(model, many, undefined, { numThreads: 1, numIterations: 60 });
    const two = treeShap(model, many, undefined, { numThreads: 2, numIterations: 60 });
    assert.equal(two.length, one.length);
    let differing = 0;
    for (let i = 0; i < one.length; i++) if (!Object.is(one[i], two[i])) differing++;
    assert.equal(differing, 0);
    // Not all zero: the last row has contributions.
    assert.ok(one.subarray(one.length - model.features.length - 1).some((v) => v !== 0));
  });

  test('a worker that fails inside a block of rows makes treeShap throw LOOM_ERR_GBDT_SHAP_THREADS_FAILED', () => {
    const width = model.features.length + 1;
    const numRows = 2 * MIN_ROWS_FOR_SHAP_THREADS;
    const columns = model.features.map(() => ({ values: new Float64Array(numRows), validity: null }));
    // A worker that takes a block and then fails in it.
    const failing = (data: ShapWorkerData): Worker => new Worker(
      `const { workerData } = require('node:worker_threads');
       const control = new Int32Array(workerData.control);
       Atomics.add(control, ${SHAP_CONTROL.next}, 1);
       Atomics.store(control, ${SHAP_CONTROL.failed}, 1);
       Atomics.notify(control, ${SHAP_CONTROL.completed});`,
      { eval: true, workerData: data },
    );
    assert.throws(() => treeShapInThreads(model, columns, numRows, new Float64Array(numRows * width), {}, 2, failing), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_GBDT_SHAP_THREADS_FAILED' && e.statusCode === 500);
  });

  test('local accuracy: contributions plus expected value equal the raw score, every row (first 1,000 test rows)', () => {
    const phi = treeShap(model, rows);
    const raw = predictBatch(model, rows, undefined, { rawScore: true });
    const width = model.features.length + 1;
    let max = 0;
    for (let i = 0; i < rows.length; i++) {
      let sum = 0;
      for (let f = 0; f < width; f++) sum += phi[i * width + f];
      max = Math.max(max, Math.abs(sum - raw[i]));
    }
    assert.ok(max <= 1e-9, `max |Σφ − raw| = ${max}`);
    const partial = treeShap(model, rows.slice(0, 50), undefined, { numIterations: 10 });
    const partialRaw = predictBatch(model, rows.slice(0, 50), undefined, { rawScore: true, numIterations: 10 });
    for (let i = 0; i < 50; i++) assert.ok(Math.abs(partial.subarray(i * width, (i + 1) * width).reduce((a, b) => a + b, 0) - partialRaw[i]) <= 1e-9, `row ${i}, 10 iterations`);
  });

  test('the single-row path gives the batch values exactly, reusing one output buffer', () => {
    const phi = treeShap(model, rows.slice(0, 20));
    const width = model.features.length + 1;
    const out = new Float64Array(width);
    const row = new Float64Array(model.features.length);
    for (let i = 0; i < 20; i++) {
      model.features.forEach((f, j) => {
        const c = rows.column(f.name);
        row[j] = c.type === 'category' ? c.codes[i] : c.type === 'float' ? c.values[i] : Number.NaN;
      });
      assert.deepEqual(treeShapRow(model, row, out), phi.subarray(i * width, (i + 1) * width));
    }
  });
});
