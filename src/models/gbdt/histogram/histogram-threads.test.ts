import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { predictBatch } from '../predict/predict-batch.js';
import { trainGbdt } from '../train-gbdt.js';
import { CONTROL_SLOTS, SLOT } from './histogram-control.js';
import { HistogramThreads } from './histogram-threads.js';
import { HistogramWorkspace } from './histogram-workspace.js';

/** 60,000 rows (above the one-thread cut-off): 5 numeric features, one with NaNs, one categorical. */
function data(): { columns: Float64Array[]; label: Float64Array } {
  const n = 60000;
  const columns = Array.from({ length: 6 }, () => new Float64Array(n));
  const label = new Float64Array(n);
  let state = 11;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 5; f++) columns[f][i] = Math.round(next() * 1e4) / 1e3;
    if (i % 13 === 0) columns[1][i] = Number.NaN;
    columns[5][i] = Math.floor(next() * 9);
    const s = columns[0][i] - 5 + (columns[2][i] - 5) * 0.5 + (columns[5][i] % 3 === 0 ? 1 : -0.5) + (next() - 0.5) * 3;
    label[i] = s > 0 ? 1 : 0;
  }
  return { columns, label };
}

const bits = (values: Float64Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** Waits until the workers in control slots 1 .. `workers` serve (until then the calling thread builds alone). */
async function serving(workspace: HistogramWorkspace, workers: number): Promise<void> {
  const ready = (): boolean => Array.from({ length: workers }, (_, i) => Atomics.load(workspace.control, (i + 1) * CONTROL_SLOTS + SLOT.ready)).every((r) => r === 1);
  for (let waited = 0; !ready(); waited += 10) {
    assert.ok(waited < 60_000, 'the workers did not start');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('num_threads 1, 2 and more threads than cores grow bit-identical trees and raw predictions (with bagging)', () => {
  const { columns, label } = data();
  // Enough iterations that the workers, which join once they have started, build part of the trees.
  const params = { objective: 'binary', num_iterations: 40, num_leaves: 31, categorical_feature: ['5'], bagging_fraction: 0.8, bagging_freq: 1, seed: 5 };
  const one = trainGbdt({ columns, label }, { ...params, num_threads: 1 });
  assert.ok(one.trees.every((t) => t.numLeaves > 8));
  // More threads than cores: the threads poll briefly before sleeping (SPINS_OVERSUBSCRIBED); same trees.
  for (const threads of [2, availableParallelism() + 1]) {
    const other = trainGbdt({ columns, label }, { ...params, num_threads: threads });
    assert.equal(other.trees.length, one.trees.length);
    for (let t = 0; t < one.trees.length; t++) {
      const [a, b] = [one.trees[t], other.trees[t]];
      assert.deepEqual(bits(b.leafValue), bits(a.leafValue), `${threads} threads, tree ${t} leaf values`);
      assert.deepEqual(bits(b.threshold), bits(a.threshold), `${threads} threads, tree ${t} thresholds`);
      assert.deepEqual(bits(b.splitGain), bits(a.splitGain), `${threads} threads, tree ${t} gains`);
    }
    assert.deepEqual(bits(predictBatch(other, { columns }, undefined, { rawScore: true })), bits(predictBatch(one, { columns }, undefined, { rawScore: true })));
  }
});

test('multiclass: 1 and 2 threads, which share the softmax pass and the loading of the pairs, grow bit-identical trees', () => {
  const { columns } = data();
  // Three classes from two of the features; the workers compute parts of every softmax pass once they serve.
  const label = Float64Array.from(columns[0], (x, i) => (x + columns[2][i] > 11 ? 2 : x > 4 ? 1 : 0));
  const params = { objective: 'multiclass', num_class: 3, num_iterations: 30, num_leaves: 7, seed: 3 };
  const one = trainGbdt({ columns, label }, { ...params, num_threads: 1 });
  const two = trainGbdt({ columns, label }, { ...params, num_threads: 2 });
  assert.equal(two.trees.length, one.trees.length);
  assert.ok(one.trees.every((t) => t.numLeaves > 4));
  for (let t = 0; t < one.trees.length; t++) {
    assert.deepEqual(bits(two.trees[t].leafValue), bits(one.trees[t].leafValue), `tree ${t} leaf values`);
    assert.deepEqual(bits(two.trees[t].splitGain), bits(one.trees[t].splitGain), `tree ${t} gains`);
  }
});

test('a worker that fails makes the build throw GBDT_THREADS_FAILED, and close() is idempotent', async () => {
  const n = 4096;
  const bins = [Uint8Array.from({ length: n }, (_, i) => i % 7), Uint8Array.from({ length: n }, (_, i) => i % 5), new Uint8Array(0)];
  const columns = { bins, histOffsets: Int32Array.of(0, 7, -1), numBins: Int32Array.of(7, 5, 1), totalBins: 12 };
  const workspace = HistogramWorkspace.create(columns, Int32Array.of(0, 1), n, 2);
  assert.ok(workspace !== null);
  const grad = new Float64Array(n).fill(0.5);
  const hess = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) workspace.indices[i] = i;
  workspace.loadGradients(grad, hess);
  const pairsAt = workspace.gather(0, n, false);
  const threads = HistogramThreads.start(workspace, 2);
  try {
    await serving(workspace, 1);
    workspace.units.set([0, 1]);
    threads.build(2, 0, n, 0, pairsAt);
    assert.deepEqual(Array.from(workspace.histogram(0).subarray(0, 3)), [0.5 * 586, 586, 586]);
    assert.deepEqual(Array.from(workspace.histogram(0).subarray(21, 24)), [0.5 * 820, 820, 820]);
    // Feature 2 has no bins in the workspace, so a thread that takes it traps on its address. This thread takes no
    // more units after its own trap, so the worker takes one of the two and fails, and the build reports that.
    workspace.units.set([2, 2]);
    assert.throws(() => threads.build(2, 0, n, 0, pairsAt), { code: 'LOOM_ERR_GBDT_THREADS_FAILED' });
  } finally {
    threads.close();
    threads.close();
  }
});

test('threads gather and partition a leaf exactly as one thread does (row order, left count, gradient pairs)', async () => {
  const n = 50_001;
  let state = 3;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const bins = [Uint8Array.from({ length: n }, () => Math.floor(next() * 200)), Uint16Array.from({ length: n }, () => Math.floor(next() * 300))];
  const columns = { bins, histOffsets: Int32Array.of(0, 200), numBins: Int32Array.of(200, 300), totalBins: 500 };
  const serial = HistogramWorkspace.create(columns, Int32Array.of(0, 1), n, 2)!;
  const shared = HistogramWorkspace.create(columns, Int32Array.of(0, 1), n, 2)!;
  const grad = Float64Array.from({ length: n }, () => next() - 0.5);
  const hess = Float64Array.from({ length: n }, () => next());
  // A leaf in the middle of a shuffled row list: rows begin .. begin+count.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const begin = 1234;
  const count = 40_000;
  const threads = HistogramThreads.start(shared, 3);
  try {
    await serving(shared, 2);
    for (const [f, cut] of [[0, 77], [1, 150]] as const) {
      for (const w of [serial, shared]) {
        w.indices.set(order);
        w.loadGradients(grad, hess);
        for (let b = 0; b < columns.numBins[f]; b++) w.partitionTable[b] = b <= cut ? 1 : 0;
      }
      const pairsSerial = serial.gather(begin, count, false);
      const pairsShared = threads.gather(begin, count, false);
      const pairs = (w: HistogramWorkspace, at: number): Float64Array => new Float64Array(w.layout.memory.buffer, at, 2 * count);
      assert.deepEqual(pairs(shared, pairsShared), pairs(serial, pairsSerial), `feature ${f}: gathered pairs`);
      // Histograms built by the workers and this thread (one feature each) equal one thread's, bit for bit.
      serial.units.set([0, 1]);
      shared.units.set([0, 1]);
      serial.build(0, 2, begin, count, 1, pairsSerial);
      threads.build(2, begin, count, 1, pairsShared);
      assert.deepEqual(bits(shared.histogram(1)), bits(serial.histogram(1)), `feature ${f}: histograms`);
      const leftSerial = serial.partition(f, begin, count);
      const leftShared = threads.partition(f, begin, count);
      assert.equal(leftShared, leftSerial, `feature ${f}: left count`);
      assert.ok(leftSerial > 0 && leftSerial < count);
      assert.deepEqual(shared.indices, serial.indices, `feature ${f}: row order`);
      // The stable partition itself: left rows are those whose bin goes left, in their original order.
      const expectedLeft = Array.from(order.subarray(begin, begin + count)).filter((r) => bins[f][r] <= cut);
      assert.deepEqual(Array.from(serial.indices.subarray(begin, begin + leftSerial)), expectedLeft);
    }
  } finally {
    threads.close();
  }
});
