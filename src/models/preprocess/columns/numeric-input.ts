import type { Column, FloatColumn } from '../../../core/frame/column.js';
import { isValid } from '../../../core/frame/validity.js';
import { requireType } from './step-column.js';

/** Logical types numeric steps (imputers, scalers, ratios) read. Booleans read as 0/1. */
export const NUMERIC_TYPES = ['float', 'int', 'bool'] as const;

/**
 * A numeric column's values as a new Float64Array the caller owns, with NaN for null rows (and for NaN values).
 * @throws LOOM_ERR_PREPROCESS_COLUMN_TYPE when the column is not float, int or bool.
 */
export function readNumeric(column: Column, label: string): Float64Array {
  requireType(column, NUMERIC_TYPES, label);
  const source = (column as Extract<Column, { type: 'float' | 'int' | 'bool' }>).values;
  const out = new Float64Array(column.length);
  const validity = column.validity;
  for (let i = 0; i < out.length; i++) out[i] = validity === null || isValid(validity, i) ? source[i] : Number.NaN;
  return out;
}

/** The non-NaN entries of `values`, in order, as a new array. */
export function presentValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[k++] = values[i];
  return out;
}

/** A float column over `values` (owned by the column from now on), with an optional validity bitmap. */
export function floatOutput(name: string, values: Float64Array, validity: Uint8Array | null = null): FloatColumn {
  return { type: 'float', name, length: values.length, values, validity, tags: [] };
}

/** A validity bitmap that is 0 exactly where `values` is NaN, or null when no value is NaN. */
export function validityFromNaN(values: Float64Array): Uint8Array | null {
  let bitmap: Uint8Array | null = null;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      if (bitmap === null) bitmap = new Uint8Array((values.length + 7) >> 3).fill(0xff);
      bitmap[i >> 3] &= ~(1 << (i & 7));
    }
  }
  return bitmap;
}
