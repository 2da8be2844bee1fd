/**
 * The histogram kernels as a WebAssembly module, assembled here from their opcodes (no toolchain, no binary file).
 * V8 keeps the JavaScript loop of buildHistogram at about 4–5 ns per row and feature because each gradient/hessian
 * add is a bounds-checked scalar load-add-store; the kernel adds the (gradient, hessian) pair with one 128-bit SIMD
 * add and does no bounds checks, about 2.4× faster on Adult. The arithmetic is the same IEEE double adds in the same
 * order, so it gives the same bits as buildHistogram.
 *
 * All arguments are byte addresses in the imported shared memory `env.memory`, except counts and sizes.
 * - `narrow(col, rows, pairs, count, lanes, laneBytes, counts)` (1-byte bins) and `wide(...)` (2-byte bins): `col`
 *   holds the feature's bins, one per row; `rows` `count` Int32 row indices; `pairs` their (gradient, hessian)
 *   Float64 pairs in row-list order; `lanes` the pair of bin 0 in lane 0, lane k being `k × laneBytes` further
 *   (laneBytes 0 puts every row in lane 0, in order); `counts` the Int32 count of bin 0. The i-th row goes to lane
 *   i % 4, rows past the last full group of four to lane 0, as buildHistogram does.
 * - `merge(lanes, laneBytes, counts, out, numBins)`: sums the lanes into the 3-double histogram entries at `out`
 *   and zeroes them again.
 * - `partitionNarrow` / `partitionWide(col, idx, count, right, table) → left count`: the stable split of a leaf's
 *   rows by a per-bin go-left table.
 * - `sparse(rowStart, entries, rows, pairs, count, out)`: a row-wise group's histogram (see sparse-rows.ts).
 * - `sparseInOrder(entryRows, entries, from, to, pairs, out)`: the same over rows that are consecutive (an unbagged
 *   root), as one flat pass over their entries.
 * - `gather(rows, count, all, pairs)`: copies the (gradient, hessian) pairs of `count` rows into row-list order.
 */

import { countedLoop, functionCode, get, i32, mem, OP, set, tee, uleb, VOID_BLOCK, I32, type WasmApi, type WasmMemory, kernelModule, memoryLimits } from '../wasm/assembler.js';

export { webAssemblyApi } from '../wasm/assembler.js';
export type { WasmApi, WasmMemory } from '../wasm/assembler.js';

/** Parameters and locals of each kernel function, by index. */
const COL = 0, ROWS = 1, PAIRS = 2, COUNT = 3, LANES = 4, LANE_BYTES = 5, COUNTS = 6;
const I = 7, END4 = 8, ADDR = 9, LANE1 = 10, LANE2 = 11, LANE3 = 12, ROW_AT = 13, PAIR_AT = 14, BIN = 15;
const NUM_PARAMS = 7;
const NUM_LOCALS = 9;

/** Adds the j-th row of the current group of four to lane `laneLocal` (null: lane 0). */
function addRow(j: number, laneLocal: number | null, wide: boolean): number[] {
  return [
    // BIN = col[rows[i + j]]
    ...get(COL), ...get(ROW_AT), OP.i32Load, ...mem(2, 4 * j), ...(wide ? [...i32(1), OP.i32Shl] : []), OP.i32Add,
    ...(wide ? [OP.i32Load16U, ...mem(1, 0)] : [OP.i32Load8U, ...mem(0, 0)]), ...set(BIN),
    // lanes[lane][BIN] += pairs[i + j], as one f64x2 add
    ...get(LANES), ...(laneLocal === null ? [] : [...get(laneLocal), OP.i32Add]), ...get(BIN), ...i32(4), OP.i32Shl, OP.i32Add, ...tee(ADDR),
    ...get(ADDR), OP.simd, OP.v128Load, ...mem(3, 0), ...get(PAIR_AT), OP.simd, OP.v128Load, ...mem(3, 16 * j),
    OP.simd, ...uleb(OP.f64x2Add), OP.simd, OP.v128Store, ...mem(3, 0),
    // counts[BIN] += 1
    ...get(COUNTS), ...get(BIN), ...i32(2), OP.i32Shl, OP.i32Add, ...tee(ADDR), ...get(ADDR), OP.i32Load, ...mem(2, 0), ...i32(1), OP.i32Add, OP.i32Store, ...mem(2, 0),
  ];
}

/** ROW_AT and PAIR_AT for row I. */
const pointAtRow = (): number[] => [
  ...get(ROWS), ...get(I), ...i32(2), OP.i32Shl, OP.i32Add, ...set(ROW_AT),
  ...get(PAIRS), ...get(I), ...i32(4), OP.i32Shl, OP.i32Add, ...set(PAIR_AT),
];

