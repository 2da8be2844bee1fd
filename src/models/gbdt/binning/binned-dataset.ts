import type { BinMapper } from './bin-mapper.js';

/** One feature's bins, one per row: Uint8Array when the feature has at most 256 bins, else Uint16Array. */
export type BinColumn = Uint8Array | Uint16Array;

/**
 * Training data after binning, column-major: `bins[f][row]` is the bin of feature `f` in `row`. Leaf histograms are
 * flat arrays over every used feature's bins: feature `f`'s bin `b` is entry `histOffsets[f] + b`.
 */
export interface BinnedDataset {
  readonly numRows: number;
  readonly numFeatures: number;
  /** Per feature; an empty array for trivial features, which are never split. */
  readonly bins: readonly BinColumn[];
  readonly mappers: readonly BinMapper[];
  /** Per feature: where its bins start in a leaf histogram, or -1 for a trivial feature. */
  readonly histOffsets: Int32Array;
  /** Bins of all used features together: the length of a leaf histogram in bins. */
  readonly totalBins: number;
  /** Indices of the features that can be split, ascending. */
  readonly usedFeatures: Int32Array;
}

/** Lays out histogram offsets for `mappers`, skipping trivial features. `bins` must already be filled. */
export function makeBinnedDataset(numRows: number, mappers: readonly BinMapper[], bins: readonly BinColumn[]): BinnedDataset {
  const histOffsets = new Int32Array(mappers.length).fill(-1);
  const used: number[] = [];
  let totalBins = 0;
  for (let f = 0; f < mappers.length; f++) {
    if (mappers[f].isTrivial) continue;
    histOffsets[f] = totalBins;
    totalBins += mappers[f].numBins;
    used.push(f);
  }
  return { numRows, numFeatures: mappers.length, bins, mappers, histOffsets, totalBins, usedFeatures: Int32Array.from(used) };
}
