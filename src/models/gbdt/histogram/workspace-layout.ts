import type { BinColumn } from '../binning/binned-dataset.js';
import { HISTOGRAM_LANES, type HistogramColumns } from './build-histogram.js';
import { HIST_STRIDE } from './histogram-layout.js';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS } from './histogram-control.js';
import type { WasmApi, WasmMemory } from './histogram-kernel-module.js';
import { groupCount, sparseGroupRows, type SparsePlan } from './sparse-rows.js';
import { denseGroupCount, fillDenseMatrix, type DensePlan } from './dense-rows.js';

const PAGE = 65536;
/** Above this the workspace is not built and the learner uses buildHistogram (2 GiB: V8's safe limit for one memory). */
const MAX_BYTES = 2 ** 31;
/** Doubles of split-search results per feature: 2 leaves × 2 scan directions × 6 (see parallel-split-scan.ts). */
export const SPLIT_SCAN_DOUBLES = 24;
/** Doubles of split-search parameters (see parallel-split-scan.ts). */
export const SPLIT_SCAN_PARAMS = 16;
/** Bytes of each thread's numerical scan results (NumericalScan), one block per control slot. */
export const SCAN_SCRATCH_BYTES = 64;

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
  /** The build units (see HistogramWorkspace.units): numFeatures + sparse groups + dense groups Int32 slots. */
  readonly unitsAt: number;
  /**
   * Per feature: its row-wise group, or -1 when it is built column by column. Groups 0 … sparse groups - 1 are
   * sparse (sparse-rows.ts); group `sparse groups + d` is dense group d (dense-rows.ts).
   */
  readonly featureGroup: Int32Array;
  /** Per row-wise group: byte addresses of its Int32 row starts and Uint16 entries, its first bin and bin span. */
  readonly groupRowStartAt: Int32Array;
  readonly groupEntriesAt: Int32Array;
  /**
   * Per row-wise group: byte address of the Int32 row of each entry, for builds over consecutive rows
   * (sparseInOrder); -1 when they did not fit, and such builds take the per-row pass.
   */
  readonly groupEntryRowsAt: Int32Array;
  readonly groupBase: Int32Array;
  readonly groupSpan: Int32Array;
  /** Per row-wise group: its entries per row on average (unitCost). */
  readonly groupDensity: Float64Array;
  /** Group g's features are groupFeatures[groupStart[g] .. groupStart[g+1]) (SparsePlan). */
  readonly groupFeatures: Int32Array;
  readonly groupStart: Int32Array;
  /** Dense group d's features are denseFeatures[denseStart[d] .. denseStart[d+1]) (DensePlan). */
  readonly denseFeatures: Int32Array;
  readonly denseStart: Int32Array;
  /** The byte address of the dense features' row-major bins (fillDenseMatrix). */
  readonly denseAt: number;
  /** Per dense group: the bins of its features together (HistogramWorkspace.unitCost). */
  readonly denseBins: Int32Array;
  /** The learner's row partition (DataPartition.indices), and the right-hand rows while a leaf is split. */
  readonly indicesAt: number;
  readonly rightAt: number;
  /** Per bin of the feature being split: 1 when its rows go left. */
  readonly tableAt: number;
  readonly maxBins: number;
  readonly pairsAt: number;
  /** Every row's (gradient, hessian) pair, by row index, loaded once per tree (loadGradients). */
  readonly allPairsAt: number;
  readonly lanesAt: number;
  readonly countsAt: number;
  readonly histogramsAt: number;
  /** 64 bytes the calling thread's split search may use for kernel results. */
  readonly scratchAt: number;
  /** Per feature: the bin the row-wise builder skips (SparsePlan.skipBin), or -1. */
  readonly skipBin: Int32Array;
  /**
   * The split search threads share (parallel-split-scan.ts): Int32 features to search, a Uint8 scan mode per
   * feature, Float64 parameters, Float64 results (SPLIT_SCAN_DOUBLES per listed feature), and per control slot
   * SCAN_SCRATCH_BYTES for a worker's NumericalScan.
   */
  readonly scanFeaturesAt: number;
  readonly scanModesAt: number;
  readonly scanParamsAt: number;
  readonly scanResultsAt: number;
  readonly scanScratchAt: number;
}

/**
 * Lays out a shared memory for `columns` (features `used`) with `maxLeaves` histogram buffers, and the row-wise
 * groups of `plan` and the dense groups of `densePlan` when given, and copies the binned data in. When it would not
 * fit in one memory, it is laid out again without the row of each row-wise entry (`entryRows`), then also without the
 * dense matrix; null when even that does not fit.
 */
