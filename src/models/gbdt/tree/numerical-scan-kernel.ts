import { F64, get, I32, i32, mem, OP, set, uleb, vec, VOID_BLOCK, type WasmApi, type WasmMemory, kernelModule, memoryLimits } from '../wasm/assembler.js';

/**
 * The threshold scan of findNumericalSplit as WebAssembly, for the common case (no monotone constraints, no
 * max_delta_step) and histograms that live in the shared histogram workspace. V8 runs the JavaScript scan at about
 * 9 ns per bin; most of that is loop and bounds-check overhead around two divisions. The kernel does the same IEEE
 * operations in the same order (sums, the L1-thresholded G²/(H + λ2) of each side, left plus right), with the same
 * skip and stop rules, so it finds the same split with the same bits.
 *
 * `scan(hist, from, to, step, sumG, sumH, count, minData, minHess, l1, l2, shift, out) → found`: walks bins t = from,
 * from+step, … while t has not passed `to` (step −1: rows in bins ≥ t go right, threshold t−1; step +1: bins ≤ t go
 * left, threshold t), accumulating the walked side from the 3-double entries at byte `hist`. A threshold is skipped
 * while the walked side has fewer than minData rows or less than minHess hessian, and the walk stops once the other
 * side does. Returns 1 when some gain exceeded `shift`, and writes the largest such gain (first on ties), the left
 * side's gradient, hessian and count as doubles at byte `out`, and the threshold as an Int32 at `out + 32`.
 */

const HIST = 0, FROM = 1, TO = 2, STEP = 3, SUM_G = 4, SUM_H = 5, COUNT = 6, MIN_DATA = 7, MIN_HESS = 8, L1 = 9, L2 = 10, SHIFT = 11, OUT = 12;
const T = 13, AT = 14, FOUND = 15, BEST_T = 16;
const AG = 17, AH = 18, AC = 19, OG = 20, OH = 21, OC = 22, GAIN = 23, BEST = 24, B_LG = 25, B_LH = 26, B_LC = 27, D = 28, S = 29, Q = 30;
/** Result bytes at `out`. */
export const SCAN_RESULT_BYTES = 40;

const F64_OPS = { sub: 0xa1, mul: 0xa2, div: 0xa3, abs: 0x99, neg: 0x9a, lt: 0x63, le: 0x65, gt: 0x64 } as const;
const I32_OR = 0x72, I32_GT_S = 0x4a, I32_LT_S = 0x48;

function f64(value: number): number[] {
  const bytes = new Uint8Array(new Float64Array([value]).buffer);
  return [OP.f64Const, ...bytes];
}

/** Pushes thresholdL1(g)² / (h + l2), or 0 when h + l2 is not positive (leafGain without max_delta_step). */
function plainGain(g: number, h: number): number[] {
  return [
    ...get(h), ...get(L2), OP.f64Add, ...set(D),
    ...get(g), F64_OPS.abs, ...get(L1), F64_OPS.sub, ...set(S),
    ...get(S), ...get(S), F64_OPS.neg, ...get(g), ...f64(0), F64_OPS.gt, OP.select,
    ...f64(0), ...get(S), ...f64(0), F64_OPS.gt, OP.select, ...set(Q),
    ...get(Q), ...get(Q), F64_OPS.mul, ...get(D), F64_OPS.div, ...f64(0), ...get(D), ...f64(0), F64_OPS.gt, OP.select,
  ];
}

