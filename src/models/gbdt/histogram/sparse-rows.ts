import { HIST_STRIDE } from './histogram-layout.js';

/**
 * Features where most rows share one bin (one-hot codes, counters that are mostly 0) are built row-wise with that
 * bin skipped, as LightGBM does with its most-frequent bin: their non-skipped (row, bin) pairs are kept per row
 * (CSR) in a few groups, a leaf's histogram for a group costs one pass over the leaf's rows touching only those
 * pairs, and the skipped bin is derived afterwards as the leaf's totals minus the feature's other bins.
 *
 * Every bin of a row-wise feature is summed over the leaf's rows in row-list order, in one lane, so its bits do not
 * depend on the group it is in or the thread that builds the group; the dense path's non-lane loop sums the same
 * way, so both builders agree bit for bit.
 */

/**
 * A feature goes row-wise when at least this fraction of the rows sits in its most frequent bin. On KDD Cup 99
 * (2026-11-26, CPU time of 20 iterations) 0.3 beat 0.05, 0.15, 0.2, 0.5 and 0.7; dense features stay column-wise, where
 * the four-lane kernel is faster per row than a row-wise pass.
 */
export const SPARSE_MIN_SHARE = 0.3;
/** Aim for about this many non-skipped entries per row in a group (more groups let more threads share the work). */
const ENTRIES_PER_GROUP = 6;
/**
 * Groups made so threads can share the row-wise work keep at least this many entries per row: a thinner group costs
 * more in per-row passes than a second thread saves (2 threads, alternating runs, 2026-11-27: KDD Cup 99's 8.5 entries
 * per row in 2 groups 10.4 s against 11.3 s in 1; Adult's 4.0 in 2 groups 1.12–1.22 s against 0.95 s in 1).
 */
const MIN_ENTRIES_PER_THREAD_GROUP = 4;
/** At most this many groups. */
const MAX_GROUPS = 8;
/** A group's bins are addressed relative to its first bin by 16-bit entries. */
const MAX_GROUP_SPAN = 65536;

/** Which features are built row-wise, and how they are grouped; derived from the binned data only. */
export interface SparsePlan {
  /** Per feature: the bin that is skipped and derived when the feature is row-wise, else -1. */
  readonly skipBin: Int32Array;
  /** Group g holds the features groupFeatures[groupStart[g] .. groupStart[g+1]), ascending. */
  readonly groupFeatures: Int32Array;
  readonly groupStart: Int32Array;
  /** Per group: non-skipped entries over all rows. */
  readonly groupEntries: Float64Array;
}

/** One group's rows in CSR form: row r's entries are `entries[rowStart[r] .. rowStart[r+1])`, bins relative to `base`. */
export interface SparseGroupRows {
  readonly rowStart: Int32Array;
  readonly entries: Uint16Array;
  /** The group's first bin in a leaf histogram. */
  readonly base: number;
  /** Bins from `base` to the end of the group's last feature. */
  readonly span: number;
}

/** The columns the plan reads (a subset of HistogramColumns, to keep this file free of the builder). */
interface PlanColumns {
  readonly bins: readonly (Uint8Array | Uint16Array)[];
  readonly histOffsets: Int32Array;
  readonly numBins: Int32Array;
}

/**
 * Finds each used feature's most frequent bin (lowest bin on ties) and groups the features with a share of at least
 * SPARSE_MIN_SHARE, in feature order, into groups of about equal entries: up to `threads` of them (one per
 * thread, so each thread can take a group: KDD Cup 99's 34 sparse features make one group of 8.5 entries per row,
 * which one thread would build alone) while each keeps MIN_ENTRIES_PER_THREAD_GROUP entries per row. Grouping does
 * not change any bit of a histogram. No groups when fewer than two features
 * qualify: one sparse feature alone saves too little to pay for a pass of its own.
 */
