import type { BinColumn } from '../binning/binned-dataset.js';
import { HIST_STRIDE } from './histogram-layout.js';

/** Copies of the histogram that consecutive rows are spread over, so repeated bins do not serialise the adds. */
export const HISTOGRAM_LANES = 4;

/** A feature's rows are spread over lanes only when it has at least this many rows per bin; else the merge costs more. */
const ROWS_PER_BIN_FOR_LANES = 4;

/** The binned columns a histogram is built from: plain arrays, so worker threads can hold them too. */
export interface HistogramColumns {
  /** Per feature, one bin per row (empty for trivial features). */
  readonly bins: readonly BinColumn[];
  /** Per feature: its first bin in a leaf histogram, or -1 for a trivial feature. */
  readonly histOffsets: Int32Array;
  /** Per feature: its number of bins. */
  readonly numBins: Int32Array;
  /** Bins of all features together: the length of a leaf histogram in bins. */
  readonly totalBins: number;
  /**
   * Per feature: the bin skipped by the row-wise builder (SparsePlan.skipBin), or -1. Such a feature is summed in
   * row order in one lane, like the row-wise builder, and its skipped bin is left at zero for the caller to derive.
   * Absent: no feature is row-wise.
   */
  readonly skipBin?: Int32Array;
}

/** Caller-owned scratch of buildHistogram, one per thread that builds; see createHistogramScratch. */
export interface HistogramScratch {
  /** HISTOGRAM_LANES lanes of (gradient, hessian) pairs per bin: 2 × HISTOGRAM_LANES × totalBins entries. */
  readonly lanes: Float64Array;
  /** Row counts per bin: totalBins entries. */
  readonly counts: Int32Array;
}

/** Allocates the scratch of buildHistogram for histograms of `totalBins` bins. */
export function createHistogramScratch(totalBins: number): HistogramScratch {
  return { lanes: new Float64Array(2 * HISTOGRAM_LANES * totalBins), counts: new Int32Array(totalBins) };
}

/**
 * Gathers the gradients and hessians of `rows[begin .. begin+count)` (rows `begin ..` themselves when `rows` is null)
 * into `ordered` as interleaved pairs (gradient, hessian), in row-list order, so each feature pass reads them
 * sequentially. `ordered` (caller-owned) needs 2 × count entries.
 */