export function layOutWorkspace(wasm: WasmApi, columns: HistogramColumns, used: Int32Array, numRows: number, maxLeaves: number, plan: SparsePlan | null, densePlan: DensePlan | null, entryRows = true): HistogramWorkspaceLayout | null {
  const numFeatures = columns.numBins.length;
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at = start + Math.ceil(bytes / 16) * 16;
    return start;
  };
  const controlAt = take(4 * CONTROL_SLOTS * MAX_HISTOGRAM_THREADS);
  const numGroups = plan === null ? 0 : groupCount(plan);
  const numDense = densePlan === null ? 0 : denseGroupCount(densePlan);
  const unitsAt = take(4 * (numFeatures + numGroups + numDense));
  const featureGroup = new Int32Array(numFeatures).fill(-1);
  const groups = Array.from({ length: numGroups }, (_, g) => sparseGroupRows(columns, plan!, g, numRows));
  const groupRowStartAt = new Int32Array(numGroups);
  const groupEntriesAt = new Int32Array(numGroups);
  const groupEntryRowsAt = new Int32Array(numGroups).fill(-1);
  for (let g = 0; g < numGroups; g++) {
    for (let k = plan!.groupStart[g]; k < plan!.groupStart[g + 1]; k++) featureGroup[plan!.groupFeatures[k]] = g;
    groupRowStartAt[g] = take(groups[g].rowStart.byteLength);
    groupEntriesAt[g] = take(groups[g].entries.byteLength);
    if (entryRows) groupEntryRowsAt[g] = take(4 * groups[g].entries.length);
  }
  for (let d = 0; d < numDense; d++) {
    for (let k = densePlan!.groupStart[d]; k < densePlan!.groupStart[d + 1]; k++) featureGroup[densePlan!.groupFeatures[k]] = numGroups + d;
  }
  const denseAt = numDense === 0 ? 0 : take(numRows * densePlan!.groupFeatures.length);
  const colAt = new Int32Array(numFeatures).fill(-1);
  const wide = new Uint8Array(numFeatures);
  for (const f of used) {
    wide[f] = columns.bins[f].BYTES_PER_ELEMENT === 2 ? 1 : 0;
    // Row-wise features keep their column too: partitioning a leaf reads it.
    colAt[f] = take(columns.bins[f].BYTES_PER_ELEMENT * numRows);
  }
  const indicesAt = take(4 * numRows);
  const rightAt = take(4 * numRows);
  let maxBins = 1;
  for (const f of used) maxBins = Math.max(maxBins, columns.numBins[f]);
  const tableAt = take(maxBins);
  const pairsAt = take(16 * numRows);
  const allPairsAt = take(16 * numRows);
  const lanesAt = take(16 * HISTOGRAM_LANES * columns.totalBins);
  const countsAt = take(4 * columns.totalBins);
  const histogramsAt = take(8 * HIST_STRIDE * columns.totalBins * maxLeaves);
  const scratchAt = take(64);
  const scanFeaturesAt = take(4 * numFeatures);
  const scanModesAt = take(numFeatures);
  const scanParamsAt = take(8 * SPLIT_SCAN_PARAMS);
  const scanResultsAt = take(8 * SPLIT_SCAN_DOUBLES * numFeatures);
  const scanScratchAt = take(SCAN_SCRATCH_BYTES * MAX_HISTOGRAM_THREADS);
  // Without the dense matrix (one byte per row and dense feature) the rest may still fit.
  // Too large: without the entries' rows (4 bytes an entry) first, then also without the dense matrix.
  if (at > MAX_BYTES) {
    if (entryRows && numGroups > 0) return layOutWorkspace(wasm, columns, used, numRows, maxLeaves, plan, densePlan, false);
    return numDense > 0 ? layOutWorkspace(wasm, columns, used, numRows, maxLeaves, plan, null, false) : null;
  }
  const pages = Math.max(1, Math.ceil(at / PAGE));
  const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  for (const f of used) {
    const col: BinColumn = columns.bins[f];
    new Uint8Array(memory.buffer, colAt[f], col.byteLength).set(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  for (let g = 0; g < numGroups; g++) {
    new Int32Array(memory.buffer, groupRowStartAt[g], numRows + 1).set(groups[g].rowStart);
    new Uint16Array(memory.buffer, groupEntriesAt[g], groups[g].entries.length).set(groups[g].entries);
    if (groupEntryRowsAt[g] >= 0) {
      const rows = new Int32Array(memory.buffer, groupEntryRowsAt[g], groups[g].entries.length);
      const rowStart = groups[g].rowStart;
      for (let r = 0; r < numRows; r++) rows.fill(r, rowStart[r], rowStart[r + 1]);
    }
  }
  if (numDense > 0) fillDenseMatrix(columns, densePlan!, numRows, new Uint8Array(memory.buffer, denseAt, numRows * densePlan!.groupFeatures.length));
  const denseBins = Int32Array.from({ length: numDense }, (_, d) => {
    let bins = 0;
    for (let k = densePlan!.groupStart[d]; k < densePlan!.groupStart[d + 1]; k++) bins += columns.numBins[densePlan!.groupFeatures[k]];
    return bins;
  });
  return {
    memory, pages, numRows, totalBins: columns.totalBins, maxLeaves, colAt, wide,
    numBins: columns.numBins, histOffsets: columns.histOffsets,
    controlAt, unitsAt, featureGroup, groupRowStartAt, groupEntriesAt, groupEntryRowsAt,
    groupBase: Int32Array.from(groups, (r) => r.base), groupSpan: Int32Array.from(groups, (r) => r.span),
    groupDensity: Float64Array.from(groups, (r) => r.entries.length / Math.max(1, numRows)),
    groupFeatures: plan === null ? new Int32Array(0) : plan.groupFeatures, groupStart: plan === null ? Int32Array.of(0) : plan.groupStart,
    denseFeatures: densePlan === null ? new Int32Array(0) : densePlan.groupFeatures, denseStart: densePlan === null ? Int32Array.of(0) : densePlan.groupStart,
    denseAt, denseBins,
    indicesAt, rightAt, tableAt, maxBins, pairsAt, allPairsAt, lanesAt, countsAt, histogramsAt, scratchAt,
    skipBin: columns.skipBin ?? new Int32Array(numFeatures).fill(-1),
    scanFeaturesAt, scanModesAt, scanParamsAt, scanResultsAt, scanScratchAt,
  };
}
