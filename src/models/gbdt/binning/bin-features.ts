import { Random } from '../../../core/random.js';
import { featureValue, type FeatureMatrix } from '../data/feature-matrix.js';
import type { BinMapper } from './bin-mapper.js';
import { binColumn } from './bin-column.js';
import { makeBinnedDataset, type BinColumn, type BinnedDataset } from './binned-dataset.js';
import { findCategoricalBins } from './find-categorical-bins.js';
import { findNumericalBins } from './find-numerical-bins.js';

/** How training data is binned; the fields mirror the params of the same (LightGBM) names. */
export interface BinningOptions {
  readonly maxBin: number;
  readonly minDataInBin: number;
  readonly binConstructSampleCnt: number;
  readonly dataRandomSeed: number;
  readonly useMissing: boolean;
  readonly featurePreFilter: boolean;
  readonly minDataInLeaf: number;
}

/**
 * Bins the training features: bin boundaries come from a seeded sample of at most `binConstructSampleCnt` rows (all
 * rows when there are fewer), then every row is mapped. With `featurePreFilter`, features that cannot leave
 * min_data_in_leaf sampled rows on both sides of any boundary are marked trivial and never split.
 */
export function binFeatures(matrix: FeatureMatrix, options: BinningOptions): BinnedDataset {
  const rows = sampleRows(matrix.numRows, options.binConstructSampleCnt, options.dataRandomSeed);
  const filterCount = options.featurePreFilter ? Math.trunc((options.minDataInLeaf * rows.length) / matrix.numRows) : 0;
  const finding = { maxBin: options.maxBin, minDataInBin: options.minDataInBin, useMissing: options.useMissing, filterCount };
  const mappers: BinMapper[] = [];
  const bins: BinColumn[] = [];
  const sample = new Float64Array(rows.length);
  for (let f = 0; f < matrix.columns.length; f++) {
    const column = matrix.columns[f];
    for (let k = 0; k < rows.length; k++) sample[k] = featureValue(column, rows[k]);
    const mapper = matrix.categorical[f] ? findCategoricalBins(sample, finding) : findNumericalBins(sample, finding);
    mappers.push(mapper);
    bins.push(mapper.isTrivial ? new Uint8Array(0) : binColumn(column, matrix.numRows, mapper));
  }
  return makeBinnedDataset(matrix.numRows, mappers, bins);
}

/** Bins other data (a validation set) with the training mappers, so trees can be applied to it bin by bin. */
export function binWithMappers(matrix: FeatureMatrix, train: BinnedDataset): BinnedDataset {
  const bins = train.mappers.map((mapper, f) => (mapper.isTrivial ? new Uint8Array(0) : binColumn(matrix.columns[f], matrix.numRows, mapper)));
  return makeBinnedDataset(matrix.numRows, train.mappers, bins);
}

/** Ascending row indices: all rows, or `count` of them drawn without replacement (selection sampling). */
export function sampleRows(numRows: number, count: number, seed: number): Int32Array {
  if (numRows <= count) {
    const all = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) all[i] = i;
    return all;
  }
  const rng = new Random(seed);
  const out = new Int32Array(count);
  let taken = 0;
  for (let i = 0; i < numRows && taken < count; i++) {
    if (rng.nextFloat() * (numRows - i) < count - taken) out[taken++] = i;
  }
  return out;
}
