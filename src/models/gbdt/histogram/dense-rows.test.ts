import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../binning/bin-features.js';
import type { FeatureMatrix } from '../data/feature-matrix.js';
import type { HistogramColumns } from './build-histogram.js';
import { DenseChoice, MIN_ROWS, type DensePolicy } from './dense-choice.js';
import { DENSE_MIN_WANTED_SHARE, fillDenseMatrix, planDenseRows } from './dense-rows.js';
import { histogramLength } from './histogram-layout.js';
import { HistogramWorkspace } from './histogram-workspace.js';
import { Random } from '../../../core/random.js';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { splitRulesFrom } from '../tree/split-rules.js';
import { TreeLearner } from '../tree/tree-learner.js';

test('the dense plan takes used 1-byte features that are not sparse, in up to one group per thread of at least 4, by bins', () => {
  const narrow = (n: number) => new Uint8Array(n);
  const bins = [narrow(4), narrow(4), new Uint16Array(4), narrow(4), narrow(4), narrow(4), narrow(4), narrow(4), narrow(4), narrow(4), narrow(4)];
  const numBins = Int32Array.of(50, 2, 300, 9, 255, 9, 3, 4, 200, 7, 5);
  const columns = { bins, numBins };
  const skipBin = Int32Array.of(-1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const used = Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  // Feature 1 is sparse, 2 is 2-byte and 10 is unused: 0, 3 … 9 remain (8 features), each group by bins, ties by index.
  const one = planDenseRows(columns, used, skipBin, 1);
  assert.deepEqual(Array.from(one.groupFeatures), [6, 7, 9, 3, 5, 0, 8, 4]);
  assert.deepEqual(Array.from(one.groupStart), [0, 8]);
  const two = planDenseRows(columns, used, skipBin, 2);
  assert.deepEqual(Array.from(two.groupFeatures), [3, 5, 0, 4, 6, 7, 9, 8]);
  assert.deepEqual(Array.from(two.groupStart), [0, 4, 8]);
  // Three threads would leave groups of fewer than 4: still two.
  assert.deepEqual(Array.from(planDenseRows(columns, used, skipBin, 3).groupStart), [0, 4, 8]);
  const few = planDenseRows(columns, Int32Array.of(0, 1, 2, 3, 4), skipBin, 1);
  assert.deepEqual(Array.from(few.groupStart), [0]);
  assert.equal(few.groupFeatures.length, 0);
});

test('the dense matrix holds each row\'s bins side by side, features in plan order', () => {
  const bins = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6), Uint8Array.of(7, 8, 9)];
  const out = new Uint8Array(9);
  fillDenseMatrix({ bins }, { groupFeatures: Int32Array.of(2, 0, 1), groupStart: Int32Array.of(0, 1, 3) }, 3, out);
  assert.deepEqual(Array.from(out), [7, 1, 4, 8, 2, 5, 9, 3, 6]);
});

/** Six features: five 1-byte ones with 3, 40, 200, 200 and 12 bins, then a 2-byte one. */
function sixFeatures(n: number): { columns: HistogramColumns; used: Int32Array } {
  const column = (f: (i: number) => number) => ({ values: Float64Array.from({ length: n }, (_, i) => f(i)), validity: null });
  const matrix: FeatureMatrix = {
    numRows: n,
    columns: [column((i) => (i * 7) % 3), column((i) => (i * 13) % 40), column((i) => (i * 7919) % 200), column((i) => (i * 104729) % 200), column((i) => (i * 5) % 12), column((i) => (i * 31) % 400)],
    names: ['a', 'b', 'c', 'd', 'e', 'w'],
    categorical: [false, false, false, false, true, false],
    dictionaries: [null, null, null, null, null, null],
  };
  const data = binFeatures(matrix, { maxBin: 1000, minDataInBin: 1, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: false, minDataInLeaf: 1 });
  const numBins = Int32Array.from(data.mappers, (m) => m.numBins);
  return { columns: { bins: data.bins, histOffsets: data.histOffsets, numBins, totalBins: data.totalBins }, used: data.usedFeatures };
}

