/**
 * The gradient kernels' host side: GradientKernel runs the passes of gradient-kernel-module.ts over an objective's
 * training buffers (in place, in the kernel's memory) or over other arrays through a block area, and
 * GradientPassRunner runs parts of a pass on worker threads over shared training buffers (decision 0007).
 */

import type { WasmApi, WasmMemory } from '../wasm/assembler.js';
import { gradientKernelBytes, SOFTMAX_SCRATCH_BYTES, type BinaryExport, type SoftmaxExport } from './gradient-kernel-module.js';

/** Rows per block: the block's scores, gradients and hessians of every class stay in cache. */
const BLOCK_ROWS = 256;
const PAGE = 65536;
/** Training arrays larger than this stay ordinary arrays (copied through the block area); 2 GiB is V8's safe limit. */
const MAX_DIRECT_BYTES = 2 ** 31 - 2 ** 26;


/** Score, gradient and hessian arrays (class-major, numClass × rows) that live in the kernel's memory. */
export interface TrainingBuffers {
  readonly score: Float64Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  /** When the buffers were asked for shared: their memory, for worker threads (GradientPassRunner, loading pairs). */
  readonly shared?: SharedGradientMemory | null;
  /** Lets `splitter`'s threads compute parts of each pass (shared buffers only); null computes on this thread. */
  useThreads?(splitter: RowSplitter | null): void;
}

/** The shared memory of a kernel's training buffers and where its pass descriptor lives (see GradientPassRunner). */
export interface SharedGradientMemory {
  readonly memory: WasmMemory;
  readonly descriptorAt: number;
}

/**
 * Threads that share a gradient pass by rows: `gradients(rows, local)` cuts rows `0 .. rows` into parts at even row
 * numbers, runs `local(from, to)` for the first part on the calling thread and a GradientPassRunner for each other
 * part on a helper, and returns when all are done. Each row's values depend on that row alone, so the result is the
 * same however the rows are cut.
 */
export interface RowSplitter {
  gradients(rows: number, local: (from: number, to: number) => void): void;
}

/** Pass kinds in a descriptor. */
const PASS = { softmax: 1, binary: 2 } as const;
/**
 * A pass descriptor: Int32 kind, numClass, scores, grads, hessians, labels, weights and classBytes (the byte
 * addresses of row 0), then from byte 32 three Float64 parameters (softmax: factor, floorCoef; binary: sigmoid,
 * posWeight, negWeight). Helper threads' softmax scratch follows it, SOFTMAX_SCRATCH_BYTES per control slot.
 */
const DESCRIPTOR_BYTES = 64;
/** Helper threads a shared kernel has softmax scratch for (control slots 1 .. 63, as HistogramThreads). */
const MAX_HELPERS = 64;

/** Byte addresses of the arrays one kernel call works on. */
interface Arrays {
  readonly scores: number;
  readonly grads: number;
  readonly hessians: number;
  readonly labels: number;
  readonly weights: number;
}

/**
 * A gradient kernel for one objective (`numClass` 1: binary; more: softmax). Training arrays from buffers() live in
 * the kernel's memory, with a copy of the labels and weights, and are computed in place. Other arrays go through a
 * block area one block of rows at a time: copied in (class-major scores, labels, weights), computed, and the
 * gradients and hessians copied back.
 */
export class GradientKernel {
  readonly #numClass: number;
  readonly #wasm: WasmApi;
  /** The kernel compiled for a plain (not shared) memory. */
  readonly #module: object;
  #memory!: WasmMemory;
  #softmax!: SoftmaxExport;
  #binary!: BinaryExport;
  #shared: SharedGradientMemory | null = null;
  #splitter: RowSplitter | null = null;
  /** Bytes of the block area: scores, gradients, hessians (numClass × BLOCK_ROWS each), labels, weights, then softmax's scratch. */
  readonly #blockBytes: number;
  readonly #scratchAt: number;
  #direct: { rows: number; labelAt: number; weightAt: number; score: Float64Array; grad: Float64Array; hess: Float64Array } | null = null;

