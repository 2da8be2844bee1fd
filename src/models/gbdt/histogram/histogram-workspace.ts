import type { HistogramColumns } from './build-histogram.js';
import { HIST_STRIDE } from './histogram-layout.js';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS } from './histogram-control.js';
import { instantiateHistogramKernel, webAssemblyApi, type HistogramKernel, type WasmApi } from './histogram-kernel-module.js';
import type { SparsePlan } from './sparse-rows.js';
import { DENSE_MIN_WANTED_SHARE, type DensePlan } from './dense-rows.js';
import { instantiateDenseKernels, type DenseKernel } from './dense-kernel-module.js';
import { layOutWorkspace, SCAN_SCRATCH_BYTES, type HistogramWorkspaceLayout } from './workspace-layout.js';

/** A feature's rows are spread over lanes only when it has at least this many rows per bin (as buildHistogram). */
const ROWS_PER_BIN_FOR_LANES = 4;

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
  /**
   * The build units, written by setUnits (or directly) before each build: a feature `f` ≥ 0 is built column by
   * column; `-1 - g` is row-wise group g, which builds all its features in one pass.
   */
  readonly units: Int32Array;
  /** The row partition's indices (numRows entries), for DataPartition. */
  readonly indices: Int32Array;
  /** Per bin: 1 when the split being applied sends its rows left; set by the caller before partition(). */
  readonly partitionTable: Uint8Array;
  /** The sums of the gradients and of the hessians loadGradients loaded, in row order. */
  readonly loadedTotals = new Float64Array(2);
  readonly #kernel: HistogramKernel;
  readonly #dense: { all: DenseKernel; mixed: DenseKernel }[];
  readonly #numSparse: number;
  readonly #right: Int32Array;
  readonly #allPairs: Float64Array;
  readonly #groupWanted: Int32Array;
  readonly #laneDoubles: number;
  readonly #histograms: Float64Array[] = [];
  /** Per row-wise group: its row starts (layout.groupRowStartAt). */
  readonly #rowStarts: Int32Array[];

  private constructor(layout: HistogramWorkspaceLayout, wasm: WasmApi) {
    this.layout = layout;
    const buffer = layout.memory.buffer;
    const n = layout.numRows;
    this.control = new Int32Array(buffer, layout.controlAt, CONTROL_SLOTS * MAX_HISTOGRAM_THREADS);
    this.#numSparse = layout.groupBase.length;
    const numDense = layout.denseStart.length - 1;
    const numGroups = this.#numSparse + numDense;
    this.units = new Int32Array(buffer, layout.unitsAt, layout.numBins.length + numGroups);
    this.indices = new Int32Array(buffer, layout.indicesAt, n);
    this.#right = new Int32Array(buffer, layout.rightAt, n);
    this.partitionTable = new Uint8Array(buffer, layout.tableAt, layout.maxBins);
    this.#allPairs = new Float64Array(buffer, layout.allPairsAt, 2 * n);
    this.#groupWanted = new Int32Array(numGroups);
    this.#rowStarts = Array.from(layout.groupRowStartAt, (at) => new Int32Array(buffer, at, n + 1));
    this.#laneDoubles = 2 * layout.totalBins;
    this.#kernel = instantiateHistogramKernel(wasm, layout.memory, layout.pages);
    const denseGroups = Array.from({ length: numDense }, (_, d) => ({
      stride: layout.denseFeatures.length,
      column: layout.denseStart[d],
      histOffsets: Array.from(layout.denseFeatures.subarray(layout.denseStart[d], layout.denseStart[d + 1]), (f) => layout.histOffsets[f]),
    }));
    this.#dense = instantiateDenseKernels(wasm, layout.memory, layout.pages, denseGroups);
    const length = HIST_STRIDE * layout.totalBins;
    for (let id = 0; id < layout.maxLeaves; id++) this.#histograms.push(new Float64Array(buffer, layout.histogramsAt + 8 * length * id, length));
  }

  /**
   * Lays out and fills a workspace for `columns` (features `used`) with `maxLeaves` histogram buffers, and the
   * row-wise groups of `plan` and the dense groups of `densePlan` when given (layOutWorkspace); null when WebAssembly
   * is unavailable or the data would not fit in one memory.
   */
  static create(columns: HistogramColumns, used: Int32Array, numRows: number, maxLeaves: number, plan: SparsePlan | null = null, densePlan: DensePlan | null = null): HistogramWorkspace | null {
    const wasm = webAssemblyApi();
    if (wasm === null) return null;
    const layout = layOutWorkspace(wasm, columns, used, numRows, maxLeaves, plan, densePlan);
    return layout === null ? null : new HistogramWorkspace(layout, wasm);
  }

  /** Opens a workspace another thread created; null when this thread has no WebAssembly. */
  static open(layout: HistogramWorkspaceLayout): HistogramWorkspace | null {
    const wasm = webAssemblyApi();
    return wasm === null ? null : new HistogramWorkspace(layout, wasm);
  }

  /** The byte address of control slot `slot`'s NumericalScan results. */
  scanScratch(slot: number): number {
    return this.layout.scanScratchAt + SCAN_SCRATCH_BYTES * slot;
  }

  /** Histogram buffer `id` (< maxLeaves): a view of histogramLength(totalBins) doubles in the shared memory. */
  histogram(id: number): Float64Array {
    return this.#histograms[id];
  }

  /**
   * Writes the units that build the first `n` features of `features` into `units` and returns their count: each
   * sparse group that holds at least one of them (a group builds all its features; the extra ones are harmless),
   * each dense group of which at least DENSE_MIN_WANTED_SHARE is wanted (none when `dense` is false: DenseChoice),
   * then the other features column by column, in their order. Groups come first because they are the largest
   * units: each thread's part (HistogramThreads.build) then starts with its large units and ends on small ones.
   */
  setUnits(features: Int32Array, n: number, dense = true): number {
    const layout = this.layout;
    const featureGroup = layout.featureGroup;
    const wanted = this.#groupWanted.fill(0);
    for (let k = 0; k < n; k++) {
      const g = featureGroup[features[k]];
      if (g >= 0) wanted[g]++;
    }
    let count = 0;
    for (let g = 0; g < wanted.length; g++) {
      if (wanted[g] === 0) continue;
      if (g >= this.#numSparse) {
        const d = g - this.#numSparse;
        if (!dense || wanted[g] < DENSE_MIN_WANTED_SHARE * (layout.denseStart[d + 1] - layout.denseStart[d])) continue;
      }
      this.units[count++] = -1 - g;
      wanted[g] = -1;
    }
    for (let k = 0; k < n; k++) {
      const g = featureGroup[features[k]];
      if (g < 0 || wanted[g] !== -1) this.units[count++] = features[k];
    }
    return count;
  }

  /** Relative work of building unit `u` (a feature, or `-1 - g` for group g) over `count` rows. */
  unitCost(u: number, count: number): number {
    const layout = this.layout;
    if (u >= 0) return count + 8 * layout.numBins[u];
    const g = -1 - u;
    if (g < this.#numSparse) return count * (1 + layout.groupDensity[g]) + 8 * layout.groupSpan[g];
    // A dense feature costs about 0.6 of a column-wise one per row (dense-rows.ts).
    const d = g - this.#numSparse;
    return count * (1 + 0.6 * (layout.denseStart[d + 1] - layout.denseStart[d])) + 8 * layout.denseBins[d];
  }

  /**
   * Loads the tree's gradients and hessians (one per row) as pairs by row index, and sums them in row order into
   * `loadedTotals` (gradients, hessians): the root's totals when no rows are bagged out, from the same pass. Call once
   * per tree, before gather. Rows from `copyTo` on are summed but not copied: another thread loads them (loadPairs).
   */
  loadGradients(grad: Float64Array, hess: Float64Array, copyTo: number = this.layout.numRows): void {
    const all = this.#allPairs;
    const n = this.layout.numRows;
    let sumG = 0;
    let sumH = 0;
    for (let r = 0; r < copyTo; r++) {
      const g = grad[r];
      const h = hess[r];
      all[2 * r] = g;
      all[2 * r + 1] = h;
      sumG += g;
      sumH += h;
    }
    // Rows another thread loads (loadPairs) are only summed here.
    for (let r = copyTo; r < n; r++) {
      sumG += grad[r];
      sumH += hess[r];
    }
    this.loadedTotals[0] = sumG;
    this.loadedTotals[1] = sumH;
  }

  /** The copying part of loadGradients for rows `from .. to`: threads may load disjoint row ranges at once. */
  loadPairs(grad: Float64Array, hess: Float64Array, from: number, to: number): void {
    const all = this.#allPairs;
    for (let r = from; r < to; r++) {
      all[2 * r] = grad[r];
      all[2 * r + 1] = hess[r];
    }
  }

  /**
   * Puts the gradient pairs of the partition's rows `indices[begin .. begin+count)` in that order and returns their
   * byte address, for build(). When `inOrder` (the rows are exactly `begin .. begin+count`, as at an unbagged root)
   * nothing is copied: the loaded pairs are already in that order.
   */
  gather(begin: number, count: number, inOrder: boolean): number {
    const layout = this.layout;
    if (inOrder) return layout.allPairsAt + 16 * begin;
    this.#kernel.gather(layout.indicesAt + 4 * begin, count, layout.allPairsAt, layout.pairsAt);
    return layout.pairsAt;
  }

  /**
   * The part of gather(begin, count, false) for list positions `from .. to` (relative to `begin`): threads may gather
   * disjoint parts of one leaf at once. A copy, so the pairs are the same however the list is cut.
   */
  gatherRange(begin: number, from: number, to: number): void {
    const layout = this.layout;
    this.#kernel.gather(layout.indicesAt + 4 * (begin + from), to - from, layout.allPairsAt, layout.pairsAt + 16 * from);
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
   * The part of partition(f, begin, count) for list positions `from .. to` (relative to `begin`): its left rows are
   * compacted at `begin + from`, its right rows written at position `from` of the right-hand buffer, both in order;
   * returns the left count. Threads may partition disjoint parts of one leaf at once; joinPartition puts them together.
   */
  partitionRange(f: number, begin: number, from: number, to: number): number {
    const layout = this.layout;
    const split = layout.wide[f] === 1 ? this.#kernel.partitionWide : this.#kernel.partitionNarrow;
    return split(layout.colAt[f], layout.indicesAt + 4 * (begin + from), to - from, layout.rightAt + 4 * from, layout.tableAt);
  }

  /**
   * Joins the parts partitionRange left (part t is list positions `cut[t] .. cut[t+1]` with `left[t]` left rows) into
   * the stable partition of the whole leaf: every part's left rows in part order, then every part's right rows.
   * Returns the left count. The rows end in exactly the order partition() gives.
   */
  joinPartition(begin: number, parts: number, cut: Int32Array, left: Int32Array): number {
    const indices = this.indices;
    let at = begin + left[0];
    for (let t = 1; t < parts; t++) {
      indices.copyWithin(at, begin + cut[t], begin + cut[t] + left[t]);
      at += left[t];
    }
    const total = at - begin;
    for (let t = 0; t < parts; t++) {
      const right = cut[t + 1] - cut[t] - left[t];
      indices.set(this.#right.subarray(cut[t], cut[t] + right), at);
      at += right;
    }
    return total;
  }

  /**
   * Builds the histograms of `units[from .. to)` over the rows `indices[begin .. begin+count)`, whose gradient
   * pairs are at byte `pairsAt` (what gather returned), into histogram buffer `outId`, with the same sums, in the
   * same order, as buildHistogram. Pairs anywhere but layout.pairsAt mean gather found the rows in order (rows
   * `begin .. begin+count`), and row-wise groups then take one flat pass over those rows' entries (when the layout
   * holds the entries' rows). A row-wise group leaves its features' skipped bins at zero, as buildHistogram does; the
   * caller derives them (deriveSkippedBin). After a build that threw (a trap), the lanes are not clean and the
   * workspace must not be used again.
   */
  build(from: number, to: number, begin: number, count: number, outId: number, pairsAt: number = this.layout.pairsAt): void {
    const layout = this.layout;
    const outAt = this.#histograms[outId].byteOffset;
    for (let k = from; k < to; k++) {
      const f = this.units[k];
      if (f >= 0) this.#buildColumn(f, begin, count, outAt, pairsAt);
      else if (-1 - f < this.#numSparse) {
        const g = -1 - f;
        const base = layout.groupBase[g];
        // Only the group's own features: column-wise features between them may be built by another thread.
        for (let j = layout.groupStart[g]; j < layout.groupStart[g + 1]; j++) {
          const at = layout.histOffsets[layout.groupFeatures[j]];
          this.#histograms[outId].fill(0, HIST_STRIDE * at, HIST_STRIDE * (at + layout.numBins[layout.groupFeatures[j]]));
        }
        const out = outAt + 8 * HIST_STRIDE * base;
        if (pairsAt === layout.pairsAt || layout.groupEntryRowsAt[g] < 0) this.#kernel.sparse(layout.groupRowStartAt[g], layout.groupEntriesAt[g], layout.indicesAt + 4 * begin, pairsAt, count, out);
        else {
          // Rows begin .. begin+count in order, their pairs where loadGradients put them (gather's inOrder).
          const rowStart = this.#rowStarts[g];
          this.#kernel.sparseInOrder(layout.groupEntryRowsAt[g], layout.groupEntriesAt[g], rowStart[begin], rowStart[begin + count], pairsAt - 16 * begin, out);
        }
      } else this.#buildDense(-1 - f - this.#numSparse, begin, count, outAt, pairsAt);
    }
  }

  /** Builds feature `f` column by column into the histogram at byte `outAt`. */
  #buildColumn(f: number, begin: number, count: number, outAt: number, pairsAt: number): void {
    const layout = this.layout;
    const offset = layout.histOffsets[f];
    const numBins = layout.numBins[f];
    // Lanes and counts are zero here: the memory starts zeroed and merge zeroes what it reads.
    const spread = count >= numBins * ROWS_PER_BIN_FOR_LANES ? 8 * this.#laneDoubles : 0;
    const accumulate = layout.wide[f] === 1 ? this.#kernel.wide : this.#kernel.narrow;
    const lanesAt = layout.lanesAt + 16 * offset;
    accumulate(layout.colAt[f], layout.indicesAt + 4 * begin, pairsAt, count, lanesAt, spread, layout.countsAt + 4 * offset);
    this.#kernel.merge(lanesAt, spread, layout.countsAt + 4 * offset, outAt + 8 * HIST_STRIDE * offset, numBins);
  }

  /**
   * Builds dense group `d` row by row, then merges each feature's lanes: the bits buildColumn gives. The group's
   * features are in ascending order of bins, so those with enough rows for lanes come first.
   */
  #buildDense(d: number, begin: number, count: number, outAt: number, pairsAt: number): void {
    const layout = this.layout;
    const from = layout.denseStart[d];
    const to = layout.denseStart[d + 1];
    let laned = 0;
    while (from + laned < to && count >= layout.numBins[layout.denseFeatures[from + laned]] * ROWS_PER_BIN_FOR_LANES) laned++;
    const laneBytes = 8 * this.#laneDoubles;
    const kernel = this.#dense[d];
    if (laned === 0 || laned === to - from) kernel.all(layout.denseAt, layout.indicesAt + 4 * begin, pairsAt, count, layout.lanesAt, laned === 0 ? 0 : laneBytes, layout.countsAt, 0);
    else kernel.mixed(layout.denseAt, layout.indicesAt + 4 * begin, pairsAt, count, layout.lanesAt, laneBytes, layout.countsAt, laned);
    for (let k = from; k < to; k++) {
      const f = layout.denseFeatures[k];
      const offset = layout.histOffsets[f];
      this.#kernel.merge(layout.lanesAt + 16 * offset, k - from < laned ? laneBytes : 0, layout.countsAt + 4 * offset, outAt + 8 * HIST_STRIDE * offset, layout.numBins[f]);
    }
  }
}
