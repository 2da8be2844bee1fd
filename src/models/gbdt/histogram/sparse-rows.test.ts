import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../binning/bin-features.js';
import type { FeatureMatrix } from '../data/feature-matrix.js';
import { predictBatch } from '../predict/predict-batch.js';
import { trainGbdt } from '../train-gbdt.js';
import { buildHistogram, createHistogramScratch, gatherGradients, type HistogramColumns } from './build-histogram.js';
import { HIST_STRIDE, histogramLength } from './histogram-layout.js';
import { HistogramWorkspace } from './histogram-workspace.js';
import { webAssemblyApi } from './histogram-kernel-module.js';
import { layOutWorkspace } from './workspace-layout.js';
import { deriveSkippedBin, planSparseRows, sparseGroupRows } from './sparse-rows.js';

/** Hand-made bins: f0 and f2 spread evenly over 4 bins (share 0.25), f1 mostly bin 2, f3 mostly bin 0, f4 half bin 1 (ties with bin 0 lose). */
function handColumns(): HistogramColumns {
  const n = 12;
  const bins = [
    Uint8Array.from({ length: n }, (_, i) => i % 4),
    Uint8Array.from([2, 2, 0, 2, 2, 2, 1, 2, 2, 2, 2, 2]),
    Uint8Array.from({ length: n }, (_, i) => (i * 5) % 4),
    Uint8Array.from([0, 0, 0, 4, 0, 0, 0, 0, 3, 0, 0, 0]),
    Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
  ];
  const numBins = Int32Array.of(4, 3, 4, 5, 2);
  const histOffsets = Int32Array.of(0, 4, 7, 11, 16);
  return { bins, histOffsets, numBins, totalBins: 18 };
}

test('the plan skips each mostly-one-bin feature\'s most frequent bin (lowest on ties) and groups them', () => {
  const plan = planSparseRows(handColumns(), Int32Array.of(0, 1, 2, 3, 4), 12);
  assert.deepEqual(Array.from(plan.skipBin), [-1, 2, -1, 0, 0]);
  assert.deepEqual(Array.from(plan.groupFeatures), [1, 3, 4]);
  assert.deepEqual(Array.from(plan.groupStart), [0, 3]);
  assert.deepEqual(Array.from(plan.groupEntries), [2 + 2 + 6]);
  // Rows list their non-skipped bins relative to the group's first bin (feature 1's bin 0 = histogram bin 4).
  const rows = sparseGroupRows(handColumns(), plan, 0, 12);
  assert.equal(rows.base, 4);
  assert.equal(rows.span, 14);
  assert.deepEqual(Array.from(rows.rowStart), [0, 0, 1, 2, 4, 4, 5, 6, 7, 8, 9, 9, 10]);
  assert.deepEqual(Array.from(rows.entries), [13, 0, 11, 13, 13, 1, 13, 10, 13, 13]);
});

test('fewer than two mostly-one-bin features: nothing is row-wise', () => {
  const columns = handColumns();
  const plan = planSparseRows(columns, Int32Array.of(0, 1, 2), 12);
  assert.deepEqual(Array.from(plan.skipBin), [-1, -1, -1, -1, -1]);
  assert.equal(plan.groupStart.length, 1);
});

test('the derived bin is the leaf total minus the other bins', () => {
  const hist = new Float64Array(4 * HIST_STRIDE);
  hist.set([0.25, 1, 2, 0, 0, 0, -0.5, 2, 3, 1.5, 0.5, 1], 0);
  deriveSkippedBin(hist, 1, 3, 0, 4, 10, 9);
  assert.deepEqual(Array.from(hist.subarray(3, 6)), [4 - (-0.5 + 1.5), 10 - (2 + 0.5), 9 - (3 + 1)]);
  assert.deepEqual(Array.from(hist.subarray(0, 3)), [0.25, 1, 2]);
});

/** 3,000 rows: dense features between sparse ones, so a group's bins interleave with column-wise features. */
function mixed(n: number): FeatureMatrix {
  const values = Array.from({ length: 6 }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    values[0][i] = (i * 37) % 101;
    values[1][i] = i % 9 === 0 ? (i % 7) + 1 : 0;
    values[2][i] = (i * 13) % 17;
    values[3][i] = i % 5 === 0 ? Number.NaN : i % 3 === 0 ? 2 : 5;
    values[4][i] = (i * 7919) % 300;
    values[5][i] = i % 11 < 8 ? 1 : i % 4;
  }
  const columns = values.map((v) => ({ values: v, validity: null }));
  return { numRows: n, columns, names: values.map((_, j) => `x${j}`), categorical: values.map(() => false), dictionaries: values.map(() => null) };
}

