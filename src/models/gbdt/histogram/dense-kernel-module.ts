/**
 * The dense groups' histogram kernels (dense-rows.ts), assembled per training: group d's function `dense{d}` has its
 * features' columns in the matrix and histogram offsets built in as constant memory offsets, so a feature costs a
 * byte load and two read-add-writes, with no per-feature address arithmetic.
 *
 * `dense{d}(matrix, rows, pairs, count, lanes, laneBytes, counts, laned)`: `matrix` holds the bins of every dense
 * feature row-major (`stride` bytes per row, the group's features from byte `column` of a row on); `rows` `count`
 * Int32 row indices; `pairs` their (gradient, hessian) Float64 pairs in row-list order; `lanes` the pair of
 * histogram bin 0 in lane 0, lane k being `k × laneBytes` further (laneBytes 0 puts every row in lane 0, in order);
 * `counts` the Int32 count of histogram bin 0. The i-th row goes to lane i % 4,
 * rows past the last full group of four to lane 0: for every feature the same adds in the same order as the
 * column-wise `narrow` kernel (histogram-kernel-module.ts), whose `merge` then finishes each feature. A leaf can have
 * enough rows for lanes for its features with few bins and not for those with many: the group's features are in
 * ascending order of bins, and `mixed{d}(…, laned)` spreads only the first `laned` over lanes (`dense{d}` ignores
 * `laned`). Both return a sum of bins they touched ahead, which callers ignore.
 */

import { countedLoop, functionCode, get, i32, mem, OP, set, tee, uleb, I32, kernelModule, memoryLimits, type WasmApi, type WasmMemory } from '../wasm/assembler.js';
import { V128 } from '../wasm/f64x2-exp.js';

const MATRIX = 0, ROWS = 1, PAIRS = 2, COUNT = 3, LANES = 4, LANE_BYTES = 5, COUNTS = 6, LANED = 7;
const I = 8, END4 = 9, LANE1 = 10, LANE2 = 11, LANE3 = 12, ROW_AT = 13, PAIR_AT = 14, ROW_BINS = 15, LANE_AT = 16, ADDR = 17, BIN = 18, TOUCHED = 19, END_TOUCH = 20, PAIR = 21;
/** Rows ahead whose bins are touched early, so their cache lines are on the way when their turn comes. */
const TOUCH_AHEAD = 32;
const NUM_PARAMS = 8;

/** Where a dense group's bins are in the matrix and its features' first bins in a leaf histogram. */
export interface DenseGroupCode {
  /** Bytes per row of the matrix. */
  readonly stride: number;
  /** The byte of a row holding the group's first feature. */
  readonly column: number;
  /** Per feature of the group, in order: its first bin in a leaf histogram. */
  readonly histOffsets: readonly number[];
}

/**
 * Adds the j-th row of the current group of four (its lane offset in `laneLocal`, null: lane 0) to every feature;
 * when `mixed`, only the first LANED features use that lane and the others lane 0.
 */
function addRow(j: number, laneLocal: number | null, group: DenseGroupCode, mixed: boolean): number[] {
  const code = [
    // ROW_BINS = matrix + stride · rows[i + j]; PAIR = pairs[i + j]; LANE_AT = the lane's bin 0
    ...get(ROW_AT), OP.i32Load, ...mem(2, 4 * j), ...i32(group.stride), OP.i32Mul, ...get(MATRIX), OP.i32Add, ...set(ROW_BINS),
    ...get(PAIR_AT), OP.simd, OP.v128Load, ...mem(3, 16 * j), ...set(PAIR),
    ...get(LANES), ...(laneLocal === null ? [] : [...get(laneLocal), OP.i32Add]), ...set(LANE_AT),
  ];
  group.histOffsets.forEach((offset, k) => {
    code.push(
      // lanes[lane][offset + bin] += PAIR
      ...get(ROW_BINS), OP.i32Load8U, ...mem(0, group.column + k), ...tee(BIN), ...i32(4), OP.i32Shl,
      ...(mixed ? [...get(LANE_AT), ...get(LANES), ...i32(k), ...get(LANED), OP.i32LtS, OP.select] : get(LANE_AT)), OP.i32Add, ...tee(ADDR),
      ...get(ADDR), OP.simd, OP.v128Load, ...mem(3, 16 * offset), ...get(PAIR), OP.simd, ...uleb(OP.f64x2Add),
      OP.simd, OP.v128Store, ...mem(3, 16 * offset),
      // counts[offset + bin] += 1
      ...get(BIN), ...i32(2), OP.i32Shl, ...get(COUNTS), OP.i32Add, ...tee(ADDR),
      ...get(ADDR), OP.i32Load, ...mem(2, 4 * offset), ...i32(1), OP.i32Add, OP.i32Store, ...mem(2, 4 * offset),
    );
  });
  return code;
}

