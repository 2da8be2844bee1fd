import type { CategoryColumn, Column, StringColumn } from '../../../core/frame/column.js';
import { isValid } from '../../../core/frame/validity.js';
import { requireType } from './step-column.js';

/** Logical types category encoders read: dictionary-coded categories and plain strings, matched by value. */
export const CATEGORY_TYPES = ['category', 'string'] as const;

/** Code categoryCodes gives a null row. */
export const NULL_CODE = -1;
/** Code categoryCodes gives a value absent from the fitted categories. */
export const UNSEEN_CODE = -2;

/** A category or string column. */
export type CategoricalColumn = CategoryColumn | StringColumn;

/**
 * Reads a column as categories. @throws LOOM_ERR_PREPROCESS_COLUMN_TYPE unless it is a category or string column.
 */
export function asCategorical(column: Column, label: string): CategoricalColumn {
  requireType(column, CATEGORY_TYPES, label);
  return column as CategoricalColumn;
}

/**
 * Each row's index in `categories` (matched by string value), NULL_CODE for a null row, UNSEEN_CODE for a value not
 * in `categories`. Category columns are matched once per dictionary entry, strings once per row (a Map lookup).
 */
export function categoryCodes(column: CategoricalColumn, categories: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  for (let k = 0; k < categories.length; k++) index.set(categories[k], k);
  const n = column.length;
  const out = new Int32Array(n);
  const validity = column.validity;
  if (column.type === 'category') {
    const map = new Int32Array(column.dictionary.length);
    for (let d = 0; d < map.length; d++) map[d] = index.get(column.dictionary[d]) ?? UNSEEN_CODE;
    for (let i = 0; i < n; i++) {
      const code = column.codes[i];
      out[i] = code < 0 || (validity !== null && !isValid(validity, i)) ? NULL_CODE : map[code];
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = validity !== null && !isValid(validity, i) ? NULL_CODE : (index.get(column.values[i]) ?? UNSEEN_CODE);
  }
  return out;
}

/**
 * Dictionary-codes a column: a category column as it is, a string column by interning its values in order of first
 * appearance. Null rows get NULL_CODE.
 */
export function internCategories(column: CategoricalColumn): { readonly codes: Int32Array; readonly dictionary: readonly string[] } {
  const n = column.length;
  const validity = column.validity;
  const codes = new Int32Array(n);
  if (column.type === 'category') {
    for (let i = 0; i < n; i++) codes[i] = validity !== null && !isValid(validity, i) ? NULL_CODE : column.codes[i] < 0 ? NULL_CODE : column.codes[i];
    return { codes, dictionary: column.dictionary };
  }
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  for (let i = 0; i < n; i++) {
    if (validity !== null && !isValid(validity, i)) {
      codes[i] = NULL_CODE;
      continue;
    }
    const value = column.values[i];
    let code = index.get(value);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(value);
      index.set(value, code);
    }
    codes[i] = code;
  }
  return { codes, dictionary };
}

/**
 * Distinct non-null values and their row counts, sorted by value (UTF-16 code units), so a
 * fitted state never depends on the order rows arrived in.
 */
export function categoryCounts(column: CategoricalColumn): { readonly values: readonly string[]; readonly counts: Float64Array } {
  const { codes, dictionary } = internCategories(column);
  const perCode = new Float64Array(dictionary.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) perCode[codes[i]]++;
  const used: number[] = [];
  for (let d = 0; d < dictionary.length; d++) if (perCode[d] > 0) used.push(d);
  used.sort((a, b) => (dictionary[a] < dictionary[b] ? -1 : dictionary[a] > dictionary[b] ? 1 : 0));
  const counts = new Float64Array(used.length);
  used.forEach((d, k) => (counts[k] = perCode[d]));
  return { values: used.map((d) => dictionary[d]), counts };
}

/** The string value of row `i` (for error messages), or null. */
export function categoryValue(column: CategoricalColumn, i: number): string | null {
  if (column.validity !== null && !isValid(column.validity, i)) return null;
  if (column.type === 'category') return column.codes[i] < 0 ? null : column.dictionary[column.codes[i]];
  return column.values[i];
}
