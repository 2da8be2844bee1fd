import { MISSING_NAN, MISSING_NONE, type BinMapper } from './bin-mapper.js';
import type { BinFindingOptions } from './find-numerical-bins.js';

/** Share of the sampled rows the kept categories must cover before rarer ones may be dropped (LightGBM's 0.99f). */
const KEEP_SHARE = Math.fround(0.99);

/**
 * Finds the bins of a categorical feature from a sample of its values (integer codes; NaN or negative = missing), as
 * LightGBM v4 does: bin 0 is reserved for missing and left-out categories, then categories take bins 1.. in order of
 * decreasing count (ties by smaller code) until they cover 99% of the rows and the bin budget
 * (min(max_bin, distinct categories + 1 if any missing)) is spent; after the first two, a category seen fewer than
 * min_data_in_bin times stops the list. Left-out categories share bin 0 with missing values.
 */
export function findCategoricalBins(sample: Float64Array, options: BinFindingOptions): BinMapper {
  const total = sample.length;
  const countByCode = new Map<number, number>();
  let naCount = 0;
  // Codes are usually small integers: count them in a dense array, and only the rare large ones in the Map.
  const dense = new Int32Array(1024);
  for (let i = 0; i < total; i++) {
    const v = sample[i];
    const code = v !== v ? -1 : Math.trunc(v);
    if (code < 0) naCount++;
    else if (code < dense.length) dense[code]++;
    else countByCode.set(code, (countByCode.get(code) ?? 0) + 1);
  }
  for (let code = 0; code < dense.length; code++) if (dense[code] > 0) countByCode.set(code, dense[code]);
  const codes = [...countByCode.keys()].sort((a, b) => a - b);
  const minValue = codes.length > 0 ? codes[0] : Number.NaN;
  const maxValue = codes.length > 0 ? codes[codes.length - 1] : Number.NaN;
  // Stable: equal counts keep ascending code order.
  codes.sort((a, b) => countByCode.get(b)! - countByCode.get(a)!);
  const binToCategory: number[] = [-1];
  const inBin: number[] = [0];
  let used = 0;
  let kept = 0;
  if (total - naCount > 0) {
    const cut = Math.trunc((total - naCount) * KEEP_SHARE + 0.5);
    const maxBin = Math.min(codes.length + (naCount > 0 ? 1 : 0), options.maxBin);
    while (kept < codes.length && (used < cut || binToCategory.length < maxBin)) {
      const count = countByCode.get(codes[kept])!;
      if (count < options.minDataInBin && kept > 1) break;
      binToCategory.push(codes[kept]);
      inBin.push(count);
      used += count;
      kept++;
    }
  }
  inBin[0] = total - used;
  const numBins = binToCategory.length;
  let isTrivial = numBins <= 1;
  if (!isTrivial && options.filterCount > 0 && numBins <= 2) {
    isTrivial = !(inBin[0] >= options.filterCount && total - inBin[0] >= options.filterCount);
  }
  const categoryToBin = new Map<number, number>();
  for (let b = 1; b < numBins; b++) categoryToBin.set(binToCategory[b], b);
  return {
    kind: 'categorical',
    numBins,
    missingType: kept === codes.length && naCount === 0 ? MISSING_NONE : MISSING_NAN,
    upperBounds: new Float64Array(0),
    binToCategory: Int32Array.from(binToCategory),
    categoryToBin,
    isTrivial,
    defaultBin: categoryToBin.get(0) ?? 0,
    minValue,
    maxValue,
  };
}
