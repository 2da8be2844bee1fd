/** Logical column types. Storage per type is fixed; see each column interface. */
export type LogicalType = 'float' | 'int' | 'bool' | 'category' | 'string' | 'timestamp' | 'embedding';

/** All logical types, in docs order. */
export const LOGICAL_TYPES: readonly LogicalType[] = ['float', 'int', 'bool', 'category', 'string', 'timestamp', 'embedding'];

/** Semantic tags a column may carry. They drive pseudonymization (`pii`), training (`target`, `id`) and fairness (`sensitive`). */
export type ColumnTag = 'pii' | 'id' | 'target' | 'timestamp' | 'sensitive';

/** All column tags. */
export const COLUMN_TAGS: readonly ColumnTag[] = ['pii', 'id', 'target', 'timestamp', 'sensitive'];

interface ColumnCommon {
  readonly name: string;
  readonly length: number;
  /**
   * Validity bitmap: bit `i % 8` of byte `i >> 3` is 1 when row `i` holds a value. `null` means every row is valid.
   * The value slot of an invalid row is unspecified (0, '' or -1 for category codes).
   */
  readonly validity: Uint8Array | null;
  readonly tags: readonly ColumnTag[];
}

/** 64-bit floats. NaN is a value, not a null; nulls live in the validity bitmap. */
export interface FloatColumn extends ColumnCommon {
  readonly type: 'float';
  readonly values: Float64Array;
}

/** Integers. Int32Array when every value fits in 32 bits, otherwise Float64Array (exact up to 2^53). */
export interface IntColumn extends ColumnCommon {
  readonly type: 'int';
  readonly values: Int32Array | Float64Array;
}

/** Booleans as 0/1 bytes. */
export interface BoolColumn extends ColumnCommon {
  readonly type: 'bool';
  readonly values: Uint8Array;
}

/** Dictionary-encoded strings: `codes[i]` indexes `dictionary`, and is -1 for a null row. */
export interface CategoryColumn extends ColumnCommon {
  readonly type: 'category';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/** Free-form strings (high cardinality: ids, text). Null rows hold ''. */
export interface StringColumn extends ColumnCommon {
  readonly type: 'string';
  readonly values: readonly string[];
}

/** Instants as epoch milliseconds, UTC. */
export interface TimestampColumn extends ColumnCommon {
  readonly type: 'timestamp';
  readonly values: Float64Array;
}

/** Fixed-size vectors stored row-major: row `i` is `values.subarray(i * dim, (i + 1) * dim)`. */
export interface EmbeddingColumn extends ColumnCommon {
  readonly type: 'embedding';
  readonly dim: number;
  readonly values: Float32Array;
}

/** A typed column. Discriminate on `type`. */
export type Column =
  | FloatColumn
  | IntColumn
  | BoolColumn
  | CategoryColumn
  | StringColumn
  | TimestampColumn
  | EmbeddingColumn;
