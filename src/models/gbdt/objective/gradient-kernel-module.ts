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

import { countedLoop, functionCode, get, i32, OP, set, VOID_BLOCK, I32, F64, kernelModule, memoryLimits } from '../wasm/assembler.js';
import { expOf, expSteps, f64x2, interleave, S, simd, V128, vload, vstore } from '../wasm/f64x2-exp.js';

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

/** Parameters and locals of `binary`, by index: each of the two pairs a pass works on has its own locals (BinaryPair). */
const B_SC = 0, B_GR = 1, B_HE = 2, B_LA = 3, B_WE = 4, B_ROW_BYTES = 5, B_SIG = 6, B_PW = 7, B_NW = 8;
const B_R = 9, B_END = 10, B_SIGV = 11;

/** A pair's v128 locals: label, y, x (then the row's weight factor), gradient, and expSteps' five. */
interface BinaryPair {
  readonly l: number;
  readonly y: number;
  readonly x: number;
  readonly g: number;
  readonly t: readonly number[];
}

const pairLocals = (first: number): BinaryPair => ({ l: first, y: first + 1, x: first + 2, g: first + 3, t: [first + 4, first + 5, first + 6, first + 7, first + 8] });
const PAIR_A = pairLocals(12);
const PAIR_B = pairLocals(21);

/** The steps of one pair of rows, at byte `offset` past R in every array; each leaves the stack as it found it. */
function binaryPairSteps(p: BinaryPair, offset: number): number[][] {
  const at = (base: number): number[] => [...get(base), ...get(B_R), OP.i32Add];
  return [
    // y = 2·label − 1; x = y·σ·score
    [...at(B_LA), ...vload(offset), ...set(p.l)],
    [...f64x2(2), ...get(p.l), ...simd(S.f64x2Mul), ...f64x2(1), ...simd(S.f64x2Sub), ...set(p.y)],
    [...get(p.y), ...get(B_SIGV), ...simd(S.f64x2Mul), ...at(B_SC), ...vload(offset), ...simd(S.f64x2Mul), ...set(p.x)],
    ...expSteps(p.x, p.t),
    // g = (−y·σ)/(1 + exp(x))
    [...get(p.y), ...simd(S.f64x2Neg), ...get(B_SIGV), ...simd(S.f64x2Mul), ...f64x2(1), ...get(p.t[4]), ...simd(S.f64x2Add), ...simd(S.f64x2Div), ...set(p.g)],
    // w = (label·posWeight + (1 − label)·negWeight) · weight, kept in x
    [
      ...get(p.l), ...get(B_PW), ...simd(S.f64x2Splat), ...simd(S.f64x2Mul),
      ...f64x2(1), ...get(p.l), ...simd(S.f64x2Sub), ...get(B_NW), ...simd(S.f64x2Splat), ...simd(S.f64x2Mul), ...simd(S.f64x2Add),
      ...at(B_WE), ...vload(offset), ...simd(S.f64x2Mul), ...set(p.x),
    ],
    [...at(B_GR), ...get(p.g), ...get(p.x), ...simd(S.f64x2Mul), ...vstore(offset)],
    // hessian = |g|·(σ − |g|) · w
    [
      ...at(B_HE),
      ...get(p.g), ...simd(S.f64x2Abs), ...get(B_SIGV), ...get(p.g), ...simd(S.f64x2Abs), ...simd(S.f64x2Sub), ...simd(S.f64x2Mul),
      ...get(p.x), ...simd(S.f64x2Mul), ...vstore(offset),
    ],
  ];
}

/**
 * Four rows per iteration: two pairs whose steps alternate, so the processor overlaps their long chains of dependent
 * operations (the exponential and two divisions); on Adult's 32,561 rows that took the pass from about 12 to 7 ns per
 * row (bench/RESULTS.md). A last pair left over runs alone. Every row gets the same operations in the same order.
 */
function binaryBody(): number[] {
  const code = [
    ...get(B_SIG), ...simd(S.f64x2Splat), ...set(B_SIGV),
    // END = rowBytes rounded down to whole iterations of 32 bytes
    ...get(B_ROW_BYTES), ...i32(-32), OP.i32And, ...set(B_END),
    ...countedLoop(B_R, B_END, 32, interleave(binaryPairSteps(PAIR_A, 0), binaryPairSteps(PAIR_B, 16))),
    OP.block, VOID_BLOCK,
    ...get(B_R), ...get(B_ROW_BYTES), OP.i32GeS, OP.brIf, 0,
    ...binaryPairSteps(PAIR_A, 0).flat(),
    OP.end,
    OP.end,
  ];
  return functionCode([[2, I32], [19, V128]], code);
}

/**
 * The module's bytes; it imports `env.memory`: not shared, or, given `sharedPages`, a shared memory of exactly that
 * many pages (the training buffers that worker threads compute parts of).
 */
export function gradientKernelBytes(sharedPages?: number): Uint8Array {
  return kernelModule(sharedPages === undefined ? memoryLimits(1) : memoryLimits(sharedPages, sharedPages), [
    { name: 'softmax', params: [I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, I32], results: [], code: softmaxBody() },
    { name: 'exp', params: [I32, I32, I32], results: [], code: expBody() },
    { name: 'binary', params: [I32, I32, I32, I32, I32, I32, F64, F64, F64], results: [], code: binaryBody() },
  ]);
}

export type SoftmaxExport = (scores: number, grads: number, hessians: number, labels: number, weights: number, rowBytes: number, classBytes: number, numClass: number, factor: number, floorCoef: number, scratch: number) => void;
export type BinaryExport = (scores: number, grads: number, hessians: number, labels: number, weights: number, rowBytes: number, sigmoid: number, posWeight: number, negWeight: number) => void;
