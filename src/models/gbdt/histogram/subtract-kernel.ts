import { get, i32, mem, OP, set, uleb, vec, VOID_BLOCK, I32, type WasmApi, type WasmMemory, kernelModule, memoryLimits } from '../wasm/assembler.js';
import { HIST_STRIDE } from './histogram-layout.js';
import { subtractHistogram } from './subtract-histogram.js';

/** Parameters of `subtract(parent, smaller, end)`, by index: byte addresses in the shared memory. */
const PARENT = 0, SMALLER = 1, END = 2;
const F64X2_SUB = 0xf1;
const F64_SUB = 0xa1;
const I32_LE_S = 0x4c;

/**
 * `subtract(parent, smaller, end)`: `parent[i] -= smaller[i]` for the doubles from byte address `parent` up to `end`,
 * two at a time with one f64x2 subtraction, then a last single double. Each element is one IEEE subtraction, as in
 * subtractHistogram, so the bits are the same; the kernel only drops V8's bounds checks and loop overhead.
 */
function subtractBody(): number[] {
  const code = [
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    // while parent + 16 <= end
    ...get(PARENT), ...i32(16), OP.i32Add, ...get(END), I32_LE_S, OP.i32Eqz, OP.brIf, 1,
    ...get(PARENT),
    ...get(PARENT), OP.simd, OP.v128Load, ...mem(3, 0), ...get(SMALLER), OP.simd, OP.v128Load, ...mem(3, 0),
    OP.simd, ...uleb(F64X2_SUB), OP.simd, OP.v128Store, ...mem(3, 0),
    ...get(PARENT), ...i32(16), OP.i32Add, ...set(PARENT),
    ...get(SMALLER), ...i32(16), OP.i32Add, ...set(SMALLER),
    OP.br, 0,
    OP.end, OP.end,
    // One double left when the count is odd.
    ...get(PARENT), ...get(END), OP.i32LtS, OP.if, VOID_BLOCK,
    ...get(PARENT), ...get(PARENT), OP.f64Load, ...mem(3, 0), ...get(SMALLER), OP.f64Load, ...mem(3, 0), F64_SUB, OP.f64Store, ...mem(3, 0),
    OP.end,
    OP.end,
  ];
  const body = [...vec([]), ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes; it imports `env.memory`, a shared memory of at most `maxPages` 64 KiB pages. */
export function subtractKernelBytes(maxPages: number): Uint8Array {
  return kernelModule(memoryLimits(1, maxPages), [{ name: 'subtract', params: [I32, I32, I32], results: [], code: subtractBody() }]);
}

/**
 * Histogram subtraction (`larger = parent − smaller`, in place) in WebAssembly, for histograms that are views of the
 * workspace's shared memory; other arrays fall back to subtractHistogram. Same bits either way.
 */
export class HistogramSubtractor {
  readonly #buffer: ArrayBuffer | SharedArrayBuffer;
  readonly #subtract: (parent: number, smaller: number, end: number) => void;

  constructor(wasm: WasmApi, memory: WasmMemory, maxPages: number) {
    const exports = new wasm.Instance(new wasm.Module(subtractKernelBytes(maxPages)), { env: { memory } }).exports;
    this.#subtract = exports.subtract as (parent: number, smaller: number, end: number) => void;
    this.#buffer = memory.buffer;
  }

  /** `parent -= smaller` over the `numBins` bins starting at bin `offset`. */
  subtract(parent: Float64Array, smaller: Float64Array, offset: number, numBins: number): void {
    if (parent.buffer !== this.#buffer || smaller.buffer !== this.#buffer) {
      subtractHistogram(parent, smaller, offset, numBins);
      return;
    }
    const start = offset * HIST_STRIDE * 8;
    const bytes = numBins * HIST_STRIDE * 8;
    this.#subtract(parent.byteOffset + start, smaller.byteOffset + start, parent.byteOffset + start + bytes);
  }
}