function functionBody(wide: boolean): number[] {
  const code = [
    ...get(COUNT), ...i32(-4), OP.i32And, ...set(END4),
    ...get(LANE_BYTES), ...set(LANE1),
    ...get(LANE_BYTES), ...i32(2), OP.i32Mul, ...set(LANE2),
    ...get(LANE_BYTES), ...i32(3), OP.i32Mul, ...set(LANE3),
    ...i32(0), ...set(I),
    // Groups of four rows, one per lane.
    ...countedLoop(I, END4, 4, [
      ...pointAtRow(),
      ...addRow(0, null, wide), ...addRow(1, LANE1, wide), ...addRow(2, LANE2, wide), ...addRow(3, LANE3, wide),
    ]),
    // The remaining rows, in lane 0.
    ...countedLoop(I, COUNT, 1, [
      ...pointAtRow(),
      ...addRow(0, null, wide),
    ]),
    OP.end,
  ];
  return functionCode([[NUM_LOCALS, I32]], code);
}

/** Parameters and locals of `merge`, by index. */
const M_LANES = 0, M_LANE_BYTES = 1, M_COUNTS = 2, M_OUT = 3, M_NUM_BINS = 4;
const M_B = 5, M_AT = 6, M_ENTRY = 7;

/** `v128.const 0`. */
const zero128 = (): number[] => [OP.simd, OP.v128Const, ...new Array<number>(16).fill(0)];

/** Loads lane `k` of pair M_AT and zeroes it, leaving the pair on the stack. */
function takeLane(k: number): number[] {
  const at = k === 0 ? get(M_AT) : [...get(M_AT), ...get(M_LANE_BYTES), ...i32(k), OP.i32Mul, OP.i32Add];
  return [
    ...at, OP.simd, OP.v128Load, ...mem(3, 0),
    ...at, ...zero128(), OP.simd, OP.v128Store, ...mem(3, 0),
  ];
}

/**
 * `merge(lanes, laneBytes, counts, out, numBins)`: for each bin, writes ((lane0 + lane1) + lane2) + lane3 of the
 * (gradient, hessian) pair (lane 0 alone when laneBytes is 0) and the count, as doubles, to the 3-double entry of
 * `out`, and zeroes what it read, so lanes and counts are all zero between builds.
 */
function mergeBody(): number[] {
  const code = [
    ...i32(0), ...set(M_B),
    ...countedLoop(M_B, M_NUM_BINS, 1, [
      ...get(M_LANES), ...get(M_B), ...i32(4), OP.i32Shl, OP.i32Add, ...set(M_AT),
      // out + 24·b: the pair, then the count.
      ...get(M_OUT), ...get(M_B), ...i32(24), OP.i32Mul, OP.i32Add, ...set(M_ENTRY),
      ...get(M_ENTRY),
      ...takeLane(0),
      OP.simd, OP.v128Store, ...mem(3, 0),
      ...get(M_LANE_BYTES), OP.i32Eqz, OP.i32Eqz, OP.if, VOID_BLOCK,
      ...get(M_ENTRY), ...get(M_ENTRY), OP.simd, OP.v128Load, ...mem(3, 0),
      ...takeLane(1), OP.simd, ...uleb(OP.f64x2Add),
      ...takeLane(2), OP.simd, ...uleb(OP.f64x2Add),
      ...takeLane(3), OP.simd, ...uleb(OP.f64x2Add),
      OP.simd, OP.v128Store, ...mem(3, 0),
      OP.end,
      ...get(M_ENTRY),
      ...get(M_COUNTS), ...get(M_B), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), OP.f64ConvertI32S,
      OP.f64Store, ...mem(3, 16),
      ...get(M_COUNTS), ...get(M_B), ...i32(2), OP.i32Shl, OP.i32Add, ...i32(0), OP.i32Store, ...mem(2, 0),
    ]),
    OP.end,
  ];
  return functionCode([[3, I32]], code);
}

/** Parameters and locals of `partitionNarrow`/`partitionWide`, by index. */
const P_COL = 0, P_IDX = 1, P_COUNT = 2, P_RIGHT = 3, P_TABLE = 4;
const P_I = 5, P_LEFT = 6, P_RIGHT_COUNT = 7, P_ROW = 8, P_GO = 9;

/**
 * `partition(col, idx, count, right, table) → left count`: stable partition of the `count` Int32 rows at `idx` by
 * `table[bin]` (1 = left): left rows are compacted at `idx`, right rows written to `right`, both in their order.
 * Branch-free, since where a row goes is data-dependent.
 */
