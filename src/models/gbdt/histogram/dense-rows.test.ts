import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../binning/bin-features.js';
import type { FeatureMatrix } from '../data/feature-matrix.js';
import type { HistogramColumns } from './build-histogram.js';
import { DENSE_MIN_WANTED_SHARE, fillDenseMatrix, planDenseRows } from './dense-rows.js';
import { histogramLength } from './histogram-layout.js';
import { HistogramWorkspace } from './histogram-workspace.js';

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
