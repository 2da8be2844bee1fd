/**
 * The gradient passes of the binary and multiclass softmax objectives as WebAssembly kernels, two rows at a time in
 * f64x2 lanes. Most of each pass is `Math.exp` (about 11 of 20 ns per row and class in JavaScript), so the kernels
 * carry their own exponential: the same fdlibm algorithm V8 implements `Math.exp` with (argument reduction by k·ln 2
 * split in a high and a low part, a degree-5 polynomial, scaling by 2^k), evaluated with the same IEEE double
 * operations in the same order, written branch-free with lane masks. Its results are bit for bit those of
 * `Math.exp`, and the kernels' gradients are bit for bit those of the objectives' JavaScript loops;
 * gradient-kernel.test.ts checks both.
 *
 * The kernels have a memory of their own, which holds the training arrays (GradientKernel.buffers) or, for other
 * arrays, one block of rows copied in and out.
 *
 * Exports:
 * - `softmax(scores, grads, hessians, labels, weights, rowBytes, classBytes, numClass, factor, floorCoef, scratch)`:
 *   for each pair of rows, per class c (class c's rows start c × classBytes after each array's base; labels and
 *   weights are one segment; `scratch` is SOFTMAX_SCRATCH_BYTES of working memory): the row maximum, e_c = exp(s_c − max), their sum in class order, p_c = e_c / sum, gradient
 *   (p_c − [label = c]) × w and hessian max(factor·p_c·(1 − p_c), floorCoef·|gradient before w|) × w.
 * - `binary(scores, grads, hessians, labels, weights, rowBytes, sigmoid, posWeight, negWeight)`: per row, with
 *   y = 2·label − 1, gradient g = (−y·σ)/(1 + exp(y·σ·score)) × cw × w and hessian |g|·(σ − |g|) × cw × w (before
 *   the weights), cw = label·posWeight + (1 − label)·negWeight.
 * - `exp(in, out, bytes)`: `out[i] = exp(in[i])`, two at a time; for tests.
 * `rowBytes` is 8 × the number of rows, even: a caller with an odd count rounds up in the block area (the spare lane
 * computes on whatever it holds and is not copied out).
 */

import { countedLoop, functionCode, get, i32, name, OP, section, set, uleb, vec, VOID_BLOCK, I32, F64, type WasmApi, type WasmMemory } from '../wasm/assembler.js';
import { expOf, f64x2, S, simd, V128, vload, vstore } from '../wasm/f64x2-exp.js';

/** Parameters and locals of `softmax`, by index. */
const SC = 0, GR = 1, HE = 2, LA = 3, WE = 4, ROW_BYTES = 5, CLASS_BYTES = 6, NUM_CLASS = 7, FACTOR = 8, FLOOR = 9, SCRATCH = 10;
const B0 = 11, BEND = 12, R = 13, AT = 14, CLASS = 15;
const X = 16, CLS = 17, P = 18, G = 19, T0 = 20, T1 = 21, T2 = 22, T3 = 23, T4 = 24;
/** Rows per block of the softmax pass, as bytes of one class's doubles: 64 rows. */
const SOFTMAX_BLOCK_BYTES = 512;
/** Bytes of `softmax`'s scratch: each block's row maxima, then its sums. */
export const SOFTMAX_SCRATCH_BYTES = 2 * SOFTMAX_BLOCK_BYTES;

/** The address of the pair at R in the block's scratch: maxima (`offset` 0) or sums (SOFTMAX_BLOCK_BYTES). */
const scratchAt = (offset: number): number[] => [...get(SCRATCH), ...i32(offset), OP.i32Add, ...get(R), OP.i32Add, ...get(B0), I32_SUB];
const I32_SUB = 0x6b;

/** Loops R over the pairs of rows of the block (B0 .. BEND, 16 bytes a pair), running `body`. */
function eachPair(body: number[]): number[] {
  return [
    ...get(B0), ...set(R),
    ...countedLoop(R, BEND, 16, [
      ...body,
    ]),
  ];
}

/** Loops over the classes with AT = c·classBytes and CLS = c (as doubles), and over the block's pairs inside. */
function eachClassAndPair(body: number[]): number[] {
  return [
    ...i32(0), ...set(AT), ...i32(0), ...set(CLASS), ...f64x2(0), ...set(CLS),
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(CLASS), ...get(NUM_CLASS), OP.i32GeS, OP.brIf, 1,
    ...eachPair(body),
    ...get(AT), ...get(CLASS_BYTES), OP.i32Add, ...set(AT),
    ...get(CLASS), ...i32(1), OP.i32Add, ...set(CLASS),
    ...get(CLS), ...f64x2(1), ...simd(S.f64x2Add), ...set(CLS),
    OP.br, 0,
    OP.end, OP.end,
  ];
}

