import { LoomError } from '../../../core/errors/index.js';

/**
 * A dense feature matrix, row-major: `values[i * cols + j]` is feature `j` of row `i`. Missing values are NaN. The
 * caller owns `values`; learners read it and never write to it. `names[j]` names column `j` (`names.length === cols`).
 *
 * @example
 * const X = FeatureMatrix.fromRows([[1, 2], [3, 4]], ['a', 'b']);
 * X.values; // Float64Array [1, 2, 3, 4]
 */
export interface FeatureMatrix {
  readonly values: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly names: readonly string[];
}

/** Builders and a type guard for FeatureMatrix. */
export const FeatureMatrix = {
  /**
   * Wraps `values` (not copied; the caller keeps ownership) as a matrix of `cols` columns. Names default to
   * `x0`, `x1`, ….
   * @throws LOOM_ERR_MODEL_INPUT_INVALID when `cols` is not a non-negative integer, `values.length` is not a multiple
   *   of it, or `names` has the wrong length (details.field = `X`).
   */
  create(values: Float64Array, cols: number, names?: readonly string[]): FeatureMatrix {
    if (!Number.isInteger(cols) || cols < 0) invalid(`cols must be a non-negative integer, got ${cols}`);
    if (cols === 0 ? values.length !== 0 : values.length % cols !== 0) invalid(`${values.length} values do not split into rows of ${cols} columns`);
    const rows = cols === 0 ? 0 : values.length / cols;
    if (names !== undefined && names.length !== cols) invalid(`${names.length} names were given for ${cols} columns`);
    const columnNames = names === undefined ? Array.from({ length: cols }, (_, j) => `x${j}`) : [...names];
    return Object.freeze({ values, rows, cols, names: Object.freeze(columnNames) });
  },

  /**
   * Copies rows of numbers (`null` becomes NaN, a missing value) into a new matrix. Every row must have the same length.
   * @throws LOOM_ERR_MODEL_INPUT_INVALID for ragged rows (details.field = `X`).
   */
  fromRows(rows: readonly (readonly (number | null)[])[], names?: readonly string[]): FeatureMatrix {
    const cols = rows.length > 0 ? rows[0].length : (names?.length ?? 0);
    const values = new Float64Array(rows.length * cols);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row.length !== cols) invalid(`row ${i} has ${row.length} values, row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) values[i * cols + j] = row[j] ?? Number.NaN;
    }
    return FeatureMatrix.create(values, cols, names);
  },

  /** True for an object shaped like a FeatureMatrix. */
  is(value: unknown): value is FeatureMatrix {
    const v = value as FeatureMatrix | null;
    return typeof v === 'object' && v !== null && v.values instanceof Float64Array && Number.isInteger(v.rows) && Number.isInteger(v.cols) && Array.isArray(v.names);
  },
};

function invalid(problem: string): never {
  throw new LoomError('MODEL_INPUT_INVALID', { field: 'X', problem }, { details: { field: 'X' } });
}
