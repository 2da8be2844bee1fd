import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../core/random.js';
import { binFeatures } from '../binning/bin-features.js';
import type { BinMapper } from '../binning/bin-mapper.js';
import { makeBinnedDataset } from '../binning/binned-dataset.js';
import { readTrainingData } from '../data/training-data.js';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { trainGbdt } from '../train-gbdt.js';
import { binnedLeafIndex } from '../tree/binned-leaf-index.js';
import { DataPartition } from '../tree/data-partition.js';
import { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, Tree } from '../tree/tree.js';
import { outcome } from '../../../../test/support/gbdt-random-trees.js';
import { addTreeBinned, addTreeByPartition, rowLeavesBuffer } from './score-updater.js';

/** A partition of `rows` (ascending) into `leaves` leaves at random, rows ascending within each leaf, as the learner leaves it. */
function partitionOf(rows: readonly number[], leaves: number, rnd: () => number): { tree: Tree; partition: DataPartition; leafOf: Map<number, number> } {
  const leafOf = new Map(rows.map((r) => [r, Math.floor(rnd() * leaves)]));
  const leafCount = new Int32Array(leaves);
  for (const leaf of leafOf.values()) leafCount[leaf]++;
  const leafBegin = new Int32Array(leaves);
  for (let l = 1; l < leaves; l++) leafBegin[l] = leafBegin[l - 1] + leafCount[l - 1];
  const indices = new Int32Array(rows.length);
  const at = leafBegin.slice();
  for (const r of rows) indices[at[leafOf.get(r)!]++] = r;
  const leafValue = Float64Array.from({ length: leaves }, () => (rnd() - 0.5) * 0.3);
  return { tree: { numLeaves: leaves, leafValue } as unknown as Tree, partition: { indices, leafBegin, leafCount } as unknown as DataPartition, leafOf };
}

test('the row-ordered score update adds exactly what the scatter adds, bit for bit, and runs for large trees only', () => {
  const rng = new Random(5);
  const rnd = (): number => rng.nextFloat();
  const n = 5000;
  const all = Array.from({ length: n }, (_, i) => i);
  for (const leaves of [200, 65, 64, 31]) {
    const { tree, partition, leafOf } = partitionOf(all, leaves, rnd);
    const start = Float64Array.from({ length: 2 * n }, () => rnd() * 4 - 2);
    const scattered = start.slice();
    addTreeByPartition(tree, partition, scattered, n);
    const rowOrdered = start.slice();
    const rowLeaves = rowLeavesBuffer(n, leaves);
    addTreeByPartition(tree, partition, rowOrdered, n, rowLeaves, n);
    for (let i = 0; i < 2 * n; i++) assert.ok(Object.is(rowOrdered[i], scattered[i]), `${leaves} leaves, score ${i}: ${rowOrdered[i]} vs ${scattered[i]}`);
    for (let i = 0; i < n; i++) assert.equal(scattered[i], start[i], 'the other class is untouched');
    // The buffer exists, and was filled with every row's leaf, exactly when the tree has more than 64 leaves.
    assert.equal(rowLeaves !== null, leaves > 64);
    if (rowLeaves !== null) for (let r = 0; r < n; r++) assert.equal(rowLeaves[r], leafOf.get(r));
  }
});

test('a tree grown on a bag of the rows keeps the scatter: rows outside the bag are not touched', () => {
  const rng = new Random(9);
  const rnd = (): number => rng.nextFloat();
  const n = 3000;
  const bag = Array.from({ length: n }, (_, i) => i).filter(() => rnd() < 0.6);
  const { tree, partition } = partitionOf(bag, 100, rnd);
  const start = Float64Array.from({ length: n }, () => rnd());
  const score = start.slice();
  const rowLeaves = rowLeavesBuffer(n, 100)!.fill(255);
  addTreeByPartition(tree, partition, score, 0, rowLeaves, n);
  assert.ok(rowLeaves.every((v) => v === 255), 'the row-ordered path did not run');
  const inBag = new Set(bag);
  for (let r = 0; r < n; r++) if (!inBag.has(r)) assert.equal(score[r], start[r]);
  assert.ok(bag.some((r) => score[r] !== start[r]));
});

