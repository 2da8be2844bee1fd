import type { BinMapper } from '../binning/bin-mapper.js';
import { HIST_STRIDE } from '../histogram/histogram-layout.js';
import { leafGain, leafOutput, splitGain, type LeafRegularization } from './leaf-output.js';
import type { SplitCandidate } from './split-candidate.js';
import type { SplitRules } from './split-rules.js';

/**
 * Finds the best category split of one categorical feature, as LightGBM does. Bin 0 (missing and left-out
 * categories) always goes right.
 *
 * - At most max_cat_to_onehot bins: one category against the rest.
 * - Otherwise: categories with at least cat_smooth rows are sorted by G/(H + cat_smooth), and prefixes of that order,
 *   taken from either end and holding at most max_cat_threshold categories (and at most half of them), are tried as
 *   the left set; groups must hold min_data_per_group rows, and leaf values use lambda_l2 + cat_l2.
 *
 * `scratchBins`/`scratchKeys` are caller-owned with at least `mapper.numBins` entries. Returns whether any split passed
 * the gain check (the feature is splittable in this leaf).
 */
export function findCategoricalSplit(
  hist: Float64Array, binOffset: number, mapper: BinMapper,
  sumG: number, sumH: number, count: number, rules: SplitRules,
  min: number, max: number, out: SplitCandidate,
  scratchBins: Int32Array, scratchKeys: Float64Array,
): boolean {
  out.gain = Number.NEGATIVE_INFINITY;
  out.monotone = 0;
  out.numCat = 0;
  out.defaultLeft = false;
  const numBins = mapper.numBins;
  const base = binOffset * HIST_STRIDE;
  const minGainShift = leafGain(sumG, sumH, rules) + rules.minGainToSplit;
  let splittable = false;
  let bestGain = Number.NEGATIVE_INFINITY;
  let bestLG = 0, bestLH = 0, bestLC = 0;
  let reg: LeafRegularization = rules;

  if (numBins <= rules.maxCatToOnehot) {
    let bestBin = -1;
    for (let t = 1; t < numBins; t++) {
      const at = base + t * HIST_STRIDE;
      const g = hist[at], h = hist[at + 1], c = hist[at + 2];
      if (c < rules.minDataInLeaf || h < rules.minSumHessianInLeaf) continue;
      if (count - c < rules.minDataInLeaf) continue;
      const otherH = sumH - h;
      if (otherH < rules.minSumHessianInLeaf) continue;
      const gain = splitGain(sumG - g, otherH, g, h, rules, rules.constrained, min, max, 0);
      if (gain <= minGainShift) continue;
      splittable = true;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = t;
        bestLG = g;
        bestLH = h;
        bestLC = c;
      }
    }
    if (splittable) {
      out.catBins[0] = bestBin;
      out.numCat = 1;
    }
  } else {
    let used = 0;
    for (let t = 1; t < numBins; t++) {
      const at = base + t * HIST_STRIDE;
      if (hist[at + 2] >= rules.catSmooth) {
        scratchBins[used] = t;
        scratchKeys[used] = hist[at] / (hist[at + 1] + rules.catSmooth);
        used++;
      }
    }
    sortByKey(scratchBins, scratchKeys, used);
    reg = rules.categorical;
    const maxNumCat = Math.min(rules.maxCatThreshold, (used + 1) >> 1);
    let bestCount = 0;
    let bestForward = true;
    for (let direction = 0; direction < 2; direction++) {
      const forward = direction === 0;
      let lg = 0, lh = 0, lc = 0, groupCount = 0;
      for (let i = 0; i < used && i < maxNumCat; i++) {
        const t = scratchBins[forward ? i : used - 1 - i];
        const at = base + t * HIST_STRIDE;
        lg += hist[at];
        lh += hist[at + 1];
        lc += hist[at + 2];
        groupCount += hist[at + 2];
        if (lc < rules.minDataInLeaf || lh < rules.minSumHessianInLeaf) continue;
        const rc = count - lc;
        if (rc < rules.minDataInLeaf || rc < rules.minDataPerGroup) break;
        const rh = sumH - lh;
        if (rh < rules.minSumHessianInLeaf) break;
        if (groupCount < rules.minDataPerGroup) continue;
        groupCount = 0;
        const gain = splitGain(lg, lh, sumG - lg, rh, reg, rules.constrained, min, max, 0);
        if (gain <= minGainShift) continue;
        splittable = true;
        if (gain > bestGain) {
          bestGain = gain;
          bestLG = lg;
          bestLH = lh;
          bestLC = lc;
          bestCount = i + 1;
          bestForward = forward;
        }
      }
    }
    if (splittable) {
      for (let i = 0; i < bestCount; i++) out.catBins[i] = scratchBins[bestForward ? i : used - 1 - i];
      out.numCat = bestCount;
    }
  }
  if (splittable) {
    out.gain = bestGain - minGainShift;
    out.leftG = bestLG;
    out.leftH = bestLH;
    out.leftCount = bestLC;
    out.rightG = sumG - bestLG;
    out.rightH = sumH - bestLH;
    out.rightCount = count - bestLC;
    out.leftOutput = leafOutput(bestLG, bestLH, reg, min, max);
    out.rightOutput = leafOutput(sumG - bestLG, sumH - bestLH, reg, min, max);
  }
  return splittable;
}

/** Stable insertion sort of the first `n` bins by ascending key (n is at most a few hundred). */
function sortByKey(bins: Int32Array, keys: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const bin = bins[i];
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      bins[j + 1] = bins[j];
      keys[j + 1] = keys[j];
      j--;
    }
    bins[j + 1] = bin;
    keys[j + 1] = key;
  }
}
