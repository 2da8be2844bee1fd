import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../binning/bin-features.js';
import type { FeatureMatrix } from '../data/feature-matrix.js';
import { buildHistogram, createHistogramScratch, gatherGradients, type HistogramColumns } from './build-histogram.js';
import { HIST_STRIDE, histogramLength } from './histogram-layout.js';
import { HistogramPool } from './histogram-pool.js';
import { HistogramWorkspace } from './histogram-workspace.js';
import { subtractHistogram } from './subtract-histogram.js';

function dataset(n: number) {
  // Feature 0 takes values 0..3 (4 value bins after the zero bin), feature 1 is categorical with codes 0..2.
  const x = Float64Array.from({ length: n }, (_, i) => (i * 7) % 4);
  const k = Int32Array.from({ length: n }, (_, i) => (i * 5) % 3);
  const matrix: FeatureMatrix = { numRows: n, columns: [{ values: x, validity: null }, { values: k, validity: null }], names: ['x', 'k'], categorical: [false, true], dictionaries: [null, null] };
  return binFeatures(matrix, { maxBin: 255, minDataInBin: 1, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: false, minDataInLeaf: 1 });
}

type Dataset = ReturnType<typeof dataset>;

function columnsOf(data: Dataset): HistogramColumns {
  return { bins: data.bins, histOffsets: data.histOffsets, numBins: Int32Array.from(data.mappers, (m) => m.numBins), totalBins: data.totalBins };
}

/** buildHistogram over rows[begin .. begin+count) (rows begin.. when null) of the first `numFeatures` used features. */
function build(data: Dataset, numFeatures: number, rows: Int32Array | null, begin: number, count: number, grad: Float64Array, hess: Float64Array, out: Float64Array): void {
  const ordered = new Float64Array(2 * count);
  gatherGradients(rows, begin, count, grad, hess, ordered);
  buildHistogram(columnsOf(data), data.usedFeatures, 0, numFeatures, rows, begin, count, ordered, createHistogramScratch(data.totalBins), out);
}

/** The histogram by definition: one pass, one add per row and feature. */
function naive(data: Dataset, rows: readonly number[], grad: Float64Array, hess: Float64Array): Float64Array {
  const out = new Float64Array(histogramLength(data.totalBins));
  for (const f of data.usedFeatures) {
    for (const r of rows) {
      const at = (data.histOffsets[f] + data.bins[f][r]) * HIST_STRIDE;
      out[at] += grad[r];
      out[at + 1] += hess[r];
      out[at + 2] += 1;
    }
  }
  return out;
}

test('a histogram holds per-bin gradient sums, hessian sums and counts (hand-computed)', () => {
  const data = dataset(8);
  // x = 0,3,2,1,0,3,2,1 → bins of 0..3 are 0,1,2,3 (0 is the zero bin), so bin b holds rows with x = b.
  const grad = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const hess = Float64Array.of(1, 1, 1, 1, 2, 2, 2, 2);
  const out = new Float64Array(histogramLength(data.totalBins));
  build(data, data.usedFeatures.length, null, 0, 8, grad, hess, out);
  const x = Array.from(out.subarray(0, 4 * HIST_STRIDE));
  // bin 0: rows 0,4; bin 1: rows 3,7; bin 2: rows 2,6; bin 3: rows 1,5.
  assert.deepEqual(x, [1 + 5, 1 + 2, 2, 4 + 8, 1 + 2, 2, 3 + 7, 1 + 2, 2, 2 + 6, 1 + 2, 2]);
});

test('the lane path and the row-list path equal the definition exactly', () => {
  const n = 101;
  const data = dataset(n);
  const grad = Float64Array.from({ length: n }, (_, i) => (i % 9) - 4);
  const hess = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 1);
  const all = new Float64Array(histogramLength(data.totalBins));
  build(data, 2, null, 0, n, grad, hess, all);
  assert.deepEqual(all, naive(data, Array.from({ length: n }, (_, i) => i), grad, hess));
  const some = new Float64Array(histogramLength(data.totalBins)).fill(99);
  build(data, 2, rows, 0, rows.length, grad, hess, some);
  assert.deepEqual(some, naive(data, Array.from(rows), grad, hess));
  const few = new Float64Array(histogramLength(data.totalBins));
  build(data, 2, rows, 3, 5, grad, hess, few);
  assert.deepEqual(few, naive(data, Array.from(rows.subarray(3, 8)), grad, hess));
});

