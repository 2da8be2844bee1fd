/** The value types a feature (or a request column of an on-demand view) can have. */
export const FEATURE_TYPES = ['float', 'int', 'bool', 'string', 'timestamp'] as const;
/** A feature's value type. `timestamp` values are UTC instants. */
export type FeatureType = (typeof FEATURE_TYPES)[number];

/** The types a join key can have. */
export const JOIN_KEY_TYPES = ['int', 'string'] as const;
/** A join key's type. */
export type JoinKeyType = (typeof JOIN_KEY_TYPES)[number];

/** @internal The DuckDB type each feature type is read as. */
export const DUCKDB_TYPE: Readonly<Record<FeatureType, string>> = {
  float: 'DOUBLE',
  int: 'BIGINT',
  bool: 'BOOLEAN',
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
};

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/;

/**
 * @internal True when a column of DuckDB type `actual` can be read as `declared` without losing meaning: any number
 * as `float`, integers as `int`, text (or an ENUM) as `string`. `naiveIsUtc` admits a zone-less TIMESTAMP as a
 * `timestamp` (Loom's own dataset versions store UTC that way).
 */
export function typeFits(declared: FeatureType, actual: string, naiveIsUtc: boolean): boolean {
  switch (declared) {
    case 'float':
      return NUMERIC.test(actual);
    case 'int':
      return INTEGER.test(actual);
    case 'bool':
      return actual === 'BOOLEAN';
    case 'string':
      return actual === 'VARCHAR' || actual.startsWith('ENUM(');
    case 'timestamp':
      return actual === 'TIMESTAMP WITH TIME ZONE' || (naiveIsUtc && /^TIMESTAMP(_S|_MS|_NS)?$/.test(actual));
  }
}

/** @internal True when `actual` is a number type (for sum, mean, min and max). */
export function isNumericType(actual: string): boolean {
  return NUMERIC.test(actual);
}