/** The pair at `base` + AT + R (class AT's rows R, R+1 of array `base`). */
const classPair = (base: number): number[] => [...get(base), ...get(AT), OP.i32Add, ...get(R), OP.i32Add];

/**
 * Blocks of 64 rows, and inside a block class by class, so every pass runs along each class's contiguous rows (a
 * stream the prefetcher follows) instead of jumping across all classes for every pair of rows. Each row's maximum,
 * exponentials and their sum are still taken in class order, so the bits are those of the JavaScript loop.
 */
function softmaxBody(): number[] {
  const code = [
    ...countedLoop(B0, ROW_BYTES, SOFTMAX_BLOCK_BYTES, [
      // BEND = min(B0 + block, rowBytes)
      ...get(B0), ...i32(SOFTMAX_BLOCK_BYTES), OP.i32Add, ...get(ROW_BYTES), ...get(B0), ...i32(SOFTMAX_BLOCK_BYTES), OP.i32Add, ...get(ROW_BYTES), OP.i32LtS, OP.select, ...set(BEND),
      // maxima from −∞ (as Math.max is folded in the JavaScript loop), sums from 0
      ...eachPair([
        ...scratchAt(0), ...f64x2(Number.NEGATIVE_INFINITY), ...vstore(),
        ...scratchAt(SOFTMAX_BLOCK_BYTES), ...f64x2(0), ...vstore(),
      ]),
      ...eachClassAndPair([...scratchAt(0), ...scratchAt(0), ...vload(), ...classPair(SC), ...vload(), ...simd(S.f64x2Max), ...vstore()]),
      // e_c = exp(s_c − max) kept in grads; sums in class order
      ...eachClassAndPair([
        ...classPair(SC), ...vload(), ...scratchAt(0), ...vload(), ...simd(S.f64x2Sub), ...set(X),
        ...classPair(GR), ...expOf(X, [T0, T1, T2, T3, T4]), ...set(P), ...get(P), ...vstore(),
        ...scratchAt(SOFTMAX_BLOCK_BYTES), ...scratchAt(SOFTMAX_BLOCK_BYTES), ...vload(), ...get(P), ...simd(S.f64x2Add), ...vstore(),
      ]),
      ...eachClassAndPair([
        // p = e / sum; g = p − [label = c]
        ...classPair(GR), ...vload(), ...scratchAt(SOFTMAX_BLOCK_BYTES), ...vload(), ...simd(S.f64x2Div), ...set(P),
        ...get(P), ...get(LA), ...get(R), OP.i32Add, ...vload(), ...get(CLS), ...simd(S.f64x2Eq), ...f64x2(1), ...simd(S.and), ...simd(S.f64x2Sub), ...set(G),
        // h = factor·p·(1 − p); floor = floorCoef·|g|; hessian = (h > floor ? h : floor) · w
        ...get(FACTOR), ...simd(S.f64x2Splat), ...get(P), ...simd(S.f64x2Mul), ...f64x2(1), ...get(P), ...simd(S.f64x2Sub), ...simd(S.f64x2Mul), ...set(X),
        ...get(FLOOR), ...simd(S.f64x2Splat), ...get(G), ...simd(S.f64x2Abs), ...simd(S.f64x2Mul), ...set(T0),
        ...classPair(HE),
        ...get(X), ...get(T0), ...get(X), ...get(T0), ...simd(S.f64x2Gt), ...simd(S.bitselect),
        ...get(WE), ...get(R), OP.i32Add, ...vload(), ...simd(S.f64x2Mul), ...vstore(),
        ...classPair(GR),
        ...get(G), ...get(WE), ...get(R), OP.i32Add, ...vload(), ...simd(S.f64x2Mul), ...vstore(),
      ]),
    ]),
    OP.end,
  ];
  return functionCode([[5, I32], [9, V128]], code);
}

/** Parameters and locals of `exp`, by index. */
const E_IN = 0, E_OUT = 1, E_BYTES = 2, E_I = 3, E_X = 4;

function expBody(): number[] {
  const code = [
    ...countedLoop(E_I, E_BYTES, 16, [
      ...get(E_IN), ...get(E_I), OP.i32Add, ...vload(), ...set(E_X),
      ...get(E_OUT), ...get(E_I), OP.i32Add, ...expOf(E_X, [5, 6, 7, 8, 9]), ...vstore(),
    ]),
    OP.end,
  ];
  return functionCode([[1, I32], [6, V128]], code);
}

/** Parameters and locals of `binary`, by index. */
const B_SC = 0, B_GR = 1, B_HE = 2, B_LA = 3, B_WE = 4, B_ROW_BYTES = 5, B_SIG = 6, B_PW = 7, B_NW = 8;
const B_R = 9, B_L = 10, B_Y = 11, B_X = 12, B_G = 13, B_SIGV = 14, B_T0 = 15;

