import type { BinColumn } from '../binning/binned-dataset.js';
import { HISTOGRAM_LANES, type HistogramColumns } from './build-histogram.js';
import { HIST_STRIDE } from './histogram-layout.js';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS } from './histogram-control.js';
import { instantiateHistogramKernel, webAssemblyApi, type HistogramKernel, type WasmApi, type WasmMemory } from './histogram-kernel-module.js';

const PAGE = 65536;
/** Above this the workspace is not built and the learner uses buildHistogram (2 GiB: V8's safe limit for one memory). */
const MAX_BYTES = 2 ** 31;
/** A feature's rows are spread over lanes only when it has at least this many rows per bin (as buildHistogram). */
const ROWS_PER_BIN_FOR_LANES = 4;

/** Where everything lives in the shared memory; plain data, so it can be sent to worker threads. */
export interface HistogramWorkspaceLayout {
  readonly memory: WasmMemory;
  readonly pages: number;
  readonly numRows: number;
  readonly totalBins: number;
  readonly maxLeaves: number;
  /** Per feature: byte address of its bins, -1 for unused features. */
  readonly colAt: Int32Array;
  /** Per feature: 1 when its bins take 2 bytes. */
  readonly wide: Uint8Array;
  readonly numBins: Int32Array;
  readonly histOffsets: Int32Array;
  readonly controlAt: number;
  readonly featuresAt: number;
  /** The learner's row partition (DataPartition.indices), and the right-hand rows while a leaf is split. */
  readonly indicesAt: number;
  readonly rightAt: number;
  /** Per bin of the feature being split: 1 when its rows go left. */
  readonly tableAt: number;
  readonly maxBins: number;
  readonly pairsAt: number;
  readonly lanesAt: number;
  readonly countsAt: number;
  readonly histogramsAt: number;
}

/**
 * The histogram builder's working memory: one shared WebAssembly memory holding the binned columns (copied once
 * per training), the learner's row partition, the (gradient, hessian) pairs of the leaf being built, the accumulation lanes and
 * counts, a control block for worker threads, and every leaf histogram buffer of the tree. Worker threads open the
 * same memory from `layout` and build disjoint feature ranges into the same buffers; a feature's bits never depend
 * on which thread built it.
 */
export class HistogramWorkspace {
  readonly layout: HistogramWorkspaceLayout;
  /** Per thread, CONTROL_SLOTS Int32 slots (see HistogramThreads). */
  readonly control: Int32Array;
  /** The features to build, written by the learner before each build. */
  readonly features: Int32Array;
  /** The row partition's indices (numRows entries), for DataPartition. */
  readonly indices: Int32Array;
  /** Per bin: 1 when the split being applied sends its rows left; set by the caller before partition(). */
  readonly partitionTable: Uint8Array;
  readonly #kernel: HistogramKernel;
  readonly #right: Int32Array;
  readonly #pairs: Float64Array;
  readonly #laneDoubles: number;
  readonly #histograms: Float64Array[] = [];

  private constructor(layout: HistogramWorkspaceLayout, wasm: WasmApi) {
    this.layout = layout;
    const buffer = layout.memory.buffer;
    const n = layout.numRows;
    this.control = new Int32Array(buffer, layout.controlAt, CONTROL_SLOTS * MAX_HISTOGRAM_THREADS);
    this.features = new Int32Array(buffer, layout.featuresAt, layout.numBins.length);
    this.indices = new Int32Array(buffer, layout.indicesAt, n);
    this.#right = new Int32Array(buffer, layout.rightAt, n);
    this.partitionTable = new Uint8Array(buffer, layout.tableAt, layout.maxBins);
    this.#pairs = new Float64Array(buffer, layout.pairsAt, 2 * n);
    this.#laneDoubles = 2 * layout.totalBins;
    this.#kernel = instantiateHistogramKernel(wasm, layout.memory, layout.pages);
    const length = HIST_STRIDE * layout.totalBins;
    for (let id = 0; id < layout.maxLeaves; id++) this.#histograms.push(new Float64Array(buffer, layout.histogramsAt + 8 * length * id, length));
  }

