/**
 * The split search of a tree step, shared by the histogram threads. Once both children's histograms are wanted, each
 * thread takes a contiguous range of the features to search and, per feature: derives its skipped bin in the smaller
 * child (row-wise groups), subtracts the smaller child from the parent to get the larger child, and runs the
 * numerical scans (numerical-scan-kernel.ts) of both children, storing each scan's result. The calling thread then
 * evaluates every feature in order as before, with findNumericalSplit reading the stored results (StoredScan) in
 * place of running the kernel, so the chosen split is the one a single thread finds, bit for bit.
 *
 * Only the plain case runs here: no monotone constraints and no max_delta_step (the scan kernel's own condition).
 * Categorical features are derived and subtracted by the threads but searched by the calling thread.
 */
import { MISSING_NAN, type BinMapper } from '../binning/bin-mapper.js';
import { HIST_STRIDE } from '../histogram/histogram-layout.js';
import type { HistogramWorkspace } from '../histogram/histogram-workspace.js';
import { SPLIT_SCAN_DOUBLES, SPLIT_SCAN_PARAMS } from '../histogram/workspace-layout.js';
import { deriveSkippedBin } from '../histogram/sparse-rows.js';
import type { HistogramSubtractor } from '../histogram/subtract-kernel.js';
import type { SplitScan } from './find-numerical-split.js';
import type { NumericalScan } from './numerical-scan-kernel.js';

/** What the threads do with a feature: derive and subtract only (categorical), scan right to left, or both ways. */
export const SCAN_MODE = { none: 0, numerical: 1, nanAsMissing: 2 } as const;
/** Doubles of one scan's result: found (1 or 0), best gain, threshold, left gradient, left hessian, left count. */
const RESULT = 6;
/** Parameter slots: each child's sums and gain shift, then the rules the scan takes. */
const P = { smallG: 0, smallH: 1, smallN: 2, smallShift: 3, largeG: 4, largeH: 5, largeN: 6, largeShift: 7, minData: 8, minHess: 9, l1: 10, l2: 11 } as const;

/** The scan mode of a feature, from the same conditions findNumericalSplit applies. */
export function scanModeOf(mapper: BinMapper): number {
  if (mapper.kind !== 'numerical') return SCAN_MODE.none;
  return mapper.missingType === MISSING_NAN && mapper.numBins > 2 ? SCAN_MODE.nanAsMissing : SCAN_MODE.numerical;
}

/** Views of the workspace's split-search area (HistogramWorkspaceLayout.scan*), on any thread. */
export class SplitScanArea {
  /** The features to search, in the order the calling thread evaluates them. */
  readonly features: Int32Array;
  readonly modes: Uint8Array;
  readonly params: Float64Array;
  readonly results: Float64Array;

  constructor(workspace: HistogramWorkspace) {
    const { memory, scanFeaturesAt, scanModesAt, scanParamsAt, scanResultsAt, numBins } = workspace.layout;
    this.features = new Int32Array(memory.buffer, scanFeaturesAt, numBins.length);
    this.modes = new Uint8Array(memory.buffer, scanModesAt, numBins.length);
    this.params = new Float64Array(memory.buffer, scanParamsAt, SPLIT_SCAN_PARAMS);
    this.results = new Float64Array(memory.buffer, scanResultsAt, SPLIT_SCAN_DOUBLES * numBins.length);
  }

  /** Writes the per-training part: each feature's scan mode and the scan's rules. */
  setRules(mappers: readonly BinMapper[], minData: number, minHess: number, l1: number, l2: number): void {
    mappers.forEach((m, f) => (this.modes[f] = scanModeOf(m)));
    this.params[P.minData] = minData;
    this.params[P.minHess] = minHess;
    this.params[P.l1] = l1;
    this.params[P.l2] = l2;
  }

  /** Writes one step's part: the features to search and each child's sums and gain shift (larger: none when absent). */
  setStep(features: Int32Array, n: number, small: readonly [number, number, number, number], large: readonly [number, number, number, number] | null): void {
    this.features.set(features.subarray(0, n));
    this.params.set(small, P.smallG);
    if (large !== null) this.params.set(large, P.largeG);
  }
}