function partitionBody(wide: boolean): number[] {
  const code = [
    ...countedLoop(P_I, P_COUNT, 1, [
      ...get(P_IDX), ...get(P_I), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...set(P_ROW),
      ...get(P_TABLE),
      ...get(P_COL), ...get(P_ROW), ...(wide ? [...i32(1), OP.i32Shl] : []), OP.i32Add,
      ...(wide ? [OP.i32Load16U, ...mem(1, 0)] : [OP.i32Load8U, ...mem(0, 0)]),
      OP.i32Add, OP.i32Load8U, ...mem(0, 0), ...set(P_GO),
      ...get(P_IDX), ...get(P_LEFT), ...i32(2), OP.i32Shl, OP.i32Add, ...get(P_ROW), OP.i32Store, ...mem(2, 0),
      ...get(P_RIGHT), ...get(P_RIGHT_COUNT), ...i32(2), OP.i32Shl, OP.i32Add, ...get(P_ROW), OP.i32Store, ...mem(2, 0),
      ...get(P_LEFT), ...get(P_GO), OP.i32Add, ...set(P_LEFT),
      ...get(P_RIGHT_COUNT), ...get(P_GO), ...i32(1), OP.i32Xor, OP.i32Add, ...set(P_RIGHT_COUNT),
    ]),
    ...get(P_LEFT),
    OP.end,
  ];
  return functionCode([[5, I32]], code);
}

/** Parameters and locals of `sparse`, by index. */
const S_ROW_START = 0, S_ENTRIES = 1, S_ROWS = 2, S_PAIRS = 3, S_COUNT = 4, S_OUT = 5;
const S_I = 6, S_ROW = 7, S_E = 8, S_END = 9, S_ADDR = 10, S_PAIR = 11;
/** Value type v128. */
const V128 = 0x7b;
/** `f64.const 1`. */
const F64_ONE = [OP.f64Const, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];

/**
 * `sparse(rowStart, entries, rows, pairs, count, out)`: for each of the `count` Int32 rows at `rows`, in order, adds
 * its (gradient, hessian) pair (16 bytes each at `pairs`, in row-list order) and 1 to the 3-double entry of every bin
 * the row lists: Uint16 bins `entries[rowStart[row] .. rowStart[row+1])` (Int32 rowStart), relative to `out`.
 */
function sparseBody(): number[] {
  const code = [
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(S_I), ...get(S_COUNT), OP.i32GeS, OP.brIf, 1,
    // row = rows[i]; e .. end = the row's entries as byte addresses; pair = pairs[i]
    ...get(S_ROWS), ...get(S_I), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...set(S_ROW),
    ...get(S_ROW_START), ...get(S_ROW), ...i32(2), OP.i32Shl, OP.i32Add, ...tee(S_ADDR), OP.i32Load, ...mem(2, 0),
    ...i32(1), OP.i32Shl, ...get(S_ENTRIES), OP.i32Add, ...set(S_E),
    ...get(S_ADDR), OP.i32Load, ...mem(2, 4), ...i32(1), OP.i32Shl, ...get(S_ENTRIES), OP.i32Add, ...set(S_END),
    ...get(S_PAIRS), ...get(S_I), ...i32(4), OP.i32Shl, OP.i32Add, OP.simd, OP.v128Load, ...mem(3, 0), ...set(S_PAIR),
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(S_E), ...get(S_END), OP.i32GeS, OP.brIf, 1,
    // addr = out + 24 · entries[e]
    ...get(S_OUT), ...get(S_E), OP.i32Load16U, ...mem(1, 0), ...i32(24), OP.i32Mul, OP.i32Add, ...tee(S_ADDR),
    ...get(S_ADDR), OP.simd, OP.v128Load, ...mem(3, 0), ...get(S_PAIR), OP.simd, ...uleb(OP.f64x2Add), OP.simd, OP.v128Store, ...mem(3, 0),
    ...get(S_ADDR), ...get(S_ADDR), OP.f64Load, ...mem(3, 16), ...F64_ONE, OP.f64Add, OP.f64Store, ...mem(3, 16),
    ...get(S_E), ...i32(2), OP.i32Add, ...set(S_E), OP.br, 0,
    OP.end, OP.end,
    ...get(S_I), ...i32(1), OP.i32Add, ...set(S_I), OP.br, 0,
    OP.end, OP.end,
    OP.end,
  ];
  return functionCode([[5, I32], [1, V128]], code);
}

/** Parameters and locals of `sparseInOrder`, by index. */
const Q_ENTRY_ROWS = 0, Q_ENTRIES = 1, Q_FROM = 2, Q_TO = 3, Q_PAIRS = 4, Q_OUT = 5, Q_E = 6, Q_ADDR = 7;

/**
 * `sparseInOrder(entryRows, entries, from, to, pairs, out)`: for each entry e of `from .. to` (indices into the
 * group's Uint16 `entries` and Int32 `entryRows`, the row each entry belongs to), adds row entryRows[e]'s pair (16
 * bytes each at `pairs`, by row) and 1 to the 3-double entry of bin entries[e], relative to `out`. When the entries
 * are those of consecutive rows, that is what `sparse` adds, in the same order, without a loop per row: the
 * per-row loop's exit, after a varying few entries, is a branch the processor mostly mispredicts.
 */
