import { MISSING_NAN, type BinMapper } from '../binning/bin-mapper.js';
import { HIST_STRIDE } from '../histogram/histogram-layout.js';
import { leafGain, leafOutput, splitGain } from './leaf-output.js';
import type { SplitCandidate } from './split-candidate.js';
import type { SplitRules } from './split-rules.js';

/** A numerical scan: NumericalScan (the kernel) or stored results of it (parallel-split-scan.ts). */
export interface SplitScan {
  /** A histogram can be scanned when it is a view of this buffer. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  scan(histAt: number, from: number, to: number, step: number, sumG: number, sumH: number, count: number, minData: number, minHess: number, l1: number, l2: number, shift: number): boolean;
  readonly bestGain: number;
  readonly threshold: number;
  readonly leftG: number;
  readonly leftH: number;
  readonly leftCount: number;
}

/** True when splits are searched without monotone constraints or max_delta_step: the case the scan kernel runs. */
export function isPlainScan(rules: SplitRules): boolean {
  return !rules.constrained && !(rules.maxDeltaStep > 0);
}

/**
 * Finds the best threshold of one numerical feature from a leaf's histogram (the feature's bins start at bin
 * `binOffset`), writing it to `out` (gain -Infinity when none qualifies). Returns whether any threshold passed the
 * gain check, which marks the feature splittable in this leaf.
 *
 * As LightGBM: thresholds are scanned from the right (missing values, if the feature has a NaN bin, go left), and
 * when the feature has a NaN bin and more than two bins, also from the left (missing values go right); the
 * left-to-right scan must beat the other strictly. Both sides need min_data_in_leaf rows and
 * min_sum_hessian_in_leaf hessian, and a split must gain more than the leaf alone plus min_gain_to_split.
 *
 * With `scan` (and `hist` a view of its memory) and no monotone constraints or max_delta_step, the scans run in
 * WebAssembly (numerical-scan-kernel.ts), with the same result bit for bit.
 */
export function findNumericalSplit(
  hist: Float64Array, binOffset: number, mapper: BinMapper,
  sumG: number, sumH: number, count: number, rules: SplitRules,
  min: number, max: number, monotone: number, out: SplitCandidate, scan: SplitScan | null = null,
): boolean {
  out.gain = Number.NEGATIVE_INFINITY;
  out.monotone = monotone;
  out.numCat = 0;
  const numBins = mapper.numBins;
  const hasNaN = mapper.missingType === MISSING_NAN;
  const minGainShift = leafGain(sumG, sumH, rules) + rules.minGainToSplit;
  const base = binOffset * HIST_STRIDE;
  // Rules in locals; without monotone constraints or max_delta_step the gain is computed inline below, with the
  // same operations in the same order as splitGain, so the same bits.
  const minData = rules.minDataInLeaf;
  const minHess = rules.minSumHessianInLeaf;
  const plain = isPlainScan(rules);
  const l1 = rules.l1;
  const l2 = rules.l2;
  const naAsMissing = hasNaN && numBins > 2;
  if (plain && scan !== null && hist.buffer === scan.buffer) {
    const at = hist.byteOffset + 8 * base;
    let splittable = scan.scan(at, numBins - 1 - (naAsMissing ? 1 : 0), 1, -1, sumG, sumH, count, minData, minHess, l1, l2, minGainShift);
    if (splittable) record(out, scan.bestGain - minGainShift, scan.threshold, naAsMissing || !hasNaN, scan.leftG, scan.leftH, scan.leftCount, sumG, sumH, count, rules, min, max);
    if (naAsMissing && scan.scan(at, 0, numBins - 2, 1, sumG, sumH, count, minData, minHess, l1, l2, minGainShift)) {
      splittable = true;
      if (scan.bestGain - minGainShift > out.gain) record(out, scan.bestGain - minGainShift, scan.threshold, false, scan.leftG, scan.leftH, scan.leftCount, sumG, sumH, count, rules, min, max);
    }
    return splittable;
  }
  let splittable = false;
  let bestGain = Number.NEGATIVE_INFINITY;
  let bestLG = 0, bestLH = 0, bestLC = 0, bestThreshold = 0;

  // Right to left: bins above the threshold go right; the NaN bin (when skipped) stays left.
  let rg = 0, rh = 0, rc = 0;
  for (let t = numBins - 1 - (naAsMissing ? 1 : 0); t >= 1; t--) {
    const at = base + t * HIST_STRIDE;
    rg += hist[at];
    rh += hist[at + 1];
    rc += hist[at + 2];
    if (rc < minData || rh < minHess) continue;
    const lc = count - rc;
    if (lc < minData) break;
    const lh = sumH - rh;
    if (lh < minHess) break;
    const lg = sumG - rg;
    const gain = plain ? plainGain(lg, lh, l1, l2) + plainGain(rg, rh, l1, l2) : splitGain(lg, lh, rg, rh, rules, rules.constrained, min, max, monotone);
    if (gain <= minGainShift) continue;
    splittable = true;
    if (gain > bestGain) {
      bestGain = gain;
      bestLG = lg;
      bestLH = lh;
      bestLC = lc;
      bestThreshold = t - 1;
    }
  }
  if (splittable) record(out, bestGain - minGainShift, bestThreshold, naAsMissing || !hasNaN, bestLG, bestLH, bestLC, sumG, sumH, count, rules, min, max);

  if (naAsMissing) {
    // Left to right over the value bins; the NaN bin goes right.
    const firstGain = out.gain;
    bestGain = Number.NEGATIVE_INFINITY;
    let lg = 0, lh = 0, lc = 0;
    let found = false;
    for (let t = 0; t <= numBins - 2; t++) {
      const at = base + t * HIST_STRIDE;
      lg += hist[at];
      lh += hist[at + 1];
      lc += hist[at + 2];
      if (lc < minData || lh < minHess) continue;
      const rcount = count - lc;
      if (rcount < minData) break;
      const rhess = sumH - lh;
      if (rhess < minHess) break;
      const gain = plain ? plainGain(lg, lh, l1, l2) + plainGain(sumG - lg, rhess, l1, l2) : splitGain(lg, lh, sumG - lg, rhess, rules, rules.constrained, min, max, monotone);
      if (gain <= minGainShift) continue;
      found = true;
      if (gain > bestGain) {
        bestGain = gain;
        bestLG = lg;
        bestLH = lh;
        bestLC = lc;
        bestThreshold = t;
      }
    }
    if (found) {
      splittable = true;
      if (bestGain - minGainShift > firstGain) record(out, bestGain - minGainShift, bestThreshold, false, bestLG, bestLH, bestLC, sumG, sumH, count, rules, min, max);
    }
  }
  return splittable;
}

/** leafGain without max_delta_step, on plain numbers: thresholdL1(g)² / (h + l2), 0 when h + l2 is not positive. */
function plainGain(g: number, h: number, l1: number, l2: number): number {
  const denominator = h + l2;
  if (!(denominator > 0)) return 0;
  const shrunk = Math.abs(g) - l1;
  const gl1 = shrunk > 0 ? (g > 0 ? shrunk : -shrunk) : 0;
  return (gl1 * gl1) / denominator;
}

function record(
  out: SplitCandidate, gain: number, threshold: number, defaultLeft: boolean,
  lg: number, lh: number, lc: number, sumG: number, sumH: number, count: number,
  rules: SplitRules, min: number, max: number,
): void {
  out.gain = gain;
  out.thresholdBin = threshold;
  out.defaultLeft = defaultLeft;
  out.leftG = lg;
  out.leftH = lh;
  out.leftCount = lc;
  out.rightG = sumG - lg;
  out.rightH = sumH - lh;
  out.rightCount = count - lc;
  out.leftOutput = leafOutput(lg, lh, rules, min, max);
  out.rightOutput = leafOutput(sumG - lg, sumH - lh, rules, min, max);
}
