/** How a numerical feature's missing values are stored: none seen in the bin sample, or a NaN bin of their own. */
export type MissingType = 0 | 2;

/** No missing values were seen when the bins were found; NaN is treated as 0 (LightGBM's MissingType::None). */
export const MISSING_NONE = 0;
/** The last bin holds missing values (LightGBM's MissingType::NaN). The value 1 (Zero) is reserved for LightGBM. */
export const MISSING_NAN = 2;

/**
 * Maps one feature's raw values to bins, as found from a sample of the training data.
 *
 * Numerical: bin `b` holds the values `v` with `upperBounds[b-1] < v <= upperBounds[b]`; the last value bound is
 * +Infinity, and with missingType MISSING_NAN the final bin (bound NaN) holds missing values.
 * Categorical: bin 0 holds missing, negative and rare or unseen categories; bins 1.. hold one category each, most
 * frequent first (`binToCategory[b]`).
 */
export interface BinMapper {
  readonly kind: 'numerical' | 'categorical';
  readonly numBins: number;
  readonly missingType: MissingType;
  /** Numerical only (empty for categorical): the inclusive upper bound of each bin. */
  readonly upperBounds: Float64Array;
  /** Categorical only (empty for numerical): the category code of each bin; bin 0 is -1. */
  readonly binToCategory: Int32Array;
  /** Categorical only: category code → bin. */
  readonly categoryToBin: ReadonlyMap<number, number>;
  /** True when the feature cannot be split (one bin, or too few rows on any side under min_data_in_leaf). */
  readonly isTrivial: boolean;
  /** The bin of the value 0. */
  readonly defaultBin: number;
  /** Smallest and largest value in the bin sample (0 counts as a value; NaN for an all-missing sample). */
  readonly minValue: number;
  readonly maxValue: number;
}

/** The bin that holds missing values, for splits to send by default_left: the last one with MISSING_NAN, else -1. */
export function nanBinOf(mapper: BinMapper): number {
  return mapper.missingType === MISSING_NAN ? mapper.numBins - 1 : -1;
}

/**
 * The bin of `value` under `mapper`: a binary search over the upper bounds for numerical features, a lookup for
 * categorical ones. NaN goes to the NaN bin when there is one, otherwise it is read as 0 (numerical) or bin 0
 * (categorical). Categories are truncated toward zero, as LightGBM does.
 */
export function valueToBin(mapper: BinMapper, value: number): number {
  if (mapper.kind === 'categorical') {
    if (Number.isNaN(value)) return 0;
    const code = Math.trunc(value);
    if (code < 0) return 0;
    return mapper.categoryToBin.get(code) ?? 0;
  }
  if (Number.isNaN(value)) {
    if (mapper.missingType === MISSING_NAN) return mapper.numBins - 1;
    value = 0;
  }
  const bounds = mapper.upperBounds;
  let lo = 0;
  let hi = mapper.numBins - 1 - (mapper.missingType === MISSING_NAN ? 1 : 0);
  while (lo < hi) {
    const mid = (lo + hi - 1) >> 1;
    if (value <= bounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