function sparseInOrderBody(): number[] {
  const code = [
    ...get(Q_FROM), ...set(Q_E),
    ...countedLoop(Q_E, Q_TO, 1, [
      // addr = out + 24 · entries[e]
      ...get(Q_OUT), ...get(Q_ENTRIES), ...get(Q_E), ...i32(1), OP.i32Shl, OP.i32Add, OP.i32Load16U, ...mem(1, 0), ...i32(24), OP.i32Mul, OP.i32Add, ...tee(Q_ADDR),
      ...get(Q_ADDR), OP.simd, OP.v128Load, ...mem(3, 0),
      // + pairs[entryRows[e]]
      ...get(Q_PAIRS), ...get(Q_ENTRY_ROWS), ...get(Q_E), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...i32(4), OP.i32Shl, OP.i32Add, OP.simd, OP.v128Load, ...mem(3, 0),
      OP.simd, ...uleb(OP.f64x2Add), OP.simd, OP.v128Store, ...mem(3, 0),
      ...get(Q_ADDR), ...get(Q_ADDR), OP.f64Load, ...mem(3, 16), ...F64_ONE, OP.f64Add, OP.f64Store, ...mem(3, 16),
    ]),
    OP.end,
  ];
  return functionCode([[2, I32]], code);
}

/** Parameters and locals of `gather`, by index. */
const G_ROWS = 0, G_COUNT = 1, G_ALL = 2, G_PAIRS = 3, G_I = 4;

/** `gather(rows, count, all, pairs)`: pairs[i] = all[rows[i]] for the `count` Int32 rows, 16-byte pairs. */
function gatherBody(): number[] {
  const code = [
    ...countedLoop(G_I, G_COUNT, 1, [
      ...get(G_PAIRS), ...get(G_I), ...i32(4), OP.i32Shl, OP.i32Add,
      ...get(G_ALL), ...get(G_ROWS), ...get(G_I), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...i32(4), OP.i32Shl, OP.i32Add,
      OP.simd, OP.v128Load, ...mem(3, 0), OP.simd, OP.v128Store, ...mem(3, 0),
    ]),
    OP.end,
  ];
  return functionCode([[1, I32]], code);
}

/** The module's bytes; it imports `env.memory`, a shared memory of at most `maxPages` 64 KiB pages. */
export function histogramKernelBytes(maxPages: number): Uint8Array {
  const i32s = (count: number): number[] => new Array<number>(count).fill(I32);
  return kernelModule(memoryLimits(1, maxPages), [
    { name: 'narrow', params: i32s(NUM_PARAMS), results: [], code: functionBody(false) },
    { name: 'wide', params: i32s(NUM_PARAMS), results: [], code: functionBody(true) },
    { name: 'merge', params: i32s(5), results: [], code: mergeBody() },
    { name: 'partitionNarrow', params: i32s(5), results: [I32], code: partitionBody(false) },
    { name: 'partitionWide', params: i32s(5), results: [I32], code: partitionBody(true) },
    { name: 'sparse', params: i32s(6), results: [], code: sparseBody() },
    { name: 'gather', params: i32s(4), results: [], code: gatherBody() },
    { name: 'sparseInOrder', params: i32s(6), results: [], code: sparseInOrderBody() },
  ]);
}

/** The kernel functions bound to one memory. */
export interface HistogramKernel {
  readonly narrow: (col: number, rows: number, pairs: number, count: number, lanes: number, laneBytes: number, counts: number) => void;
  readonly wide: (col: number, rows: number, pairs: number, count: number, lanes: number, laneBytes: number, counts: number) => void;
  readonly merge: (lanes: number, laneBytes: number, counts: number, out: number, numBins: number) => void;
  readonly partitionNarrow: (col: number, idx: number, count: number, right: number, table: number) => number;
  readonly partitionWide: (col: number, idx: number, count: number, right: number, table: number) => number;
  readonly sparse: (rowStart: number, entries: number, rows: number, pairs: number, count: number, out: number) => void;
  readonly gather: (rows: number, count: number, all: number, pairs: number) => void;
  readonly sparseInOrder: (entryRows: number, entries: number, from: number, to: number, pairs: number, out: number) => void;
}

/** Compiles and instantiates the kernel over `memory` (shared, created with maximum `maxPages`). */
export function instantiateHistogramKernel(wasm: WasmApi, memory: WasmMemory, maxPages: number): HistogramKernel {
  const exports = new wasm.Instance(new wasm.Module(histogramKernelBytes(maxPages)), { env: { memory } }).exports;
  return exports as unknown as HistogramKernel;
}