test('scoring binned rows by replaying the splits adds exactly the leaf values of the row-by-row walk (NaN both ways, categorical bitsets, row subsets)', () => {
  const rng = new Random(17);
  const n = 4000;
  // x0: numerical with NaN; x1: numerical; x2: 40 categories, so the inner bitsets span two words.
  const x0 = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.15 ? NaN : rng.nextFloat() * 10));
  const x1 = Float64Array.from({ length: n }, () => rng.nextFloat() * 4 - 2);
  const x2 = Float64Array.from({ length: n }, () => rng.nextInt(40));
  const label = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(x0[i]) ? 2 : Math.sin(x0[i])) + x1[i] + (x2[i] % 7) * 0.3 + rng.nextFloat() * 0.1);
  const matrix = { columns: [x0, x1, x2], label, featureNames: ['x0', 'x1', 'x2'] };
  const params = { objective: 'regression', num_leaves: 15, num_iterations: 30, min_data_in_leaf: 5, categorical_feature: 'x2', bagging_fraction: 0.7, bagging_freq: 1, seed: 3 };
  const model = trainGbdt(matrix, params);
  const p = resolveGbdtParams(params);
  const read = readTrainingData(matrix, {}, p.categorical_feature, 'training', null);
  const data = binFeatures(read.matrix, { maxBin: p.max_bin, minDataInBin: p.min_data_in_bin, binConstructSampleCnt: p.bin_construct_sample_cnt, dataRandomSeed: p.data_random_seed, useMissing: p.use_missing, featurePreFilter: p.feature_pre_filter, minDataInLeaf: p.min_data_in_leaf });
  // The trees hold every kind of decision the scoring must get right.
  const decisions = model.trees.flatMap((t) => Array.from(t.decisionType.subarray(0, t.numLeaves - 1)));
  assert.ok(decisions.some((d) => (d & DECISION_CATEGORICAL) !== 0), 'a categorical split');
  const nanSplits = decisions.filter((d) => (d & DECISION_CATEGORICAL) === 0 && d >> 2 === 2);
  assert.ok(nanSplits.some((d) => (d & DECISION_DEFAULT_LEFT) !== 0) && nanSplits.some((d) => (d & DECISION_DEFAULT_LEFT) === 0), 'NaN sent left and right');
  const subset = Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.nextFloat() < 0.4);
  // One partition for every call, as training keeps one per validation set.
  const partition = new DataPartition(n, 15);
  for (const tree of model.trees) {
    // All rows, the first 2,100, and a subset from its 8th row on (as the rows left out of a bag are passed).
    for (const [rows, count] of [[null, n], [null, 2100], [subset.subarray(7), subset.length - 7]] as const) {
      const start = Float64Array.from({ length: 2 * n }, () => rng.nextFloat() * 2 - 1);
      const walked = start.slice();
      for (let i = 0; i < count; i++) {
        const row = rows === null ? i : rows[i];
        walked[n + row] += tree.leafValue[binnedLeafIndex(tree, data, row)];
      }
      const split = start.slice();
      addTreeBinned(tree, data, rows, count, split, n, partition);
      for (let i = 0; i < 2 * n; i++) assert.ok(Object.is(split[i], walked[i]), `score ${i}: ${split[i]} vs ${walked[i]}`);
    }
  }
});

test('a bin past a categorical node\'s own bitset goes right, even where the next node\'s bitset has its bit', () => {
  // Node 0 holds bin 1 (one word); its right child, node 1, holds bins 3 and 35 (two words, both with bit 3).
  // Bin 35 is past node 0's words: it must go right there, then left at node 1.
  const tree = new Tree(3);
  tree.leafCount[0] = 3;
  tree.splitCategorical(0, 0, [1], [1], 0, outcome(0.5, -0.5, 1, 2));
  tree.splitCategorical(1, 0, [3, 35], [3, 35], 0, outcome(0.25, -0.25, 1, 1));
  const mapper = { kind: 'categorical', numBins: 40, missingType: 0, isTrivial: false } as unknown as BinMapper;
  const data = makeBinnedDataset(4, [mapper], [Uint8Array.of(1, 35, 3, 2)]);
  const walked = new Float64Array(4);
  for (let row = 0; row < 4; row++) walked[row] += tree.leafValue[binnedLeafIndex(tree, data, row)];
  const split = new Float64Array(4);
  addTreeBinned(tree, data, null, 4, split, 0, new DataPartition(4, tree.numLeaves));
  assert.deepEqual([...split], [...walked]);
  assert.deepEqual([...walked], [0.5, 0.25, 0.25, -0.25]);
});

test('a tree as deep as it has leaves (a chain of 30,000 splits) is scored like the row walk', () => {
  const leaves = 30_000;
  const tree = new Tree(leaves);
  tree.leafCount[0] = leaves;
  // Each split sends bins up to k left and continues on the right: depth leaves − 1.
  let leaf = 0;
  for (let k = 0; k < leaves - 1; k++) leaf = tree.splitNumerical(leaf, 0, k, k, false, 0, outcome(k, -1, 1, leaves - k - 1));
  const mapper = { kind: 'numerical', numBins: leaves, missingType: 0, isTrivial: false } as unknown as BinMapper;
  const bins = Uint16Array.from({ length: 200 }, (_, i) => i * 150);
  const data = makeBinnedDataset(bins.length, [mapper], [bins]);
  const walked = new Float64Array(bins.length);
  for (let row = 0; row < bins.length; row++) walked[row] += tree.leafValue[binnedLeafIndex(tree, data, row)];
  const split = new Float64Array(bins.length);
  addTreeBinned(tree, data, null, bins.length, split, 0, new DataPartition(bins.length, tree.numLeaves));
  assert.deepEqual([...split], [...walked]);
  assert.equal(split[199], 199 * 150, 'the deepest row reaches its leaf');
});
