import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webAssemblyApi } from '../wasm/assembler.js';
import { subtractHistogram } from './subtract-histogram.js';
import { HistogramSubtractor } from './subtract-kernel.js';

test('the WebAssembly histogram subtraction gives the same bits as the JavaScript one and touches only its range', () => {
  const wasm = webAssemblyApi();
  assert.ok(wasm !== null);
  const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
  const subtractor = new HistogramSubtractor(wasm, memory, 1);
  let state = 5;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const totalBins = 40;
  // Two histograms in the shared memory; the parent starts at an odd double so 16-byte loads are unaligned too.
  const parent = new Float64Array(memory.buffer, 8, 3 * totalBins);
  const smaller = new Float64Array(memory.buffer, 8 * (3 * totalBins + 2), 3 * totalBins);
  let checked = 0;
  for (let trial = 0; trial < 300; trial++) {
    const offset = Math.floor(next() * 20);
    const numBins = 1 + Math.floor(next() * (totalBins - offset - 1));
    for (let i = 0; i < parent.length; i++) {
      parent[i] = (next() - 0.5) * 10 ** Math.floor(next() * 8);
      smaller[i] = (next() - 0.5) * 10 ** Math.floor(next() * 8);
    }
    const expected = Float64Array.from(parent);
    subtractHistogram(expected, smaller, offset, numBins);
    subtractor.subtract(parent, smaller, offset, numBins);
    assert.deepEqual(new Uint8Array(parent.slice().buffer), new Uint8Array(expected.buffer), `trial ${trial}`);
    checked += numBins;
  }
  assert.ok(checked > 1000);
});

test('histograms outside the shared memory fall back to the JavaScript subtraction', () => {
  const wasm = webAssemblyApi();
  assert.ok(wasm !== null);
  const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
  const subtractor = new HistogramSubtractor(wasm, memory, 1);
  const parent = Float64Array.from([5, 6, 7, 8, 9, 10]);
  const smaller = Float64Array.from([1, 2, 3, 4, 5, 6]);
  subtractor.subtract(parent, smaller, 1, 1);
  assert.deepEqual(Array.from(parent), [5, 6, 7, 4, 4, 4]);
});
