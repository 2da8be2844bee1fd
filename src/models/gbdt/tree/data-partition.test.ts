import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistogramWorkspace } from '../histogram/histogram-workspace.js';
import { DataPartition } from './data-partition.js';

test('a numerical split keeps bins <= threshold (and NaN when default-left) in the leaf, stably (hand-checked)', () => {
  const col = Uint8Array.of(0, 3, 1, 4, 2, 4, 0, 3);
  const p = new DataPartition(8, 4);
  p.reset(8, null, 8);
  // Bin 4 is the NaN bin; it goes left.
  assert.equal(p.splitNumerical(0, 1, col, 1, true, 4), 5);
  assert.deepEqual(Array.from(p.indices), [0, 2, 3, 5, 6, 1, 4, 7]);
  assert.deepEqual([p.leafBegin[1], p.leafCount[1], p.leafCount[0]], [5, 3, 5]);
  const goesLeft = Uint8Array.of(0, 0, 1, 1, 0);
  assert.equal(p.splitCategorical(1, 2, col, goesLeft), 3);
  assert.deepEqual(Array.from(p.indices.subarray(5)), [1, 4, 7]);
  assert.deepEqual([p.leafBegin[2], p.leafCount[2]], [8, 0]);
});

test('the WebAssembly partition equals the JavaScript one on 1- and 2-byte bins, after bagging', () => {
  const n = 5000;
  const narrow = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 11);
  const wide = Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 300);
  const columns = { bins: [narrow, wide], histOffsets: Int32Array.of(0, 11), numBins: Int32Array.of(11, 300), totalBins: 311 };
  const workspace = HistogramWorkspace.create(columns, Int32Array.of(0, 1), n, 4);
  assert.ok(workspace !== null);
  const bag = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
  const js = new DataPartition(n, 4);
  const wasm = new DataPartition(n, 4, workspace.indices);
  js.reset(n, bag, bag.length);
  wasm.reset(n, bag, bag.length);
  // Leaf 0 on feature 0 (bin <= 4 left, NaN bin 10 right), then leaf 1 on feature 1 by a bin set.
  const left0 = js.splitNumerical(0, 1, narrow, 4, false, 10);
  workspace.partitionTable.fill(1, 0, 5).fill(0, 5, 11);
  const wasmLeft0 = workspace.partition(0, wasm.leafBegin[0], wasm.leafCount[0]);
  wasm.assignSplit(0, 1, wasmLeft0);
  assert.equal(wasmLeft0, left0);
  const goesLeft = Uint8Array.from({ length: 300 }, (_, b) => (b % 7 === 2 ? 1 : 0));
  const left1 = js.splitCategorical(1, 2, wide, goesLeft);
  workspace.partitionTable.set(goesLeft);
  const wasmLeft1 = workspace.partition(1, wasm.leafBegin[1], wasm.leafCount[1]);
  wasm.assignSplit(1, 2, wasmLeft1);
  assert.equal(wasmLeft1, left1);
  assert.ok(left0 > 0 && left1 > 0 && left1 < bag.length - left0);
  assert.deepEqual(Array.from(wasm.indices.subarray(0, bag.length)), Array.from(js.indices.subarray(0, bag.length)));
  assert.deepEqual([Array.from(wasm.leafBegin.subarray(0, 3)), Array.from(wasm.leafCount.subarray(0, 3))], [Array.from(js.leafBegin.subarray(0, 3)), Array.from(js.leafCount.subarray(0, 3))]);
});
