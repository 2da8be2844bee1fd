import type { Column, ColumnTag } from './column.js';
import { isValid, sliceValidity, takeValidity } from './validity.js';

/**
 * Rows [start, end) of a column. Typed-array values are zero-copy views (`subarray`), so a slice shares memory with
 * its source; the validity bitmap is copied because it must start at bit 0.
 */
export function sliceColumn(column: Column, start: number, end: number): Column {
  const validity = sliceValidity(column.validity, start, end);
  const length = end - start;
  switch (column.type) {
    case 'category':
      return { ...column, length, validity, codes: column.codes.subarray(start, end) };
    case 'string':
      return { ...column, length, validity, values: column.values.slice(start, end) };
    case 'embedding':
      return { ...column, length, validity, values: column.values.subarray(start * column.dim, end * column.dim) };
    default:
      return { ...column, length, validity, values: column.values.subarray(start, end) } as Column;
  }
}

/** Gathers the rows at `indices` (in that order, repeats allowed) into a new column that owns its memory. */
export function takeColumn(column: Column, indices: Int32Array): Column {
  const validity = takeValidity(column.validity, indices);
  const length = indices.length;
  switch (column.type) {
    case 'category': {
      const codes = new Int32Array(length);
      for (let i = 0; i < length; i++) codes[i] = column.codes[indices[i]];
      return { ...column, length, validity, codes };
    }
    case 'string': {
      const values = new Array<string>(length);
      for (let i = 0; i < length; i++) values[i] = column.values[indices[i]];
      return { ...column, length, validity, values };
    }
    case 'embedding': {
      const { dim } = column;
      const values = new Float32Array(length * dim);
      for (let i = 0; i < length; i++) values.set(column.values.subarray(indices[i] * dim, indices[i] * dim + dim), i * dim);
      return { ...column, length, validity, values };
    }
    default: {
      const source = column.values;
      const values = new (source.constructor as new (n: number) => typeof source)(length);
      for (let i = 0; i < length; i++) values[i] = source[indices[i]];
      return { ...column, length, validity, values } as Column;
    }
  }
}

/**
 * The JS value of row `i`: number, boolean, string, ISO-8601 string for timestamps, number[] for embeddings, or
 * null. For display and small outputs only, never for hot loops.
 */
export function columnValue(column: Column, i: number): number | boolean | string | number[] | null {
  if (!isValid(column.validity, i)) return null;
  switch (column.type) {
    case 'bool':
      return column.values[i] === 1;
    case 'category':
      return column.codes[i] < 0 ? null : column.dictionary[column.codes[i]];
    case 'string':
      return column.values[i];
    case 'timestamp':
      return new Date(column.values[i]).toISOString();
    case 'embedding':
      return Array.from(column.values.subarray(i * column.dim, (i + 1) * column.dim));
    default:
      return column.values[i];
  }
}

/** The same column with other tags. */
export function withTags(column: Column, tags: readonly ColumnTag[]): Column {
  return { ...column, tags: Object.freeze([...new Set(tags)]) };
}

/** The same column under another name. */
export function renameColumn(column: Column, name: string): Column {
  return { ...column, name };
}