test('row-wise groups plus derived bins equal the histogram by definition (counts exact), and buildHistogram bit for bit', () => {
  const n = 3000;
  const data = binFeatures(mixed(n), { maxBin: 1000, minDataInBin: 1, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: false, minDataInLeaf: 1 });
  const numBins = Int32Array.from(data.mappers, (m) => m.numBins);
  const plan = planSparseRows({ bins: data.bins, histOffsets: data.histOffsets, numBins }, data.usedFeatures, n);
  assert.deepEqual(Array.from(plan.groupFeatures), [1, 3, 5]);
  const columns: HistogramColumns = { bins: data.bins, histOffsets: data.histOffsets, numBins, totalBins: data.totalBins, skipBin: plan.skipBin };
  const workspace = HistogramWorkspace.create(columns, data.usedFeatures, n, 2, plan);
  assert.ok(workspace !== null);
  const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) / 3);
  const hess = Float64Array.from({ length: n }, (_, i) => 0.1 + ((i * 31) % 17) / 7);
  const some = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
  workspace.indices.set(some);
  for (const [begin, count] of [[0, some.length], [7, 1001], [3, 9]]) {
    const rows = Array.from(some.subarray(begin, begin + count));
    let sumG = 0, sumH = 0;
    for (const r of rows) {
      sumG += grad[r];
      sumH += hess[r];
    }
    workspace.loadGradients(grad, hess);
    const pairsAt = workspace.gather(begin, count, false);
    // The group first (the largest unit), then the dense features.
    assert.equal(workspace.setUnits(data.usedFeatures, data.usedFeatures.length), 4);
    assert.deepEqual(Array.from(workspace.units.subarray(0, 4)), [-1, 0, 2, 4]);
    // Threads may build the units in any order: the dense ones first here, so the group must not clear the dense
    // features between its own.
    workspace.build(1, 4, begin, count, 1, pairsAt);
    workspace.build(0, 1, begin, count, 1, pairsAt);
    const actual = workspace.histogram(1);
    const expected = new Float64Array(histogramLength(data.totalBins));
    const ordered = new Float64Array(2 * count);
    gatherGradients(some, begin, count, grad, hess, ordered);
    buildHistogram(columns, data.usedFeatures, 0, data.usedFeatures.length, some, begin, count, ordered, createHistogramScratch(data.totalBins), expected);
    for (let j = 0; j < expected.length; j++) assert.ok(Object.is(actual[j], expected[j]), `entry ${j} of ${count} rows: ${actual[j]} vs ${expected[j]}`);
    for (const f of plan.groupFeatures) deriveSkippedBin(actual, data.histOffsets[f], numBins[f], plan.skipBin[f], sumG, sumH, count);
    for (const f of data.usedFeatures) {
      for (let b = 0; b < numBins[f]; b++) {
        let g = 0, h = 0, c = 0;
        for (const r of rows) {
          if (data.bins[f][r] !== b) continue;
          g += grad[r];
          h += hess[r];
          c++;
        }
        const at = (data.histOffsets[f] + b) * HIST_STRIDE;
        assert.equal(actual[at + 2], c, `feature ${f} bin ${b} count`);
        assert.ok(Math.abs(actual[at] - g) <= 1e-12 * count && Math.abs(actual[at + 1] - h) <= 1e-12 * count, `feature ${f} bin ${b}: ${actual[at]} vs ${g}`);
      }
    }
  }
});