/** ROW_AT and PAIR_AT for row I. */
const pointAtRow = (): number[] => [
  ...get(ROWS), ...get(I), ...i32(2), OP.i32Shl, OP.i32Add, ...set(ROW_AT),
  ...get(PAIRS), ...get(I), ...i32(4), OP.i32Shl, OP.i32Add, ...set(PAIR_AT),
];

/**
 * Loads one bin of each of the rows TOUCH_AHEAD … TOUCH_AHEAD + 3 places further in the list and adds it to TOUCHED,
 * which the function returns so the loads stay: WebAssembly has no prefetch instruction.
 */
const touchAhead = (stride: number): number[] => [0, 1, 2, 3].flatMap((j) => [
  ...get(ROW_AT), OP.i32Load, ...mem(2, 4 * (TOUCH_AHEAD + j)), ...i32(stride), OP.i32Mul, ...get(MATRIX), OP.i32Add,
  OP.i32Load8U, ...mem(0, 0), ...get(TOUCHED), OP.i32Add, ...set(TOUCHED),
]);

function denseBody(group: DenseGroupCode, mixed: boolean): number[] {
  const fourRows = [...addRow(0, null, group, mixed), ...addRow(1, LANE1, group, mixed), ...addRow(2, LANE2, group, mixed), ...addRow(3, LANE3, group, mixed)];
  const code = [
    ...get(COUNT), ...i32(-4), OP.i32And, ...set(END4),
    ...get(END4), ...i32(TOUCH_AHEAD), OP.i32Sub, ...set(END_TOUCH),
    ...get(LANE_BYTES), ...set(LANE1),
    ...get(LANE_BYTES), ...i32(2), OP.i32Mul, ...set(LANE2),
    ...get(LANE_BYTES), ...i32(3), OP.i32Mul, ...set(LANE3),
    // Groups of four rows, one per lane: while rows TOUCH_AHEAD further on exist, touching them first.
    ...countedLoop(I, END_TOUCH, 4, [...pointAtRow(), ...touchAhead(group.stride), ...fourRows]),
    ...countedLoop(I, END4, 4, [...pointAtRow(), ...fourRows]),
    // The remaining rows, in lane 0.
    ...countedLoop(I, COUNT, 1, [...pointAtRow(), ...addRow(0, null, group, false)]),
    ...get(TOUCHED),
    OP.end,
  ];
  return functionCode([[PAIR - NUM_PARAMS, I32], [1, V128]], code);
}

/**
 * The module's bytes: per group, `dense{d}`, where every feature uses the row's lane (all lane 0 when laneBytes is
 * 0) and `laned` is ignored, and `mixed{d}`, where only the first `laned` features do.
 */
export function denseKernelBytes(groups: readonly DenseGroupCode[], maxPages: number): Uint8Array {
  const params = new Array<number>(NUM_PARAMS).fill(I32);
  return kernelModule(memoryLimits(1, maxPages), groups.flatMap((group, d) => [
    { name: `dense${d}`, params, results: [I32], code: denseBody(group, false) },
    { name: `mixed${d}`, params, results: [I32], code: denseBody(group, true) },
  ]));
}

/** A dense group's kernel: (matrix, rows, pairs, count, lanes, laneBytes, counts, laned). */
export type DenseKernel = (matrix: number, rows: number, pairs: number, count: number, lanes: number, laneBytes: number, counts: number, laned: number) => number;

/** Compiles the groups' kernels over `memory` (shared, created with maximum `maxPages`); one pair per group, in order. */
export function instantiateDenseKernels(wasm: WasmApi, memory: WasmMemory, maxPages: number, groups: readonly DenseGroupCode[]): { all: DenseKernel; mixed: DenseKernel }[] {
  if (groups.length === 0) return [];
  const exports = new wasm.Instance(new wasm.Module(denseKernelBytes(groups, maxPages)), { env: { memory } }).exports;
  return groups.map((_, d) => ({ all: exports[`dense${d}`] as DenseKernel, mixed: exports[`mixed${d}`] as DenseKernel }));
}
