import { HIST_STRIDE } from './histogram-layout.js';

/**
 * Turns a parent's histogram into its larger child's, in place: `parent -= smaller` over the `numBins` bins starting
 * at bin `offset`. Exact for counts; gradient and hessian sums carry the rounding of one subtraction.
 */
export function subtractHistogram(parent: Float64Array, smaller: Float64Array, offset: number, numBins: number): void {
  const end = (offset + numBins) * HIST_STRIDE;
  for (let i = offset * HIST_STRIDE; i < end; i++) parent[i] -= smaller[i];
}
