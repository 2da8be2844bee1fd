import { nextUp } from './next-up.js';

/**
 * Upper bounds that split `n` sorted distinct values (starting at `start`) with their `counts` into at most `maxBin`
 * bins of about equal count, LightGBM's greedy rule: values holding at least a mean bin's worth of rows get a bin of
 * their own, the rest are filled up to the running mean; when there are no more distinct values than bins, each
 * value gets a bin once it holds `minDataInBin` rows. A bound sits one ulp above the mid-point between neighbours, and
 * the last bound is +Infinity. `totalCount` is the sum of the counts.
 */
export function greedyFindBin(
  distinct: readonly number[],
  counts: readonly number[],
  start: number,
  n: number,
  maxBin: number,
  totalCount: number,
  minDataInBin: number,
): number[] {
  const bounds: number[] = [];
  if (n <= maxBin) {
    let inBin = 0;
    for (let i = 0; i < n - 1; i++) {
      inBin += counts[start + i];
      if (inBin >= minDataInBin) {
        const value = nextUp((distinct[start + i] + distinct[start + i + 1]) / 2);
        if (bounds.length === 0 || !(value <= nextUp(bounds[bounds.length - 1]))) {
          bounds.push(value);
          inBin = 0;
        }
      }
    }
    bounds.push(Number.POSITIVE_INFINITY);
    return bounds;
  }
  if (minDataInBin > 0) maxBin = Math.max(1, Math.min(maxBin, Math.trunc(totalCount / minDataInBin)));
  let meanBinSize = totalCount / maxBin;
  let restBinCount = maxBin;
  let restSampleCount = totalCount;
  const isBig = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (counts[start + i] >= meanBinSize) {
      isBig[i] = 1;
      restBinCount--;
      restSampleCount -= counts[start + i];
    }
  }
  meanBinSize = restSampleCount / restBinCount;
  const upper = new Float64Array(maxBin).fill(Number.POSITIVE_INFINITY);
  const lower = new Float64Array(maxBin).fill(Number.POSITIVE_INFINITY);
  let binCount = 0;
  lower[0] = distinct[start];
  let inBin = 0;
  for (let i = 0; i < n - 1; i++) {
    if (isBig[i] === 0) restSampleCount -= counts[start + i];
    inBin += counts[start + i];
    if (isBig[i] === 1 || inBin >= meanBinSize || (isBig[i + 1] === 1 && inBin >= Math.max(1, meanBinSize * 0.5))) {
      upper[binCount] = distinct[start + i];
      binCount++;
      lower[binCount] = distinct[start + i + 1];
      if (binCount >= maxBin - 1) break;
      inBin = 0;
      if (isBig[i] === 0) {
        restBinCount--;
        meanBinSize = restSampleCount / restBinCount;
      }
    }
  }
  binCount++;
  for (let i = 0; i < binCount - 1; i++) {
    const value = nextUp((upper[i] + lower[i + 1]) / 2);
    if (bounds.length === 0 || !(value <= nextUp(bounds[bounds.length - 1]))) bounds.push(value);
  }
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
}