/**
 * Derives, subtracts and scans the listed features `from .. to` (positions in `area.features`) for the smaller child
 * in histogram buffer `smallId` and the larger in `largeId` (-1: none), storing each scan's result.
 */
export function scanFeatureRange(workspace: HistogramWorkspace, area: SplitScanArea, scan: NumericalScan, subtractor: HistogramSubtractor, from: number, to: number, smallId: number, largeId: number): void {
  const { histOffsets, numBins, skipBin } = workspace.layout;
  const p = area.params;
  const small = workspace.histogram(smallId);
  const large = largeId >= 0 ? workspace.histogram(largeId) : null;
  for (let k = from; k < to; k++) {
    const f = area.features[k];
    const offset = histOffsets[f];
    if (skipBin[f] >= 0) deriveSkippedBin(small, offset, numBins[f], skipBin[f], p[P.smallG], p[P.smallH], p[P.smallN]);
    scanLeaf(area, scan, k, 0, small, offset, numBins[f], area.modes[f], P.smallG);
    if (large === null) continue;
    subtractor.subtract(large, small, offset, numBins[f]);
    scanLeaf(area, scan, k, 1, large, offset, numBins[f], area.modes[f], P.largeG);
  }
}

/** Runs the scans findNumericalSplit would run for listed feature `k` in child `leaf` (0 smaller, 1 larger). */
function scanLeaf(area: SplitScanArea, scan: NumericalScan, k: number, leaf: number, hist: Float64Array, offset: number, numBins: number, mode: number, sums: number): void {
  if (mode === SCAN_MODE.none) return;
  const p = area.params;
  const at = hist.byteOffset + 8 * offset * HIST_STRIDE;
  const out = (k * 2 + leaf) * 2 * RESULT;
  const nan = mode === SCAN_MODE.nanAsMissing;
  store(area.results, out, scan, scan.scan(at, numBins - 1 - (nan ? 1 : 0), 1, -1, p[sums], p[sums + 1], p[sums + 2], p[P.minData], p[P.minHess], p[P.l1], p[P.l2], p[sums + 3]));
  if (nan) store(area.results, out + RESULT, scan, scan.scan(at, 0, numBins - 2, 1, p[sums], p[sums + 1], p[sums + 2], p[P.minData], p[P.minHess], p[P.l1], p[P.l2], p[sums + 3]));
}

function store(results: Float64Array, at: number, scan: NumericalScan, found: boolean): void {
  results[at] = found ? 1 : 0;
  results[at + 1] = scan.bestGain;
  results[at + 2] = scan.threshold;
  results[at + 3] = scan.leftG;
  results[at + 4] = scan.leftH;
  results[at + 5] = scan.leftCount;
}

/**
 * The stored scans of one listed feature and child, in NumericalScan's shape: `scan()` answers with the right-to-left
 * result for step -1 and the left-to-right one for step 1, ignoring its other arguments (the threads ran it with
 * exactly these). Select the feature and child first.
 */
export class StoredScan implements SplitScan {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly #results: Float64Array;
  #base = 0;
  #at = 0;

  constructor(area: SplitScanArea) {
    this.#results = area.results;
    this.buffer = area.results.buffer;
  }

  /** Listed feature `k`, child `leaf` (0 smaller, 1 larger). */
  select(k: number, leaf: number): this {
    this.#base = (k * 2 + leaf) * 2 * RESULT;
    return this;
  }

  scan(_histAt: number, _from: number, _to: number, step: number): boolean {
    this.#at = this.#base + (step < 0 ? 0 : RESULT);
    return this.#results[this.#at] === 1;
  }

  get bestGain(): number { return this.#results[this.#at + 1]; }
  get threshold(): number { return this.#results[this.#at + 2]; }
  get leftG(): number { return this.#results[this.#at + 3]; }
  get leftH(): number { return this.#results[this.#at + 4]; }
  get leftCount(): number { return this.#results[this.#at + 5]; }
}