/** The walked side is the right one when step < 0; `left`/`right` name the (g, h) locals for the gain. */
function scanBody(): number[] {
  const ifRightward = (a: number[], b: number[]): number[] => [...get(STEP), ...i32(0), I32_LT_S, OP.if, VOID_BLOCK, ...a, OP.else, ...b, OP.end];
  const code = [
    ...f64(Number.NEGATIVE_INFINITY), ...set(BEST),
    ...get(FROM), ...set(T),
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    // Past `to`: (t − to)·step > 0.
    ...get(T), ...get(TO), 0x6b, ...get(STEP), OP.i32Mul, ...i32(0), I32_GT_S, OP.brIf, 1,
    ...get(HIST), ...get(T), ...i32(24), OP.i32Mul, OP.i32Add, ...set(AT),
    ...get(AG), ...get(AT), OP.f64Load, ...mem(3, 0), OP.f64Add, ...set(AG),
    ...get(AH), ...get(AT), OP.f64Load, ...mem(3, 8), OP.f64Add, ...set(AH),
    ...get(AC), ...get(AT), OP.f64Load, ...mem(3, 16), OP.f64Add, ...set(AC),
    OP.block, VOID_BLOCK,
    ...get(AC), ...get(MIN_DATA), F64_OPS.lt, ...get(AH), ...get(MIN_HESS), F64_OPS.lt, I32_OR, OP.brIf, 0,
    ...get(COUNT), ...get(AC), F64_OPS.sub, ...set(OC), ...get(OC), ...get(MIN_DATA), F64_OPS.lt, OP.brIf, 2,
    ...get(SUM_H), ...get(AH), F64_OPS.sub, ...set(OH), ...get(OH), ...get(MIN_HESS), F64_OPS.lt, OP.brIf, 2,
    ...get(SUM_G), ...get(AG), F64_OPS.sub, ...set(OG),
    // gain = plainGain(left) + plainGain(right)
    ...ifRightward(
      [...plainGain(OG, OH), ...plainGain(AG, AH), OP.f64Add, ...set(GAIN)],
      [...plainGain(AG, AH), ...plainGain(OG, OH), OP.f64Add, ...set(GAIN)],
    ),
    ...get(GAIN), ...get(SHIFT), F64_OPS.le, OP.brIf, 0,
    ...i32(1), ...set(FOUND),
    ...get(GAIN), ...get(BEST), F64_OPS.gt, OP.if, VOID_BLOCK,
    ...get(GAIN), ...set(BEST),
    ...ifRightward(
      [...get(OG), ...set(B_LG), ...get(OH), ...set(B_LH), ...get(OC), ...set(B_LC), ...get(T), ...i32(-1), OP.i32Add, ...set(BEST_T)],
      [...get(AG), ...set(B_LG), ...get(AH), ...set(B_LH), ...get(AC), ...set(B_LC), ...get(T), ...set(BEST_T)],
    ),
    OP.end,
    OP.end,
    ...get(T), ...get(STEP), OP.i32Add, ...set(T), OP.br, 0,
    OP.end, OP.end,
    ...get(OUT), ...get(BEST), OP.f64Store, ...mem(3, 0),
    ...get(OUT), ...get(B_LG), OP.f64Store, ...mem(3, 8),
    ...get(OUT), ...get(B_LH), OP.f64Store, ...mem(3, 16),
    ...get(OUT), ...get(B_LC), OP.f64Store, ...mem(3, 24),
    ...get(OUT), ...get(BEST_T), OP.i32Store, ...mem(2, 32),
    ...get(FOUND),
    OP.end,
  ];
  const body = [...vec([[...uleb(4), I32], [...uleb(14), F64]]), ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes; it imports `env.memory`, a shared memory of at most `maxPages` pages. */
export function numericalScanKernelBytes(maxPages: number): Uint8Array {
  const params = [I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, I32];
  return kernelModule(memoryLimits(1, maxPages), [{ name: 'scan', params, results: [I32], code: scanBody() }]);
}

/** Runs the scan kernel over histograms in one shared memory; results are read back from `resultAt`. */
export class NumericalScan {
  /** The memory's buffer: a histogram can be scanned here when it is a view of this buffer. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly #scan: (...args: number[]) => number;
  readonly #resultAt: number;
  readonly #result: Float64Array;
  readonly #threshold: Int32Array;

  /** @param resultAt byte address of SCAN_RESULT_BYTES bytes (8-aligned) this object may overwrite */
  constructor(wasm: WasmApi, memory: WasmMemory, maxPages: number, resultAt: number) {
    const exports = new wasm.Instance(new wasm.Module(numericalScanKernelBytes(maxPages)), { env: { memory } }).exports;
    this.#scan = exports.scan as (...args: number[]) => number;
    this.buffer = memory.buffer;
    this.#resultAt = resultAt;
    this.#result = new Float64Array(memory.buffer, resultAt, 4);
    this.#threshold = new Int32Array(memory.buffer, resultAt + 32, 1);
  }

  /** See the module comment; `histAt` is the byte address of the feature's bin 0. True when a gain exceeded `shift`. */
  scan(histAt: number, from: number, to: number, step: number, sumG: number, sumH: number, count: number, minData: number, minHess: number, l1: number, l2: number, shift: number): boolean {
    return this.#scan(histAt, from, to, step, sumG, sumH, count, minData, minHess, l1, l2, shift, this.#resultAt) === 1;
  }

  get bestGain(): number { return this.#result[0]; }
  get leftG(): number { return this.#result[1]; }
  get leftH(): number { return this.#result[2]; }
  get leftCount(): number { return this.#result[3]; }
  get threshold(): number { return this.#threshold[0]; }
}