test('with row-wise groups, num_threads 1 and 2 train bit-identical models', () => {
  const n = 60000;
  const matrix = mixed(n);
  const columns = matrix.columns.map((c) => c.values as Float64Array);
  const label = Float64Array.from({ length: n }, (_, i) => (columns[0][i] / 50 + (columns[1][i] > 0 ? 1 : 0) + (columns[5][i] === 1 ? -0.5 : 0.7) + Math.sin(i) > 1.2 ? 1 : 0));
  // Enough iterations that the workers, which join once they have started, build part of the trees.
  const params = { objective: 'binary', num_iterations: 40, num_leaves: 31, bagging_fraction: 0.8, bagging_freq: 1, seed: 5 };
  const one = trainGbdt({ columns, label }, { ...params, num_threads: 1 });
  const two = trainGbdt({ columns, label }, { ...params, num_threads: 2 });
  assert.ok(one.trees.some((t) => t.splitFeature.subarray(0, t.numLeaves - 1).includes(1)), 'a row-wise feature is split on');
  const bits = (v: Float64Array): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  assert.deepEqual(bits(predictBatch(two, { columns }, undefined, { rawScore: true })), bits(predictBatch(one, { columns }, undefined, { rawScore: true })));
});

test('over consecutive rows (an unbagged root) the flat pass over a group\'s entries gives the per-row pass\'s bits', () => {
  const n = 3000;
  const data = binFeatures(mixed(n), { maxBin: 1000, minDataInBin: 1, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: false, minDataInLeaf: 1 });
  const numBins = Int32Array.from(data.mappers, (m) => m.numBins);
  const plan = planSparseRows({ bins: data.bins, histOffsets: data.histOffsets, numBins }, data.usedFeatures, n);
  const columns: HistogramColumns = { bins: data.bins, histOffsets: data.histOffsets, numBins, totalBins: data.totalBins, skipBin: plan.skipBin };
  const workspace = HistogramWorkspace.create(columns, data.usedFeatures, n, 2, plan)!;
  // A layout without the entries' rows (what a memory too small for them gets) builds in-order leaves row by row.
  const withoutRows = HistogramWorkspace.open(layOutWorkspace(webAssemblyApi()!, columns, data.usedFeatures, n, 2, plan, null, false)!)!;
  assert.ok(workspace.layout.groupEntryRowsAt[0] >= 0 && withoutRows.layout.groupEntryRowsAt[0] === -1);
  const grad = Float64Array.from({ length: n }, (_, i) => Math.cos(i) / 7);
  const hess = Float64Array.from({ length: n }, (_, i) => 0.2 + ((i * 13) % 11) / 5);
  for (const w of [workspace, withoutRows]) {
    for (let i = 0; i < n; i++) w.indices[i] = i;
    w.loadGradients(grad, hess);
  }
  for (const [begin, count] of [[0, n], [5, 1000], [2990, 10]]) {
    const units = workspace.setUnits(data.usedFeatures, data.usedFeatures.length);
    // In order: the loaded pairs themselves, and the flat pass; gathered: a copy, and the per-row pass.
    const inOrder = workspace.gather(begin, count, true);
    assert.notEqual(inOrder, workspace.layout.pairsAt);
    workspace.build(0, units, begin, count, 0, inOrder);
    workspace.build(0, units, begin, count, 1, workspace.gather(begin, count, false));
    withoutRows.setUnits(data.usedFeatures, data.usedFeatures.length);
    withoutRows.build(0, units, begin, count, 0, withoutRows.gather(begin, count, true));
    const flat = workspace.histogram(0);
    const perRow = workspace.histogram(1);
    const inOrderPerRow = withoutRows.histogram(0);
    const expected = new Float64Array(histogramLength(data.totalBins));
    const ordered = new Float64Array(2 * count);
    gatherGradients(null, begin, count, grad, hess, ordered);
    buildHistogram(columns, data.usedFeatures, 0, data.usedFeatures.length, null, begin, count, ordered, createHistogramScratch(data.totalBins), expected);
    let touched = 0;
    for (const f of plan.groupFeatures) {
      for (let j = 3 * data.histOffsets[f]; j < 3 * (data.histOffsets[f] + numBins[f]); j++) {
        assert.ok(Object.is(flat[j], perRow[j]) && Object.is(flat[j], expected[j]) && Object.is(inOrderPerRow[j], expected[j]), `entry ${j} of rows ${begin} + ${count}: ${flat[j]}, ${perRow[j]}, ${inOrderPerRow[j]}, ${expected[j]}`);
        if (flat[j] !== 0) touched++;
      }
    }
    assert.ok(touched > 0, `rows ${begin} + ${count} reach the group's bins`);
  }
});