  private constructor(wasm: WasmApi, numClass: number) {
    this.#numClass = numClass;
    this.#wasm = wasm;
    this.#scratchAt = (3 * numClass + 2) * BLOCK_ROWS * 8;
    this.#blockBytes = this.#scratchAt + SOFTMAX_SCRATCH_BYTES;
    this.#module = new wasm.Module(gradientKernelBytes());
    this.#instantiate(new wasm.Memory({ initial: Math.ceil(this.#blockBytes / PAGE) }));
  }

  /** The kernel for `numClass` outputs per row, or null where WebAssembly (with SIMD) is unavailable. */
  static create(wasm: WasmApi | null, numClass: number): GradientKernel | null {
    if (wasm === null) return null;
    try {
      return new GradientKernel(wasm, numClass);
    } catch {
      return null;
    }
  }

  /**
   * Zeroed score, gradient and hessian arrays for `label.length` rows in the kernel's memory, so the passes run on
   * them without copies; `label` and `weight` are copied in and must not change afterwards. Null when they would
   * not fit in one memory. Replaces the buffers of an earlier call.
   */
  buffers(label: Float64Array, weight: Float64Array | null, shared = false): TrainingBuffers | null {
    const rows = label.length;
    const length = this.#numClass * rows;
    const descriptorAt = this.#blockBytes;
    const labelAt = descriptorAt + (shared ? DESCRIPTOR_BYTES + MAX_HELPERS * SOFTMAX_SCRATCH_BYTES : 0);
    const weightAt = labelAt + 8 * rows;
    const scoreAt = weightAt + 8 * rows;
    const end = scoreAt + 3 * 8 * length;
    if (end > MAX_DIRECT_BYTES) return null;
    const pages = Math.ceil(end / PAGE);
    try {
      if (shared) this.#instantiate(new this.#wasm.Memory({ initial: pages, maximum: pages, shared: true }), pages);
      // A new memory rather than memory.grow(): growing detaches the old buffer, and once any ArrayBuffer in the
      // process has been detached, V8 checks every typed-array access for it from then on (a copying loop took
      // 2.26 ns per row against 1.57, a scatter 1.61 against 0.97; see decision 0013).
      else if (pages > this.#memory.buffer.byteLength / PAGE) this.#instantiate(new this.#wasm.Memory({ initial: pages }));
    } catch {
      return null; // The engine refused the memory: the pass goes through the block area instead.
    }
    this.#shared = shared ? { memory: this.#memory, descriptorAt } : null;
    this.#splitter = null;
    const buffer = this.#memory.buffer;
    new Float64Array(buffer, labelAt, rows).set(label);
    const weights = new Float64Array(buffer, weightAt, rows);
    if (weight === null) weights.fill(1);
    else weights.set(weight);
    const score = new Float64Array(buffer, scoreAt, length).fill(0);
    const grad = new Float64Array(buffer, scoreAt + 8 * length, length).fill(0);
    const hess = new Float64Array(buffer, scoreAt + 16 * length, length).fill(0);
    this.#direct = { rows, labelAt, weightAt, score, grad, hess };
    return { score, grad, hess, shared: this.#shared, useThreads: (splitter) => (this.#splitter = this.#shared === null ? null : splitter) };
  }

  /** Moves the kernel onto `memory` (`sharedPages` pages, shared), the block area included. */
  /** Instantiates the kernel on `memory`: the module compiled for a shared memory of `sharedPages`, or the plain one. */
  #instantiate(memory: WasmMemory, sharedPages?: number): void {
    const module = sharedPages === undefined ? this.#module : new this.#wasm.Module(gradientKernelBytes(sharedPages));
    const exports = new this.#wasm.Instance(module, { env: { memory } }).exports;
    this.#memory = memory;
    this.#softmax = exports.softmax as SoftmaxExport;
    this.#binary = exports.binary as BinaryExport;
  }

  /**
   * Softmax gradients and hessians of every class for rows `0 .. label.length` (class-major `score`, `grad`, `hess`,
   * as MulticlassSoftmax.gradients), with `factor` = K/(K−1) and `floorCoef` the hessian floor's coefficient.
   */
  softmax(score: Float64Array, label: Float64Array, weight: Float64Array | null, factor: number, floorCoef: number, grad: Float64Array, hess: Float64Array): void {
    const k = this.#numClass;
    this.#run(score, label, weight, grad, hess, (a, rowBytes, classBytes) => this.#softmax(a.scores, a.grads, a.hessians, a.labels, a.weights, rowBytes, classBytes, k, factor, floorCoef, this.#scratchAt), PASS.softmax, factor, floorCoef, 0);
  }

  /** Binary log-loss gradients and hessians (as BinaryLogloss.gradients) for rows `0 .. label.length`. */
  binary(score: Float64Array, label: Float64Array, weight: Float64Array | null, sigmoid: number, posWeight: number, negWeight: number, grad: Float64Array, hess: Float64Array): void {
    this.#run(score, label, weight, grad, hess, (a, rowBytes) => this.#binary(a.scores, a.grads, a.hessians, a.labels, a.weights, rowBytes, sigmoid, posWeight, negWeight), PASS.binary, sigmoid, posWeight, negWeight);
  }

  /**
   * Runs `pass` over every row: in place on the training buffers (pairs of rows; an odd last row goes through the
   * block area, since its spare lane would write into the next class), shared with the splitter's threads when there
   * is one (the pass `kind` and its parameters go into the descriptor they read), else block by block.
   */
  #run(score: Float64Array, label: Float64Array, weight: Float64Array | null, grad: Float64Array, hess: Float64Array, pass: (arrays: Arrays, rowBytes: number, classBytes: number) => void, kind: number, p0: number, p1: number, p2: number): void {
    const n = label.length;
    const direct = this.#direct;
    let from = 0;
    if (direct !== null && direct.rows === n && direct.score === score && direct.grad === grad && direct.hess === hess) {
      from = n - (n & 1);
      const arrays: Arrays = { scores: score.byteOffset, grads: grad.byteOffset, hessians: hess.byteOffset, labels: direct.labelAt, weights: direct.weightAt };
      if (this.#splitter !== null && this.#shared !== null) {
        writeDescriptor(this.#memory, this.#shared.descriptorAt, kind, this.#numClass, arrays, 8 * n, p0, p1, p2);
        this.#splitter.gradients(from, (a, b) => pass(rowsFrom(arrays, a), 8 * (b - a), 8 * n));
      } else {
        pass(arrays, 8 * from, 8 * n);
      }
    }
    for (let start = from; start < n; start += BLOCK_ROWS) this.#block(score, label, weight, grad, hess, start, Math.min(BLOCK_ROWS, n - start), pass);
  }

  /** Rows `start .. start+rows` (at most BLOCK_ROWS) through the block area. */
  #block(score: Float64Array, label: Float64Array, weight: Float64Array | null, grad: Float64Array, hess: Float64Array, start: number, rows: number, pass: (arrays: Arrays, rowBytes: number, classBytes: number) => void): void {
    const n = label.length;
    const k = this.#numClass;
    const buffer = this.#memory.buffer;
    const segment = k * BLOCK_ROWS;
    const scores = new Float64Array(buffer, 0, segment);
    const grads = new Float64Array(buffer, 8 * segment, segment);
    const hessians = new Float64Array(buffer, 16 * segment, segment);
    const labels = new Float64Array(buffer, 24 * segment, BLOCK_ROWS);
    const weights = new Float64Array(buffer, 24 * segment + 8 * BLOCK_ROWS, BLOCK_ROWS);
    for (let c = 0; c < k; c++) scores.set(score.subarray(c * n + start, c * n + start + rows), c * BLOCK_ROWS);
    labels.set(label.subarray(start, start + rows));
    if (weight === null) weights.fill(1, 0, rows);
    else weights.set(weight.subarray(start, start + rows));
    pass({ scores: scores.byteOffset, grads: grads.byteOffset, hessians: hessians.byteOffset, labels: labels.byteOffset, weights: weights.byteOffset }, 8 * (rows + (rows & 1)), 8 * BLOCK_ROWS);
    for (let c = 0; c < k; c++) {
      grad.set(grads.subarray(c * BLOCK_ROWS, c * BLOCK_ROWS + rows), c * n + start);
      hess.set(hessians.subarray(c * BLOCK_ROWS, c * BLOCK_ROWS + rows), c * n + start);
    }
  }
}

