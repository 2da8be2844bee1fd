/**
 * A leaf histogram is a Float64Array with HIST_STRIDE entries per bin: the sum of gradients, the sum of hessians and
 * the row count of the rows in that bin. Feature `f`'s bin `b` starts at `(histOffsets[f] + b) * HIST_STRIDE`.
 */
export const HIST_STRIDE = 3;

/** Entries of a histogram covering `totalBins` bins. */
export function histogramLength(totalBins: number): number {
  return totalBins * HIST_STRIDE;
}