function binaryBody(): number[] {
  const code = [
    ...get(B_SIG), ...simd(S.f64x2Splat), ...set(B_SIGV),
    ...countedLoop(B_R, B_ROW_BYTES, 16, [
      // y = 2·label − 1; x = y·σ·score
      ...get(B_LA), ...get(B_R), OP.i32Add, ...vload(), ...set(B_L),
      ...f64x2(2), ...get(B_L), ...simd(S.f64x2Mul), ...f64x2(1), ...simd(S.f64x2Sub), ...set(B_Y),
      ...get(B_Y), ...get(B_SIGV), ...simd(S.f64x2Mul), ...get(B_SC), ...get(B_R), OP.i32Add, ...vload(), ...simd(S.f64x2Mul), ...set(B_X),
      // g = (−y·σ)/(1 + exp(x))
      ...get(B_Y), ...simd(S.f64x2Neg), ...get(B_SIGV), ...simd(S.f64x2Mul),
      ...f64x2(1), ...expOf(B_X, [B_T0, B_T0 + 1, B_T0 + 2, B_T0 + 3, B_T0 + 4]), ...simd(S.f64x2Add), ...simd(S.f64x2Div), ...set(B_G),
      // w = (label·posWeight + (1 − label)·negWeight) · weight, kept in x
      ...get(B_L), ...get(B_PW), ...simd(S.f64x2Splat), ...simd(S.f64x2Mul),
      ...f64x2(1), ...get(B_L), ...simd(S.f64x2Sub), ...get(B_NW), ...simd(S.f64x2Splat), ...simd(S.f64x2Mul), ...simd(S.f64x2Add),
      ...get(B_WE), ...get(B_R), OP.i32Add, ...vload(), ...simd(S.f64x2Mul), ...set(B_X),
      ...get(B_GR), ...get(B_R), OP.i32Add, ...get(B_G), ...get(B_X), ...simd(S.f64x2Mul), ...vstore(),
      // hessian = |g|·(σ − |g|) · w
      ...get(B_HE), ...get(B_R), OP.i32Add,
      ...get(B_G), ...simd(S.f64x2Abs), ...get(B_SIGV), ...get(B_G), ...simd(S.f64x2Abs), ...simd(S.f64x2Sub), ...simd(S.f64x2Mul),
      ...get(B_X), ...simd(S.f64x2Mul), ...vstore(),
    ]),
    OP.end,
  ];
  return functionCode([[1, I32], [10, V128]], code);
}

/**
 * The module's bytes; it imports `env.memory`: not shared, or, given `sharedPages`, a shared memory of exactly that
 * many pages (the training buffers that worker threads compute parts of).
 */
export function gradientKernelBytes(sharedPages?: number): Uint8Array {
  const types = vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [F64], [F64], [I32]]), ...vec([])],
    [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [F64], [F64], [F64]]), ...vec([])],
  ]);
  const limits = sharedPages === undefined ? [0x00, ...uleb(1)] : [0x03, ...uleb(sharedPages), ...uleb(sharedPages)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const exports = vec([[...name('softmax'), 0x00, 0], [...name('exp'), 0x00, 1], [...name('binary'), 0x00, 2]]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, vec([[0], [1], [2]])), ...section(7, exports),
    ...section(10, [...uleb(3), ...softmaxBody(), ...expBody(), ...binaryBody()]),
  ]);
}

/** Rows per block: the block's scores, gradients and hessians of every class stay in cache. */
const BLOCK_ROWS = 256;
const PAGE = 65536;
/** Training arrays larger than this stay ordinary arrays (copied through the block area); 2 GiB is V8's safe limit. */
const MAX_DIRECT_BYTES = 2 ** 31 - 2 ** 26;

type SoftmaxExport = (scores: number, grads: number, hessians: number, labels: number, weights: number, rowBytes: number, classBytes: number, numClass: number, factor: number, floorCoef: number, scratch: number) => void;
type BinaryExport = (scores: number, grads: number, hessians: number, labels: number, weights: number, rowBytes: number, sigmoid: number, posWeight: number, negWeight: number) => void;

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
  #memory: WasmMemory;
  #softmax: SoftmaxExport;
  #binary: BinaryExport;
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
    this.#memory = new wasm.Memory({ initial: Math.ceil(this.#blockBytes / PAGE) });
    const exports = new wasm.Instance(new wasm.Module(gradientKernelBytes()), { env: { memory: this.#memory } }).exports;
    this.#softmax = exports.softmax as SoftmaxExport;
    this.#binary = exports.binary as BinaryExport;
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
      else if (pages > this.#memory.buffer.byteLength / PAGE) this.#memory.grow(pages - this.#memory.buffer.byteLength / PAGE);
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
  #instantiate(memory: WasmMemory, sharedPages: number): void {
    const exports = new this.#wasm.Instance(new this.#wasm.Module(gradientKernelBytes(sharedPages)), { env: { memory } }).exports;
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
