/**
 * The dense groups' histogram kernels (dense-rows.ts), assembled per training: group d's function `dense{d}` has its
 * features' histogram offsets built in as constant memory offsets, so a feature costs a byte load and two
 * read-add-writes, with no per-feature address arithmetic.
 *
 * `dense{d}(matrix, rows, pairs, count, lanes, laneBytes, counts)`: `matrix` holds the group's bins row-major
 * (group size bytes per row); `rows` `count` Int32 row indices; `pairs` their (gradient, hessian) Float64 pairs in
 * row-list order; `lanes` the pair of histogram bin 0 in lane 0, lane k being `k × laneBytes` further (laneBytes 0
 * puts every row in lane 0, in order); `counts` the Int32 count of histogram bin 0. The i-th row goes to lane i % 4,
 * rows past the last full group of four to lane 0: for every feature the same adds in the same order as the
 * column-wise `narrow` kernel (histogram-kernel-module.ts), whose `merge` then finishes each feature.
 */

import { countedLoop, functionCode, get, i32, mem, OP, set, tee, uleb, I32, kernelModule, memoryLimits, type WasmApi, type WasmMemory } from '../wasm/assembler.js';

const MATRIX = 0, ROWS = 1, PAIRS = 2, COUNT = 3, LANES = 4, LANE_BYTES = 5, COUNTS = 6;
const I = 7, END4 = 8, LANE1 = 9, LANE2 = 10, LANE3 = 11, ROW_AT = 12, PAIR_AT = 13, ROW_BINS = 14, LANE_AT = 15, ADDR = 16, PAIR = 17;
const NUM_PARAMS = 7;
/** Value type v128. */
const V128 = 0x7b;

/** Adds the j-th row of the current group of four (its lane offset in `laneLocal`, null: lane 0) to every feature. */
function addRow(j: number, laneLocal: number | null, width: number, histOffsets: readonly number[]): number[] {
  const code = [
    // ROW_BINS = matrix + width · rows[i + j]; PAIR = pairs[i + j]; LANE_AT = the lane's bin 0
    ...get(ROW_AT), OP.i32Load, ...mem(2, 4 * j), ...i32(width), OP.i32Mul, ...get(MATRIX), OP.i32Add, ...set(ROW_BINS),
    ...get(PAIR_AT), OP.simd, OP.v128Load, ...mem(3, 16 * j), ...set(PAIR),
    ...get(LANES), ...(laneLocal === null ? [] : [...get(laneLocal), OP.i32Add]), ...set(LANE_AT),
  ];
  histOffsets.forEach((offset, k) => {
    code.push(
      // lanes[lane][offset + bin] += PAIR
      ...get(ROW_BINS), OP.i32Load8U, ...mem(0, k), ...i32(4), OP.i32Shl, ...get(LANE_AT), OP.i32Add, ...tee(ADDR),
      ...get(ADDR), OP.simd, OP.v128Load, ...mem(3, 16 * offset), ...get(PAIR), OP.simd, ...uleb(OP.f64x2Add),
      OP.simd, OP.v128Store, ...mem(3, 16 * offset),
      // counts[offset + bin] += 1
      ...get(ROW_BINS), OP.i32Load8U, ...mem(0, k), ...i32(2), OP.i32Shl, ...get(COUNTS), OP.i32Add, ...tee(ADDR),
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

function denseBody(histOffsets: readonly number[]): number[] {
  const width = histOffsets.length;
  const code = [
    ...get(COUNT), ...i32(-4), OP.i32And, ...set(END4),
    ...get(LANE_BYTES), ...set(LANE1),
    ...get(LANE_BYTES), ...i32(2), OP.i32Mul, ...set(LANE2),
    ...get(LANE_BYTES), ...i32(3), OP.i32Mul, ...set(LANE3),
    ...countedLoop(I, END4, 4, [
      ...pointAtRow(),
      ...addRow(0, null, width, histOffsets), ...addRow(1, LANE1, width, histOffsets),
      ...addRow(2, LANE2, width, histOffsets), ...addRow(3, LANE3, width, histOffsets),
    ]),
    ...countedLoop(I, COUNT, 1, [...pointAtRow(), ...addRow(0, null, width, histOffsets)]),
    OP.end,
  ];
  return functionCode([[PAIR - NUM_PARAMS, I32], [1, V128]], code);
}

/** The module's bytes: one function `dense{d}` per group, `groups[d]` being the histogram offsets of its features. */
export function denseKernelBytes(groups: readonly (readonly number[])[], maxPages: number): Uint8Array {
  return kernelModule(memoryLimits(1, maxPages), groups.map((offsets, d) => ({
    name: `dense${d}`, params: new Array<number>(NUM_PARAMS).fill(I32), results: [], code: denseBody(offsets),
  })));
}

/** A dense group's kernel: (matrix, rows, pairs, count, lanes, laneBytes, counts). */
export type DenseKernel = (matrix: number, rows: number, pairs: number, count: number, lanes: number, laneBytes: number, counts: number) => void;

/** Compiles the groups' kernels over `memory` (shared, created with maximum `maxPages`); one per group, in order. */
export function instantiateDenseKernels(wasm: WasmApi, memory: WasmMemory, maxPages: number, groups: readonly (readonly number[])[]): DenseKernel[] {
  if (groups.length === 0) return [];
  const exports = new wasm.Instance(new wasm.Module(denseKernelBytes(groups, maxPages)), { env: { memory } }).exports;
  return groups.map((_, d) => exports[`dense${d}`] as DenseKernel);
}