/** `exp` of each value of `input` through the kernel's exponential; for tests. Null without WebAssembly. */
export function kernelExp(wasm: WasmApi | null, input: Float64Array): Float64Array | null {
  if (wasm === null) return null;
  const n = input.length + (input.length & 1);
  const memory: WasmMemory = new wasm.Memory({ initial: Math.max(1, Math.ceil((16 * n) / PAGE)) });
  const exports = new wasm.Instance(new wasm.Module(gradientKernelBytes()), { env: { memory } }).exports;
  new Float64Array(memory.buffer, 0, input.length).set(input);
  (exports.exp as (i: number, o: number, b: number) => void)(0, 8 * n, 8 * n);
  return new Float64Array(memory.buffer, 8 * n, input.length).slice();
}

/** The arrays of `arrays` from row `row` on (every class's rows start 8·row bytes further). */
function rowsFrom(arrays: Arrays, row: number): Arrays {
  const at = 8 * row;
  return { scores: arrays.scores + at, grads: arrays.grads + at, hessians: arrays.hessians + at, labels: arrays.labels + at, weights: arrays.weights + at };
}

function writeDescriptor(memory: WasmMemory, at: number, kind: number, numClass: number, arrays: Arrays, classBytes: number, p0: number, p1: number, p2: number): void {
  const ints = new Int32Array(memory.buffer, at, 8);
  ints.set([kind, numClass, arrays.scores, arrays.grads, arrays.hessians, arrays.labels, arrays.weights, classBytes]);
  new Float64Array(memory.buffer, at + 32, 3).set([p0, p1, p2]);
}

