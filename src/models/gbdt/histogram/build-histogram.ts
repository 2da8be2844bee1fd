import type { BinColumn, BinnedDataset } from '../binning/binned-dataset.js';
import { HIST_STRIDE } from './histogram-layout.js';

/** Copies of the histogram that consecutive rows are spread over, so repeated bins do not serialise the adds. */
export const HISTOGRAM_LANES = 4;

/** A feature's rows are spread over lanes only when it has at least this many rows per bin; else the merge costs more. */
const ROWS_PER_BIN_FOR_LANES = 4;

/** Caller-owned scratch of buildHistogram, allocated once per learner. */
export interface HistogramScratch {
  /** Gradients and hessians gathered in row-list order: at least as many entries as the largest row set. */
  readonly orderedGrad: Float64Array;
  readonly orderedHess: Float64Array;
  /** HISTOGRAM_LANES × histogramLength(totalBins) entries. */
  readonly lanes: Float64Array;
}

/**
 * Builds the histograms of the listed features over a set of rows into `out` (caller-owned, histogramLength(totalBins)
 * entries): each listed feature's range is overwritten with, per bin, the sum of gradients, the sum of hessians and
 * the row count of the rows whose value falls in that bin.
 *
 * The rows are `rows[begin .. begin+count)`, or rows `begin .. begin+count` themselves when `rows` is null (the
 * whole, unbagged root). Gradients are first gathered in row-list order so each feature pass reads them
 * sequentially. Features with many rows per bin are accumulated over HISTOGRAM_LANES interleaved copies and then
 * summed, which keeps runs of rows in the same bin from waiting on each other's adds. Allocates nothing.
 */
export function buildHistogram(
  data: BinnedDataset,
  features: Int32Array,
  numFeatures: number,
  rows: Int32Array | null,
  begin: number,
  count: number,
  grad: Float64Array,
  hess: Float64Array,
  scratch: HistogramScratch,
  out: Float64Array,
): void {
  const offsets = data.histOffsets;
  const mappers = data.mappers;
  const { orderedGrad, orderedHess, lanes } = scratch;
  if (rows !== null) {
    for (let i = 0; i < count; i++) {
      const r = rows[begin + i];
      orderedGrad[i] = grad[r];
      orderedHess[i] = hess[r];
    }
  }
  const laneSize = out.length;
  for (let k = 0; k < numFeatures; k++) {
    const f = features[k];
    const base = offsets[f] * HIST_STRIDE;
    const end = base + mappers[f].numBins * HIST_STRIDE;
    const col = data.bins[f];
    if (count < mappers[f].numBins * ROWS_PER_BIN_FOR_LANES) {
      out.fill(0, base, end);
      if (rows === null) accumulateRange(col, begin, count, base, grad, hess, out);
      else accumulateRows(col, rows, begin, count, base, orderedGrad, orderedHess, out);
      continue;
    }
    for (let lane = 0; lane < HISTOGRAM_LANES; lane++) lanes.fill(0, lane * laneSize + base, lane * laneSize + end);
    if (rows === null) accumulateRangeLanes(col, begin, count, base, grad, hess, lanes, laneSize);
    else accumulateRowsLanes(col, rows, begin, count, base, orderedGrad, orderedHess, lanes, laneSize);
    for (let j = base; j < end; j++) out[j] = lanes[j] + lanes[laneSize + j] + lanes[2 * laneSize + j] + lanes[3 * laneSize + j];
  }
}

function accumulateRange(col: BinColumn, begin: number, count: number, base: number, grad: Float64Array, hess: Float64Array, out: Float64Array): void {
  const end = begin + count;
  for (let r = begin; r < end; r++) {
    const at = base + col[r] * 3;
    out[at] += grad[r];
    out[at + 1] += hess[r];
    out[at + 2] += 1;
  }
}

function accumulateRows(col: BinColumn, rows: Int32Array, begin: number, count: number, base: number, grad: Float64Array, hess: Float64Array, out: Float64Array): void {
  for (let i = 0; i < count; i++) {
    const at = base + col[rows[begin + i]] * 3;
    out[at] += grad[i];
    out[at + 1] += hess[i];
    out[at + 2] += 1;
  }
}

/** Row r goes to lane r % 4 (rows past the last full group of four to lane 0). */
function accumulateRangeLanes(col: BinColumn, begin: number, count: number, base: number, grad: Float64Array, hess: Float64Array, lanes: Float64Array, size: number): void {
  const end = begin + count;
  let r = begin;
  for (; r + 3 < end; r += 4) {
    const a = base + col[r] * 3;
    const b = size + base + col[r + 1] * 3;
    const c = 2 * size + base + col[r + 2] * 3;
    const d = 3 * size + base + col[r + 3] * 3;
    lanes[a] += grad[r];
    lanes[a + 1] += hess[r];
    lanes[a + 2] += 1;
    lanes[b] += grad[r + 1];
    lanes[b + 1] += hess[r + 1];
    lanes[b + 2] += 1;
    lanes[c] += grad[r + 2];
    lanes[c + 1] += hess[r + 2];
    lanes[c + 2] += 1;
    lanes[d] += grad[r + 3];
    lanes[d + 1] += hess[r + 3];
    lanes[d + 2] += 1;
  }
  for (; r < end; r++) {
    const a = base + col[r] * 3;
    lanes[a] += grad[r];
    lanes[a + 1] += hess[r];
    lanes[a + 2] += 1;
  }
}

/** The i-th listed row goes to lane i % 4 (rows past the last full group of four to lane 0). */
function accumulateRowsLanes(col: BinColumn, rows: Int32Array, begin: number, count: number, base: number, grad: Float64Array, hess: Float64Array, lanes: Float64Array, size: number): void {
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const at = begin + i;
    const a = base + col[rows[at]] * 3;
    const b = size + base + col[rows[at + 1]] * 3;
    const c = 2 * size + base + col[rows[at + 2]] * 3;
    const d = 3 * size + base + col[rows[at + 3]] * 3;
    lanes[a] += grad[i];
    lanes[a + 1] += hess[i];
    lanes[a + 2] += 1;
    lanes[b] += grad[i + 1];
    lanes[b + 1] += hess[i + 1];
    lanes[b + 2] += 1;
    lanes[c] += grad[i + 2];
    lanes[c + 1] += hess[i + 2];
    lanes[c + 2] += 1;
    lanes[d] += grad[i + 3];
    lanes[d + 1] += hess[i + 3];
    lanes[d + 2] += 1;
  }
  for (; i < count; i++) {
    const a = base + col[rows[begin + i]] * 3;
    lanes[a] += grad[i];
    lanes[a + 1] += hess[i];
    lanes[a + 2] += 1;
  }
}