  /**
   * Lays out and fills a workspace for `columns` (features `used`) with `maxLeaves` histogram buffers; null when
   * WebAssembly is unavailable or the data would not fit in one memory.
   */
  static create(columns: HistogramColumns, used: Int32Array, numRows: number, maxLeaves: number): HistogramWorkspace | null {
    const wasm = webAssemblyApi();
    if (wasm === null) return null;
    const numFeatures = columns.numBins.length;
    let at = 0;
    const take = (bytes: number): number => {
      const start = at;
      at = start + Math.ceil(bytes / 16) * 16;
      return start;
    };
    const controlAt = take(4 * CONTROL_SLOTS * MAX_HISTOGRAM_THREADS);
    const featuresAt = take(4 * numFeatures);
    const colAt = new Int32Array(numFeatures).fill(-1);
    const wide = new Uint8Array(numFeatures);
    for (const f of used) {
      wide[f] = columns.bins[f].BYTES_PER_ELEMENT === 2 ? 1 : 0;
      colAt[f] = take(columns.bins[f].BYTES_PER_ELEMENT * numRows);
    }
    const indicesAt = take(4 * numRows);
    const rightAt = take(4 * numRows);
    let maxBins = 1;
    for (const f of used) maxBins = Math.max(maxBins, columns.numBins[f]);
    const tableAt = take(maxBins);
    const pairsAt = take(16 * numRows);
    const lanesAt = take(16 * HISTOGRAM_LANES * columns.totalBins);
    const countsAt = take(4 * columns.totalBins);
    const histogramsAt = take(8 * HIST_STRIDE * columns.totalBins * maxLeaves);
    if (at > MAX_BYTES) return null;
    const pages = Math.max(1, Math.ceil(at / PAGE));
    const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
    for (const f of used) {
      const col: BinColumn = columns.bins[f];
      new Uint8Array(memory.buffer, colAt[f], col.byteLength).set(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
    }
    return new HistogramWorkspace({
      memory, pages, numRows, totalBins: columns.totalBins, maxLeaves, colAt, wide,
      numBins: columns.numBins, histOffsets: columns.histOffsets,
      controlAt, featuresAt, indicesAt, rightAt, tableAt, maxBins, pairsAt, lanesAt, countsAt, histogramsAt,
    }, wasm);
  }

  /** Opens a workspace another thread created; null when this thread has no WebAssembly. */
  static open(layout: HistogramWorkspaceLayout): HistogramWorkspace | null {
    const wasm = webAssemblyApi();
    return wasm === null ? null : new HistogramWorkspace(layout, wasm);
  }

  /** Histogram buffer `id` (< maxLeaves): a view of histogramLength(totalBins) doubles in the shared memory. */
  histogram(id: number): Float64Array {
    return this.#histograms[id];
  }

  /** Copies the gradients and hessians of the partition's rows `indices[begin .. begin+count)`, in that order. */
  gather(begin: number, count: number, grad: Float64Array, hess: Float64Array): void {
    const indices = this.indices;
    const pairs = this.#pairs;
    for (let i = 0; i < count; i++) {
      const r = indices[begin + i];
      pairs[2 * i] = grad[r];
      pairs[2 * i + 1] = hess[r];
    }
  }

  /**
   * Stably partitions the rows `indices[begin .. begin+count)` by feature `f`'s bin through `partitionTable`: rows
   * whose bin maps to 1 first, then the rest, each in their order. Returns how many went first (left).
   */
  partition(f: number, begin: number, count: number): number {
    const layout = this.layout;
    const split = layout.wide[f] === 1 ? this.#kernel.partitionWide : this.#kernel.partitionNarrow;
    const left = split(layout.colAt[f], layout.indicesAt + 4 * begin, count, layout.rightAt, layout.tableAt);
    this.indices.set(this.#right.subarray(0, count - left), begin + left);
    return left;
  }

  /**
   * Builds the histograms of `features[from .. to)` over the rows `indices[begin .. begin+count)`, whose gradients
   * were gathered, into histogram buffer `outId`, with the same sums, in the same order, as buildHistogram. After a
   * build that threw (a trap), the lanes are not clean and the workspace must not be used again.
   */
  build(from: number, to: number, begin: number, count: number, outId: number): void {
    const layout = this.layout;
    const outAt = this.#histograms[outId].byteOffset;
    const laneBytes = 8 * this.#laneDoubles;
    for (let k = from; k < to; k++) {
      const f = this.features[k];
      const offset = layout.histOffsets[f];
      const numBins = layout.numBins[f];
      // Lanes and counts are zero here: the memory starts zeroed and merge zeroes what it reads.
      const spread = count >= numBins * ROWS_PER_BIN_FOR_LANES ? laneBytes : 0;
      const accumulate = layout.wide[f] === 1 ? this.#kernel.wide : this.#kernel.narrow;
      const lanesAt = layout.lanesAt + 16 * offset;
      accumulate(layout.colAt[f], layout.indicesAt + 4 * begin, layout.pairsAt, count, lanesAt, spread, layout.countsAt + 4 * offset);
      this.#kernel.merge(lanesAt, spread, layout.countsAt + 4 * offset, outAt + 8 * HIST_STRIDE * offset, numBins);
    }
  }
}
