import { MISSING_NAN, MISSING_NONE, type BinMapper } from './bin-mapper.js';
import { greedyFindBin } from './greedy-find-bin.js';
import { nextUp } from './next-up.js';

/** Values within ±ZERO_THRESHOLD count as 0 and share the zero bin (LightGBM's kZeroThreshold, a float 1e-35). */
export const ZERO_THRESHOLD = Math.fround(1e-35);

/** Settings of bin finding, from the resolved params. */
export interface BinFindingOptions {
  readonly maxBin: number;
  readonly minDataInBin: number;
  readonly useMissing: boolean;
  /** When > 0, a feature that cannot leave this many sample rows on both sides of any bin boundary is trivial. */
  readonly filterCount: number;
}

/**
 * Finds the bins of a numerical feature from a sample of its values (NaN = missing), as LightGBM v4 does: zero gets a
 * bin of its own between the negative and positive ranges, each range is split greedily (greedyFindBin) in
 * proportion to its rows, and missing values get a final NaN bin when the sample has any and `useMissing` is on.
 */
export function findNumericalBins(sample: Float64Array, options: BinFindingOptions): BinMapper {
  const total = sample.length;
  const nonZero = new Float64Array(total);
  let numNonZero = 0;
  let naCount = 0;
  for (let i = 0; i < total; i++) {
    const v = sample[i];
    if (v !== v) {
      if (options.useMissing) naCount++;
    } else if (v > ZERO_THRESHOLD || v < -ZERO_THRESHOLD) nonZero[numNonZero++] = v;
  }
  const missingType = naCount > 0 ? MISSING_NAN : MISSING_NONE;
  const zeroCount = total - numNonZero - naCount;
  const sorted = nonZero.subarray(0, numNonZero).sort();
  const { distinct, counts } = distinctWithZero(sorted, zeroCount);
  let bounds: number[];
  if (missingType === MISSING_NAN) {
    bounds = findBinWithZeroAsOneBin(distinct, counts, options.maxBin - 1, total - naCount, options.minDataInBin);
    bounds.push(Number.NaN);
  } else {
    bounds = findBinWithZeroAsOneBin(distinct, counts, options.maxBin, total, options.minDataInBin);
  }
  const numBins = bounds.length;
  const inBin = new Float64Array(numBins);
  let bin = 0;
  for (let i = 0; i < distinct.length; i++) {
    while (distinct[i] > bounds[bin] && bin < numBins - 1) bin++;
    inBin[bin] += counts[i];
  }
  if (missingType === MISSING_NAN) inBin[numBins - 1] = naCount;
  let isTrivial = numBins <= 1;
  if (!isTrivial && options.filterCount > 0) {
    isTrivial = true;
    let left = 0;
    for (let b = 0; b < numBins - 1; b++) {
      left += inBin[b];
      if (left >= options.filterCount && total - left >= options.filterCount) {
        isTrivial = false;
        break;
      }
    }
  }
  const mapper: BinMapper = {
    kind: 'numerical',
    numBins,
    missingType,
    upperBounds: Float64Array.from(bounds),
    binToCategory: new Int32Array(0),
    categoryToBin: new Map(),
    isTrivial,
    defaultBin: 0,
    minValue: distinct.length > 0 ? distinct[0] : Number.NaN,
    maxValue: distinct.length > 0 ? distinct[distinct.length - 1] : Number.NaN,
  };
  return { ...mapper, defaultBin: zeroBin(mapper) };
}

/**
 * Distinct sorted values and their counts, with 0 inserted (holding `zeroCount`) where the sign changes. Values
 * within one ulp of each other merge into the larger, as LightGBM's CheckDoubleEqualOrdered does.
 */
export function distinctWithZero(sorted: Float64Array, zeroCount: number): { distinct: number[]; counts: number[] } {
  const distinct: number[] = [];
  const counts: number[] = [];
  const n = sorted.length;
  if (n === 0 || (sorted[0] > 0 && zeroCount > 0)) {
    distinct.push(0);
    counts.push(zeroCount);
  }
  if (n > 0) {
    distinct.push(sorted[0]);
    counts.push(1);
  }
  for (let i = 1; i < n; i++) {
    if (sorted[i] > nextUp(sorted[i - 1])) {
      if (sorted[i - 1] < 0 && sorted[i] > 0) {
        distinct.push(0);
        counts.push(zeroCount);
      }
      distinct.push(sorted[i]);
      counts.push(1);
    } else {
      distinct[distinct.length - 1] = sorted[i];
      counts[counts.length - 1]++;
    }
  }
  if (n > 0 && sorted[n - 1] < 0 && zeroCount > 0) {
    distinct.push(0);
    counts.push(zeroCount);
  }
  return { distinct, counts };
}

/** Bounds with the zero range [-ZERO_THRESHOLD, ZERO_THRESHOLD] as one bin; negatives and positives get bins in proportion to their rows. */
export function findBinWithZeroAsOneBin(distinct: readonly number[], counts: readonly number[], maxBin: number, total: number, minDataInBin: number): number[] {
  const n = distinct.length;
  let leftData = 0;
  let rightData = 0;
  let zeroData = 0;
  for (let i = 0; i < n; i++) {
    if (distinct[i] <= -ZERO_THRESHOLD) leftData += counts[i];
    else if (distinct[i] > ZERO_THRESHOLD) rightData += counts[i];
    else zeroData += counts[i];
  }
  let leftCount = n;
  for (let i = 0; i < n; i++) {
    if (distinct[i] > -ZERO_THRESHOLD) {
      leftCount = i;
      break;
    }
  }
  let bounds: number[] = [];
  if (leftCount > 0 && maxBin > 1) {
    const leftMaxBin = Math.max(1, Math.trunc((leftData / (total - zeroData)) * (maxBin - 1)));
    bounds = greedyFindBin(distinct, counts, 0, leftCount, leftMaxBin, leftData, minDataInBin);
    if (bounds.length > 0) bounds[bounds.length - 1] = -ZERO_THRESHOLD;
  }
  let rightStart = -1;
  for (let i = leftCount; i < n; i++) {
    if (distinct[i] > ZERO_THRESHOLD) {
      rightStart = i;
      break;
    }
  }
  const rightMaxBin = maxBin - 1 - bounds.length;
  if (rightStart >= 0 && rightMaxBin > 0) {
    const right = greedyFindBin(distinct, counts, rightStart, n - rightStart, rightMaxBin, rightData, minDataInBin);
    bounds.push(ZERO_THRESHOLD, ...right);
  } else {
    bounds.push(Number.POSITIVE_INFINITY);
  }
  return bounds;
}

function zeroBin(mapper: BinMapper): number {
  const bounds = mapper.upperBounds;
  const last = mapper.numBins - 1 - (mapper.missingType === MISSING_NAN ? 1 : 0);
  let b = 0;
  while (b < last && !(0 <= bounds[b])) b++;
  return b;
}
