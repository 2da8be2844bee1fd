import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../core/random.js';
import { webAssemblyApi } from '../wasm/assembler.js';
import { MulticlassSoftmax } from './multiclass-softmax.js';
import { BinaryLogloss } from './binary-logloss.js';
import { GradientPassRunner, kernelExp, type RowSplitter, type TrainingBuffers } from './gradient-kernel.js';

/** A seeded stream of doubles in [0, 1). */
function random(seed: number): () => number {
  const rng = new Random(seed);
  return () => rng.nextFloat();
}

/** The double whose high word is `hi` and low word `lo`. */
function fromWords(hi: number, lo: number): number {
  const words = new Uint32Array(2);
  words[0] = lo >>> 0;
  words[1] = hi >>> 0;
  return new Float64Array(words.buffer)[0];
}

/** Indices where a and b differ as bit patterns (Object.is, so −0 and NaN count exactly). */
function differences(a: Float64Array, b: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

/**
 * A RowSplitter that cuts the rows in three uneven parts at even rows: the first through `local`, the others through
 * GradientPassRunners of control slots 1 and 2 (on this thread; worker threads run the same class).
 */
function threeParts(buffers: TrainingBuffers): RowSplitter & { calls: number } {
  const runners = [1, 2].map((slot) => new GradientPassRunner(webAssemblyApi()!, buffers.shared!, slot));
  return {
    calls: 0,
    gradients(rows: number, local: (from: number, to: number) => void): void {
      const a = 2 * Math.floor(rows / 6);
      const b = a + 2 * Math.floor(rows / 4);
      local(0, a);
      runners[0].run(a, b);
      runners[1].run(b, rows);
      this.calls++;
    },
  };
}

/** Runs `objective`'s pass on shared training buffers split in three parts; returns the gradients and hessians. */
function splitPass(objective: { trainingBuffers(length: number, shared?: boolean): TrainingBuffers | null; gradients(s: Float64Array, g: Float64Array, h: Float64Array): void }, score: Float64Array): { grad: Float64Array; hess: Float64Array; calls: number } {
  const buffers = objective.trainingBuffers(score.length, true)!;
  assert.ok(buffers.shared !== null && buffers.shared !== undefined && buffers.score.buffer instanceof SharedArrayBuffer);
  const splitter = threeParts(buffers);
  buffers.useThreads!(splitter);
  buffers.score.set(score);
  buffers.grad.fill(NaN);
  buffers.hess.fill(NaN);
  objective.gradients(buffers.score, buffers.grad, buffers.hess);
  return { grad: buffers.grad, hess: buffers.hess, calls: splitter.calls };
}

test('the kernel exponential gives Math.exp bit for bit, at every branch edge of fdlibm', { skip: webAssemblyApi() === null }, () => {
  const values = [0, -0, 1, -1, 5e-324, -5e-324, 1e-300, -1e-300, 2 ** -28, -(2 ** -28), 0.5, -0.5, Math.LN2, -Math.LN2, 709.782712893384, 709.7827128933841, 709.5, 709.44, 710, -745.1332191019411, -745.1332191019412, -708.3964185322641, -709.78, -720, 1e308, Infinity, -Infinity, NaN];
  // Both sides of each high-word threshold: 2^-28, 0.5 ln 2, 1.5 ln 2, the overflow/underflow filter, and the subnormal edge.
  for (const hi of [0x3e300000, 0x3fd62e42, 0x3fd62e43, 0x3ff0a2b2, 0x40862e42, 0x40862e43, 0x408633ce]) {
    for (const lo of [0, 1, 0xfefa39ef, 0xffffffff]) {
      values.push(fromWords(hi, lo), fromWords(hi - 1, lo), -fromWords(hi, lo), -fromWords(hi - 1, lo));
    }
  }
  const next = random(7);
  for (let i = 0; i < 400_000; i++) {
    const scale = [1e-9, 0.7, 3, 40, 750][i % 5];
    values.push((next() - 0.5) * 2 * scale);
  }
  for (let i = 0; i < 20_000; i++) values.push(-708 - next() * 38, 709 + next() * 0.8); // near the smallest normal, and where k = 1024 or the result overflows
  const input = Float64Array.from(values);
  const expected = input.map((x) => Math.exp(x));
  const actual = kernelExp(webAssemblyApi(), input)!;
  const diff = differences(actual, expected);
  assert.deepEqual(diff.slice(0, 5).map((i) => [input[i], actual[i], expected[i]]), []);
  assert.equal(diff.length, 0);
});

test('the WebAssembly softmax gradients equal the JavaScript loop bit for bit (odd blocks, weights, extreme scores)', { skip: webAssemblyApi() === null }, () => {
  const next = random(11);
  for (const [numClass, n, weighted] of [[3, 3, false], [5, 257, true], [23, 1031, false], [4, 600, true]] as const) {
    const label = Float64Array.from({ length: n }, (_, i) => (i < numClass ? i : Math.floor(next() * numClass)));
    const weight = weighted ? Float64Array.from({ length: n }, () => 0.25 + next() * 3) : null;
    const score = Float64Array.from({ length: n * numClass }, (_, j) => {
      const kind = j % 7;
      if (kind === 0) return 0;
      if (kind === 1) return -800 + next(); // exp underflows to 0 or a subnormal
      if (kind === 2) return 30 * (next() - 0.5);
      return 2 * (next() - 0.5);
    });
    const js = new MulticlassSoftmax(numClass, false);
    const wasm = new MulticlassSoftmax(numClass);
    js.init(label, weight, 'y');
    wasm.init(label, weight, 'y');
    const g1 = new Float64Array(n * numClass);
    const h1 = new Float64Array(n * numClass);
    const g2 = new Float64Array(n * numClass).fill(NaN);
    const h2 = new Float64Array(n * numClass).fill(NaN);
    js.gradients(score, g1, h1);
    wasm.gradients(score, g2, h2);
    assert.deepEqual(differences(g2, g1), [], `gradients, ${numClass} classes × ${n} rows`);
    assert.deepEqual(differences(h2, h1), [], `hessians, ${numClass} classes × ${n} rows`);
    // In place, on the training arrays that live in the kernel's memory (an odd last row goes through the block area).
    const buffers = wasm.trainingBuffers(n * numClass)!;
    assert.ok(buffers !== null && buffers.score.length === n * numClass);
    buffers.score.set(score);
    wasm.gradients(buffers.score, buffers.grad, buffers.hess);
    assert.deepEqual(differences(buffers.grad, g1), [], `in-place gradients, ${numClass} classes × ${n} rows`);
    assert.deepEqual(differences(buffers.hess, h1), [], `in-place hessians, ${numClass} classes × ${n} rows`);
    // Shared buffers, the rows cut in three parts, two of them run by GradientPassRunners as worker threads do.
    const split = splitPass(wasm, score);
    assert.equal(split.calls, 1);
    assert.deepEqual(differences(split.grad, g1), [], `split gradients, ${numClass} classes × ${n} rows`);
    assert.deepEqual(differences(split.hess, h1), [], `split hessians, ${numClass} classes × ${n} rows`);
    // Not trivially equal: the gradients of each row sum to about 0 (softmax minus one-hot).
    let rowSum = 0;
    for (let c = 0; c < numClass; c++) rowSum += g1[c * n] / (weight === null ? 1 : weight[0]);
    assert.ok(Math.abs(rowSum) < 1e-12, `row 0's gradients sum to ${rowSum}`);
  }
});

test('the WebAssembly binary log-loss gradients equal the JavaScript loop bit for bit (class weights, row weights, sigmoid)', { skip: webAssemblyApi() === null }, () => {
  const next = random(13);
  for (const [n, weighted, sigmoid, unbalanced, scalePos] of [[3, false, 1, false, 1], [1001, true, 1, true, 1], [4096, false, 0.7, false, 2.5], [257, true, 2, false, 1]] as const) {
    const label = Float64Array.from({ length: n }, (_, i) => (i < 2 ? i : next() < 0.3 ? 1 : 0));
    const weight = weighted ? Float64Array.from({ length: n }, () => 0.25 + next() * 3) : null;
    const score = Float64Array.from({ length: n }, (_, i) => {
      const kind = i % 6;
      if (kind === 0) return 0;
      if (kind === 1) return (next() - 0.5) * 1600; // exp overflows to +∞ or underflows to 0
      if (kind === 2) return (next() - 0.5) * 1e-9; // |x| < 2^-28
      return (next() - 0.5) * 12;
    });
    const js = new BinaryLogloss(sigmoid, unbalanced, scalePos, false);
    const wasm = new BinaryLogloss(sigmoid, unbalanced, scalePos);
    js.init(label, weight, 'y');
    wasm.init(label, weight, 'y');
    const g1 = new Float64Array(n);
    const h1 = new Float64Array(n);
    const g2 = new Float64Array(n).fill(NaN);
    const h2 = new Float64Array(n).fill(NaN);
    js.gradients(score, g1, h1);
    wasm.gradients(score, g2, h2);
    assert.deepEqual(differences(g2, g1), [], `gradients, ${n} rows`);
    assert.deepEqual(differences(h2, h1), [], `hessians, ${n} rows`);
    const buffers = wasm.trainingBuffers(n)!;
    assert.ok(buffers !== null && buffers.score.length === n);
    buffers.score.set(score);
    wasm.gradients(buffers.score, buffers.grad, buffers.hess);
    assert.deepEqual(differences(buffers.grad, g1), [], `in-place gradients, ${n} rows`);
    assert.deepEqual(differences(buffers.hess, h1), [], `in-place hessians, ${n} rows`);
    const split = splitPass(wasm, score);
    assert.equal(split.calls, 1);
    assert.deepEqual(differences(split.grad, g1), [], `split gradients, ${n} rows`);
    assert.deepEqual(differences(split.hess, h1), [], `split hessians, ${n} rows`);
    // Not trivially equal: row 0 (label 0, score 0) has gradient σ/2 times its weights, so it is positive.
    assert.ok(g1[0] > 0 && h1[0] > 0, `row 0: ${g1[0]}, ${h1[0]}`);
  }
});

test('training buffers larger than the kernel memory come in a new memory: nothing is grown, so no ArrayBuffer is detached (decision 0013)', { skip: webAssemblyApi() === null }, () => {
  const memory = (globalThis as unknown as { WebAssembly: { Memory: { prototype: { grow(delta: number): number } } } }).WebAssembly.Memory.prototype;
  const grow = memory.grow;
  let grown = 0;
  memory.grow = function (this: unknown, delta: number): number {
    grown++;
    return grow.call(this, delta);
  };
  try {
    // Two passes each on 200,000 rows: labels, weights, scores, gradients and hessians need 8 MB, far beyond the block area.
    for (const [numClass, n] of [[1, 200_000], [3, 200_000]] as const) {
      const objective = numClass === 1 ? new BinaryLogloss(1, false, 1) : new MulticlassSoftmax(numClass);
      const label = Float64Array.from({ length: n }, (_, i) => i % Math.max(2, numClass));
      objective.init(label, null, 'y');
      const buffers = objective.trainingBuffers(n * numClass)!;
      assert.ok(buffers !== null, `${numClass} classes: no training buffers`);
      objective.gradients(buffers.score, buffers.grad, buffers.hess);
      // At score 0, every row's binary gradient is ±0.5 and its softmax gradient 1/K or 1/K − 1.
      assert.equal(buffers.grad[1], numClass === 1 ? -0.5 : 1 / numClass);
    }
    assert.equal(grown, 0, 'WebAssembly.Memory.grow() was called');
  } finally {
    memory.grow = grow;
  }
});