test('dense groups build the same bits as the column-wise kernel: with lanes, without, mixed, and partly wanted', () => {
  const n = 4000;
  const { columns, used } = sixFeatures(n);
  assert.equal(columns.bins[5].BYTES_PER_ELEMENT, 2);
  const plan = planDenseRows(columns, used, new Int32Array(used.length).fill(-1), 1);
  // In ascending order of bins: 3, 12, 40, 200, 200.
  assert.deepEqual(Array.from(plan.groupFeatures), [0, 4, 1, 2, 3]);
  const byColumn = HistogramWorkspace.create(columns, used, n, 2)!;
  // One group, and two groups that are column ranges of one matrix (as with two threads).
  const plans = [plan, { groupFeatures: plan.groupFeatures, groupStart: Int32Array.of(0, 2, 5) }];
  for (const densePlan of plans) {
    const byRow = HistogramWorkspace.create(columns, used, n, 2, null, densePlan)!;
    const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) / 3);
    const hess = Float64Array.from({ length: n }, (_, i) => 0.1 + ((i * 31) % 17) / 7);
    const scattered = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
    const wantedAll = Int32Array.from(used);
    // Too few of the dense features for the group: they are built column by column.
    const wantedFew = Int32Array.of(1, 5);
    assert.ok(2 < DENSE_MIN_WANTED_SHARE * 5);
    const bins = Array.from(plan.groupFeatures, (f) => columns.numBins[f]);
    assert.deepEqual([Math.min(...bins), Math.max(...bins)], [3, 200]);
    // Counts: all rows (lanes for all), 799 and 500 (lanes for 3, 12 and 40 bins, not 200), 30 (lanes for 3 bins
    // only), 9 and 11 (no lanes).
    const cases = [[null, 0, n, wantedAll], [scattered, 0, scattered.length, wantedAll], [scattered, 5, 799, wantedAll], [scattered, 50, 500, wantedAll], [scattered, 1, 30, wantedAll], [scattered, 3, 9, wantedAll], [scattered, 100, 11, wantedAll], [scattered, 7, 2001, wantedFew]] as const;
    for (const [rows, begin, count, wanted] of cases) {
      for (const w of [byColumn, byRow]) {
        if (rows === null) for (let i = 0; i < count; i++) w.indices[begin + i] = begin + i;
        else w.indices.set(rows);
        w.loadGradients(grad, hess);
      }
      byColumn.units.set(wanted);
      byColumn.build(0, wanted.length, begin, count, 1, byColumn.gather(begin, count, rows === null));
      const units = byRow.setUnits(wanted, wanted.length);
      const groups = densePlan.groupStart.length - 1;
      assert.equal(units, wanted === wantedAll ? groups + 1 : 2, 'the groups and the 2-byte feature, or the two features column by column');
      assert.equal(byRow.units[0] < 0, wanted === wantedAll);
      byRow.build(0, units, begin, count, 1, byRow.gather(begin, count, rows === null));
      const expected = byColumn.histogram(1);
      const actual = byRow.histogram(1);
      assert.equal(actual.length, histogramLength(columns.totalBins));
      for (const f of wanted) {
        const from = 3 * columns.histOffsets[f];
        const to = from + 3 * columns.numBins[f];
        for (let j = from; j < to; j++) assert.ok(Object.is(actual[j], expected[j]), `feature ${f}, entry ${j}, ${count} rows: ${actual[j]} vs ${expected[j]}`);
      }
    }
  }
});