/**
 * A helper thread's side of a shared pass: the kernel instantiated over the training buffers' shared memory, running
 * rows `from .. to` (even `from`) of the pass the descriptor describes, with the softmax scratch of its control slot.
 */
export class GradientPassRunner {
  readonly #memory: WasmMemory;
  readonly #descriptorAt: number;
  readonly #scratchAt: number;
  readonly #softmax: SoftmaxExport;
  readonly #binary: BinaryExport;

  constructor(wasm: WasmApi, shared: SharedGradientMemory, slot: number) {
    this.#memory = shared.memory;
    this.#descriptorAt = shared.descriptorAt;
    this.#scratchAt = shared.descriptorAt + DESCRIPTOR_BYTES + slot * SOFTMAX_SCRATCH_BYTES;
    const pages = shared.memory.buffer.byteLength / PAGE;
    const exports = new wasm.Instance(new wasm.Module(gradientKernelBytes(pages)), { env: { memory: shared.memory } }).exports;
    this.#softmax = exports.softmax as SoftmaxExport;
    this.#binary = exports.binary as BinaryExport;
  }

  run(from: number, to: number): void {
    const d = new Int32Array(this.#memory.buffer, this.#descriptorAt, 8);
    const p = new Float64Array(this.#memory.buffer, this.#descriptorAt + 32, 3);
    const a = rowsFrom({ scores: d[2], grads: d[3], hessians: d[4], labels: d[5], weights: d[6] }, from);
    const rowBytes = 8 * (to - from);
    if (d[0] === PASS.softmax) this.#softmax(a.scores, a.grads, a.hessians, a.labels, a.weights, rowBytes, d[7], d[1], p[0], p[1], this.#scratchAt);
    else this.#binary(a.scores, a.grads, a.hessians, a.labels, a.weights, rowBytes, p[0], p[1], p[2]);
  }
}