export function planSparseRows(columns: PlanColumns, used: Int32Array, numRows: number, threads = 1): SparsePlan {
  const skipBin = new Int32Array(columns.numBins.length).fill(-1);
  const chosen: number[] = [];
  const entries: number[] = [];
  let maxBins = 1;
  for (const f of used) maxBins = Math.max(maxBins, columns.numBins[f]);
  const counts = new Int32Array(maxBins);
  for (const f of used) {
    const col = columns.bins[f];
    const numBins = columns.numBins[f];
    counts.fill(0, 0, numBins);
    for (let i = 0; i < numRows; i++) counts[col[i]]++;
    let top = 0;
    for (let b = 1; b < numBins; b++) if (counts[b] > counts[top]) top = b;
    if (numRows > 0 && counts[top] >= SPARSE_MIN_SHARE * numRows) {
      chosen.push(f);
      entries.push(numRows - counts[top]);
      skipBin[f] = top;
    }
  }
  if (chosen.length < 2) return { skipBin: skipBin.fill(-1), groupFeatures: new Int32Array(0), groupStart: Int32Array.of(0), groupEntries: new Float64Array(0) };
  const total = entries.reduce((a, b) => a + b, 0);
  const perRow = total / Math.max(1, numRows);
  const forThreads = Math.min(threads, Math.floor(perRow / MIN_ENTRIES_PER_THREAD_GROUP));
  const wanted = Math.max(1, Math.min(MAX_GROUPS, chosen.length, Math.max(forThreads, Math.round(perRow / ENTRIES_PER_GROUP))));
  const target = total / wanted;
  const start = [0];
  const groupEntries: number[] = [];
  let inGroup = 0;
  for (let k = 0; k < chosen.length; k++) {
    const first = start[start.length - 1];
    const span = columns.histOffsets[chosen[k]] + columns.numBins[chosen[k]] - columns.histOffsets[chosen[first]];
    // Close the group before this feature when it has its share or would outgrow 16-bit entries.
    if (k > first && ((inGroup >= target && start.length < wanted) || span > MAX_GROUP_SPAN)) {
      start.push(k);
      groupEntries.push(inGroup);
      inGroup = 0;
    }
    inGroup += entries[k];
  }
  start.push(chosen.length);
  groupEntries.push(inGroup);
  return { skipBin, groupFeatures: Int32Array.from(chosen), groupStart: Int32Array.from(start), groupEntries: Float64Array.from(groupEntries) };
}

/** The number of groups in `plan`. */
export function groupCount(plan: SparsePlan): number {
  return plan.groupStart.length - 1;
}

/** Lays out group `g`'s non-skipped entries row by row, features in order within a row. */
export function sparseGroupRows(columns: PlanColumns, plan: SparsePlan, g: number, numRows: number): SparseGroupRows {
  const from = plan.groupStart[g];
  const to = plan.groupStart[g + 1];
  const base = columns.histOffsets[plan.groupFeatures[from]];
  const last = plan.groupFeatures[to - 1];
  const span = columns.histOffsets[last] + columns.numBins[last] - base;
  const rowStart = new Int32Array(numRows + 1);
  for (let k = from; k < to; k++) {
    const f = plan.groupFeatures[k];
    const col = columns.bins[f];
    const skip = plan.skipBin[f];
    for (let i = 0; i < numRows; i++) if (col[i] !== skip) rowStart[i + 1]++;
  }
  for (let i = 0; i < numRows; i++) rowStart[i + 1] += rowStart[i];
  const entries = new Uint16Array(rowStart[numRows]);
  const fill = rowStart.slice(0, numRows);
  for (let k = from; k < to; k++) {
    const f = plan.groupFeatures[k];
    const col = columns.bins[f];
    const skip = plan.skipBin[f];
    const offset = columns.histOffsets[f] - base;
    for (let i = 0; i < numRows; i++) if (col[i] !== skip) entries[fill[i]++] = offset + col[i];
  }
  return { rowStart, entries, base, span };
}

/**
 * Sets the skipped bin `skip` of the feature whose `numBins` bins start at bin `offset` of `hist` to the leaf's
 * totals (`sumG`, `sumH`, `count`) minus the feature's other bins, summed in ascending bin order.
 */
export function deriveSkippedBin(hist: Float64Array, offset: number, numBins: number, skip: number, sumG: number, sumH: number, count: number): void {
  let g = 0;
  let h = 0;
  let n = 0;
  for (let b = 0; b < numBins; b++) {
    if (b === skip) continue;
    const at = (offset + b) * HIST_STRIDE;
    g += hist[at];
    h += hist[at + 1];
    n += hist[at + 2];
  }
  const at = (offset + skip) * HIST_STRIDE;
  hist[at] = sumG - g;
  hist[at + 1] = sumH - h;
  hist[at + 2] = count - n;
}