test('trees grown with dense groups equal trees grown column by column: feature sampling, bagging, 1 and 2 threads', () => {
  // 60,000 rows (threads start at 50,000): six dense features (bins 2 … 255), one mostly-zero (sparse) feature.
  const n = 60_000;
  const rng = new Random(11);
  const values = (f: (i: number) => number) => ({ values: Float64Array.from({ length: n }, (_, i) => f(i)), validity: null });
  const x = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => rng.nextFloat()));
  const matrix: FeatureMatrix = {
    numRows: n,
    columns: [values((i) => x[0][i]), values((i) => Math.floor(x[1][i] * 40)), values((i) => x[2][i] * x[3][i]), values((i) => (x[3][i] < 0.5 ? 0 : 1)), values((i) => Math.floor(x[0][i] * 7)), values((i) => x[1][i] - x[2][i]), values((i) => (x[2][i] < 0.9 ? 0 : x[0][i]))],
    names: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    categorical: [false, false, false, false, true, false, false],
    dictionaries: [null, null, null, null, null, null, null],
  };
  const data = binFeatures(matrix, { maxBin: 255, minDataInBin: 3, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: false, minDataInLeaf: 20 });
  const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(7 * x[0][i] + 3 * x[1][i]) - (x[2][i] > 0.5 ? 0.3 : 0) + (rng.nextFloat() - 0.5) * 0.2);
  const hess = Float64Array.from({ length: n }, (_, i) => 0.2 + x[3][i]);
  const bag = Int32Array.from({ length: n }, (_, i) => i).filter((i) => (i * 2654435761) % 10 < 7);
  const rules = splitRulesFrom(resolveGbdtParams({ min_data_in_leaf: 20, lambda_l2: 1 }));
  const grow = (numThreads: number, denseRows: boolean, densePolicy?: DensePolicy): string => {
    const learner = new TreeLearner(data, rules, { numLeaves: 63, maxDepth: -1, monotone: new Int8Array(data.numFeatures), monotonePenalty: 0, numThreads, denseRows, densePolicy });
    try {
      // All features; then 3 of 7 (the dense groups mostly not wanted); then 6 of 7 on the bagged rows.
      const masks = [null, Uint8Array.of(1, 0, 0, 1, 0, 1, 0), Uint8Array.of(1, 1, 1, 1, 1, 0, 1)];
      return masks.map((mask, t) => {
        const tree = t === 2 ? learner.train(grad, hess, bag, bag.length, mask, null) : learner.train(grad, hess, null, 0, mask, null);
        return JSON.stringify([tree.numLeaves, Array.from(tree.splitFeature), Array.from(tree.thresholdBin), Array.from(tree.leafValue), Array.from(tree.leafCount)]);
      }).join('\n');
    } finally {
      learner.close();
    }
  };
  const reference = grow(1, false);
  assert.ok(reference.split('\n').every((t) => JSON.parse(t)[0] === 63), 'every tree grows all its leaves');
  for (const threads of [1, 2]) assert.equal(grow(threads, true), reference, `${threads} thread(s)`);
  assert.equal(grow(2, false), reference);
  // Whatever a policy answers, leaf by leaf (DenseChoice's answers depend on timings), the trees are the same.
  const asked: boolean[] = [];
  const policies: DensePolicy[] = [
    { useDense: (count) => Math.clz32(count) % 2 === 0, record: () => {} },
    { useDense: () => (asked.push(asked.length % 3 !== 0), asked.at(-1)!), record: () => {} },
    { useDense: () => false, record: () => {} },
  ];
  for (const policy of policies) for (const threads of [1, 2]) assert.equal(grow(threads, true, policy), reference, `${threads} thread(s)`);
  assert.ok(asked.includes(true) && asked.includes(false));
});

test('DenseChoice alternates the two ways per leaf size, then keeps the faster per size', () => {
  const choice = new DenseChoice(3);
  const small = 1500;
  const large = 100_000;
  // Dense is twice as fast per row for small leaves, half as fast for large ones.
  const cost = (count: number, dense: boolean): number => (count < 10_000 === dense ? 1 : 2) * count * 1e-5;
  const ways: boolean[] = [];
  for (let k = 0; k < 6; k++) {
    for (const count of [small, large]) {
      const dense = choice.useDense(count);
      if (count === small) ways.push(dense);
      choice.record(count, cost(count, dense));
    }
  }
  assert.deepEqual(ways, [true, false, true, false, true, false], 'alternates while sampling');
  assert.equal(choice.useDense(small), true);
  assert.equal(choice.useDense(small + 300), true, 'the same size class');
  assert.equal(choice.useDense(large), false);
  assert.equal(choice.useDense(MIN_ROWS - 1), true, 'below MIN_ROWS: dense, never timed');
  assert.equal(choice.useDense(5000), true, 'a class with no samples yet starts with dense');
  const decided = choice.decisions;
  assert.equal(decided.filter((d) => d === 1).length, 1);
  assert.equal(decided.filter((d) => d === 0).length, 1);
});
