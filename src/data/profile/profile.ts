import type { ColumnTag, LogicalType } from '../../core/frame/column.js';

/** Quantile probabilities every numeric profile reports, in this order. */
export const PROFILE_QUANTILES: readonly number[] = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];

/** Stats of a numeric or timestamp column (timestamps in epoch ms, UTC). Computed over non-null, non-NaN values. */
export interface NumericStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 denominator); 0 for a single value. */
  readonly std: number;
  /** Values at PROFILE_QUANTILES, same order (type-7 interpolation). The first and last are always the exact min and max. */
  readonly quantiles: readonly number[];
  /**
   * Where the inner quantiles come from: `all` values (tables up to PROFILE_EXACT_QUANTILE_ROWS rows), or the seeded
   * `sample` (larger tables, where exact quantiles of every column cost more than the rest of ingest).
   */
  readonly quantileSource: 'all' | 'sample';
  /** Equal-width histogram: `edges.length === counts.length + 1`; the last bin is closed on the right. */
  readonly histogram: { readonly edges: readonly number[]; readonly counts: readonly number[] };
  /**
   * A seeded uniform sample of at most PROFILE_SAMPLE_SIZE values, sorted ascending. Distribution checks (KS,
   * Wasserstein) compare new data against it without keeping the reference data.
   */
  readonly sample: readonly number[];
  /** Count of zeros, NaNs and infinities among non-null values. */
  readonly zeros: number;
  readonly nans: number;
  readonly infinities: number;
}

/** Stats of a category, string or bool column. */
export interface CategoricalStats {
  /** The most frequent values with counts, most frequent first, ties by value; at most PROFILE_TOP_K entries. */
  readonly top: readonly { readonly value: string; readonly count: number }[];
  /** Non-null rows whose value is not in `top`. */
  readonly otherCount: number;
  /** Min/max string length in UTF-16 code units (strings and categories only). */
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** Per-column profile. `count` is non-null rows; `count + nulls` is the row count. */
export interface ColumnProfile {
  readonly name: string;
  readonly type: LogicalType;
  readonly tags: readonly ColumnTag[];
  readonly count: number;
  readonly nulls: number;
  /** Exact distinct non-null values. */
  readonly distinct: number;
  readonly numeric?: NumericStats;
  readonly categorical?: CategoricalStats;
}

/** A dataset profile: row count plus one entry per column, in schema order. Serializable as JSON. */
export interface Profile {
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
}

/** Tables with more rows than this get their inner quantiles from the profile sample instead of every value. */
export const PROFILE_EXACT_QUANTILE_ROWS = 200_000;
/** Maximum size of NumericStats.sample. */
export const PROFILE_SAMPLE_SIZE = 2000;
/** Maximum entries in CategoricalStats.top. */
export const PROFILE_TOP_K = 50;
/** Bins in NumericStats.histogram. */
export const PROFILE_HISTOGRAM_BINS = 20;
