/** Storage a feature column may have. Float arrays use NaN for missing; any kind may add a validity bitmap. */
export type FeatureValues = Float64Array | Float32Array | Int32Array | Uint8Array;

/** One raw feature column: values plus an optional validity bitmap (bit i of byte i>>3 set = row i present). */
export interface FeatureColumn {
  readonly values: FeatureValues;
  readonly validity: Uint8Array | null;
}

/**
 * The learner's view of raw training or prediction input: column-major feature values, their names, which are
 * categorical, and for categorical columns that came from a Frame, the dictionary the codes index. Columns share
 * memory with the caller's Frame or arrays; nothing here is copied.
 */
export interface FeatureMatrix {
  readonly numRows: number;
  readonly columns: readonly FeatureColumn[];
  readonly names: readonly string[];
  /** Per feature: true when its values are integer category codes (negative or missing = missing). */
  readonly categorical: readonly boolean[];
  /** Per feature: the category strings the codes index, when known (Frame `category` columns); otherwise null. */
  readonly dictionaries: readonly (readonly string[] | null)[];
}

/** The value of row `i` of `column`, NaN when the validity bitmap marks it missing. */
export function featureValue(column: FeatureColumn, i: number): number {
  const validity = column.validity;
  if (validity !== null && (validity[i >> 3] & (1 << (i & 7))) === 0) return Number.NaN;
  return column.values[i];
}