export function gatherGradients(rows: Int32Array | null, begin: number, count: number, grad: Float64Array, hess: Float64Array, ordered: Float64Array): void {
  if (rows === null) {
    for (let i = 0; i < count; i++) {
      ordered[2 * i] = grad[begin + i];
      ordered[2 * i + 1] = hess[begin + i];
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const r = rows[begin + i];
    ordered[2 * i] = grad[r];
    ordered[2 * i + 1] = hess[r];
  }
}

/**
 * Builds the histograms of the features `features[from .. to)` over a set of rows into `out` (caller-owned,
 * histogramLength(totalBins) entries): each listed feature's range is overwritten with, per bin, the sum of
 * gradients, the sum of hessians and the row count of the rows whose value falls in that bin.
 *
 * The rows are `rows[begin .. begin+count)`, or rows `begin .. begin+count` when `rows` is null, and `ordered` holds
 * their gradients as gatherGradients wrote them. Features with many rows per bin are accumulated over
 * HISTOGRAM_LANES interleaved copies (the i-th listed row in lane i % 4, rows past the last full group of four in
 * lane 0), summed lane 0 first, which keeps runs of rows in the same bin from waiting on each other's adds; counts
 * are integers kept apart, so their order does not matter. Features with a skipped bin (`data.skipBin`) are summed
 * in row order in one lane and their skipped bin is left at zero (see sparse-rows.ts). The sums therefore depend
 * only on the rows and their order, not on which thread builds which feature. Allocates nothing.
 */
export function buildHistogram(
  data: HistogramColumns,
  features: Int32Array,
  from: number,
  to: number,
  rows: Int32Array | null,
  begin: number,
  count: number,
  ordered: Float64Array,
  scratch: HistogramScratch,
  out: Float64Array,
): void {
  const offsets = data.histOffsets;
  const { lanes, counts } = scratch;
  const laneSize = lanes.length / HISTOGRAM_LANES;
  for (let k = from; k < to; k++) {
    const f = features[k];
    const offset = offsets[f];
    const numBins = data.numBins[f];
    const col = data.bins[f];
    const skip = data.skipBin === undefined ? -1 : data.skipBin[f];
    if (skip >= 0 || count < numBins * ROWS_PER_BIN_FOR_LANES) {
      const base = offset * HIST_STRIDE;
      out.fill(0, base, base + numBins * HIST_STRIDE);
      if (rows === null) accumulateRange(col, begin, count, base, ordered, out);
      else accumulateRows(col, rows, begin, count, base, ordered, out);
      if (skip >= 0) out.fill(0, base + skip * HIST_STRIDE, base + (skip + 1) * HIST_STRIDE);
      continue;
    }
    const start = 2 * offset;
    const end = start + 2 * numBins;
    for (let lane = 0; lane < HISTOGRAM_LANES; lane++) lanes.fill(0, lane * laneSize + start, lane * laneSize + end);
    counts.fill(0, offset, offset + numBins);
    if (rows === null) accumulateRangeLanes(col, begin, count, offset, ordered, lanes, counts, laneSize);
    else accumulateRowsLanes(col, rows, begin, count, offset, ordered, lanes, counts, laneSize);
    for (let b = 0; b < numBins; b++) {
      const at = start + 2 * b;
      const o = (offset + b) * HIST_STRIDE;
      out[o] = lanes[at] + lanes[laneSize + at] + lanes[2 * laneSize + at] + lanes[3 * laneSize + at];
      out[o + 1] = lanes[at + 1] + lanes[laneSize + at + 1] + lanes[2 * laneSize + at + 1] + lanes[3 * laneSize + at + 1];
      out[o + 2] = counts[offset + b];
    }
  }
}

function accumulateRange(col: BinColumn, begin: number, count: number, base: number, ordered: Float64Array, out: Float64Array): void {
  for (let i = 0; i < count; i++) {
    const at = base + col[begin + i] * 3;
    out[at] += ordered[2 * i];
    out[at + 1] += ordered[2 * i + 1];
    out[at + 2] += 1;
  }
}

function accumulateRows(col: BinColumn, rows: Int32Array, begin: number, count: number, base: number, ordered: Float64Array, out: Float64Array): void {
  for (let i = 0; i < count; i++) {
    const at = base + col[rows[begin + i]] * 3;
    out[at] += ordered[2 * i];
    out[at + 1] += ordered[2 * i + 1];
    out[at + 2] += 1;
  }
}

/** Lanes are `size` entries apart; bin b of the feature is pair `offset + b` of each lane. */
function accumulateRangeLanes(col: BinColumn, begin: number, count: number, offset: number, ordered: Float64Array, lanes: Float64Array, counts: Int32Array, size: number): void {
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const at = begin + i;
    const b0 = offset + col[at];
    const b1 = offset + col[at + 1];
    const b2 = offset + col[at + 2];
    const b3 = offset + col[at + 3];
    const q = 2 * i;
    lanes[2 * b0] += ordered[q];
    lanes[2 * b0 + 1] += ordered[q + 1];
    lanes[size + 2 * b1] += ordered[q + 2];
    lanes[size + 2 * b1 + 1] += ordered[q + 3];
    lanes[2 * size + 2 * b2] += ordered[q + 4];
    lanes[2 * size + 2 * b2 + 1] += ordered[q + 5];
    lanes[3 * size + 2 * b3] += ordered[q + 6];
    lanes[3 * size + 2 * b3 + 1] += ordered[q + 7];
    counts[b0]++;
    counts[b1]++;
    counts[b2]++;
    counts[b3]++;
  }
  for (; i < count; i++) {
    const b = offset + col[begin + i];
    lanes[2 * b] += ordered[2 * i];
    lanes[2 * b + 1] += ordered[2 * i + 1];
    counts[b]++;
  }
}

function accumulateRowsLanes(col: BinColumn, rows: Int32Array, begin: number, count: number, offset: number, ordered: Float64Array, lanes: Float64Array, counts: Int32Array, size: number): void {
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const at = begin + i;
    const b0 = offset + col[rows[at]];
    const b1 = offset + col[rows[at + 1]];
    const b2 = offset + col[rows[at + 2]];
    const b3 = offset + col[rows[at + 3]];
    const q = 2 * i;
    lanes[2 * b0] += ordered[q];
    lanes[2 * b0 + 1] += ordered[q + 1];
    lanes[size + 2 * b1] += ordered[q + 2];
    lanes[size + 2 * b1 + 1] += ordered[q + 3];
    lanes[2 * size + 2 * b2] += ordered[q + 4];
    lanes[2 * size + 2 * b2 + 1] += ordered[q + 5];
    lanes[3 * size + 2 * b3] += ordered[q + 6];
    lanes[3 * size + 2 * b3 + 1] += ordered[q + 7];
    counts[b0]++;
    counts[b1]++;
    counts[b2]++;
    counts[b3]++;
  }
  for (; i < count; i++) {
    const b = offset + col[rows[begin + i]];
    lanes[2 * b] += ordered[2 * i];
    lanes[2 * b + 1] += ordered[2 * i + 1];
    counts[b]++;
  }
}