test('parent minus the smaller child equals the larger child built directly, exactly', () => {
  const n = 64;
  const data = dataset(n);
  const grad = Float64Array.from({ length: n }, (_, i) => ((i * 13) % 11) - 5);
  const hess = Float64Array.from({ length: n }, (_, i) => 0.5 * (1 + (i % 4)));
  const left = Int32Array.from({ length: n }, (_, i) => i).filter((i) => data.bins[0][i] <= 1);
  const right = Int32Array.from({ length: n }, (_, i) => i).filter((i) => data.bins[0][i] > 1);
  const parent = new Float64Array(histogramLength(data.totalBins));
  build(data, 2, null, 0, n, grad, hess, parent);
  const smaller = new Float64Array(parent.length);
  build(data, 2, left, 0, left.length, grad, hess, smaller);
  const larger = new Float64Array(parent.length);
  build(data, 2, right, 0, right.length, grad, hess, larger);
  for (const f of data.usedFeatures) subtractHistogram(parent, smaller, data.histOffsets[f], data.mappers[f].numBins);
  assert.deepEqual(parent, larger);
});

test('the WebAssembly workspace builds the same bits as buildHistogram, on 1- and 2-byte bins, lanes or not', () => {
  const n = 2000;
  // Feature 0 has 4 bins (lanes), feature 1 is categorical with 3, feature 2 has 300 distinct values (2-byte bins).
  const x = Float64Array.from({ length: n }, (_, i) => (i * 7) % 4);
  const k = Int32Array.from({ length: n }, (_, i) => (i * 5) % 3);
  const w = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 300);
  const matrix: FeatureMatrix = { numRows: n, columns: [{ values: x, validity: null }, { values: k, validity: null }, { values: w, validity: null }], names: ['x', 'k', 'w'], categorical: [false, true, false], dictionaries: [null, null, null] };
  const data = binFeatures(matrix, { maxBin: 1000, minDataInBin: 1, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: false, minDataInLeaf: 1 });
  assert.equal(data.bins[2].BYTES_PER_ELEMENT, 2);
  const columns = columnsOf(data);
  const workspace = HistogramWorkspace.create(columns, data.usedFeatures, n, 2);
  assert.ok(workspace !== null);
  workspace.units.set(data.usedFeatures);
  const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) / 3);
  const hess = Float64Array.from({ length: n }, (_, i) => 0.1 + ((i * 31) % 17) / 7);
  const some = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
  for (const [rows, begin, count] of [[null, 0, n], [null, 5, 1999 - 5], [some, 0, some.length], [some, 7, 1001], [some, 3, 9]] as const) {
    const expected = new Float64Array(histogramLength(data.totalBins));
    build(data, 3, rows, begin, count, grad, hess, expected);
    if (rows === null) for (let i = 0; i < count; i++) workspace.indices[begin + i] = begin + i;
    else workspace.indices.set(rows);
    workspace.loadGradients(grad, hess);
    // In order (no copy) for the plain row ranges, gathered for the row lists.
    workspace.build(0, 3, begin, count, 1, workspace.gather(begin, count, rows === null));
    const actual = workspace.histogram(1);
    for (let j = 0; j < expected.length; j++) assert.ok(Object.is(actual[j], expected[j]), `entry ${j} of ${count} rows: ${actual[j]} vs ${expected[j]}`);
  }
});

test('the pool hands the parent buffer to the larger child and a fresh one to the smaller', () => {
  const pool = new HistogramPool(3, 4, 2);
  pool.assignFresh(0);
  const root = pool.histogram(0);
  pool.splittable(0)[1] = 0;
  pool.move(0, 1);
  pool.assignFresh(0);
  assert.equal(pool.histogram(1), root);
  assert.notEqual(pool.histogram(0), root);
  assert.equal(pool.splittable(1)[1], 0);
  assert.equal(pool.splittable(0)[1], 1);
  pool.reset();
  pool.assignFresh(2);
  assert.equal(pool.histogram(2), root);
});
