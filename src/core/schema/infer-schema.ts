import type { LogicalType } from '../frame/column.js';
import { toEpochMs } from '../frame/column-builders.js';

/**
 * Infers the logical type of JS values (nulls ignored): booleans → bool; integers → int; other numbers → float;
 * numeric arrays → embedding; Dates and ISO-8601 date(-time) strings → timestamp; other strings → category when
 * they repeat (distinct ≤ `maxCategories` and ≤ half the non-null count), else string. All-null → string.
 */
export function inferLogicalType(values: ArrayLike<unknown>, maxCategories = 1000): LogicalType {
  let numbers = 0;
  let integers = 0;
  let bools = 0;
  let strings = 0;
  let dates = 0;
  let vectors = 0;
  let seen = 0;
  const distinct = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    seen++;
    if (typeof v === 'number') {
      numbers++;
      if (Number.isInteger(v)) integers++;
    } else if (typeof v === 'boolean') bools++;
    else if (v instanceof Date) dates++;
    else if (Array.isArray(v) || ArrayBuffer.isView(v)) vectors++;
    else if (typeof v === 'string') {
      strings++;
      if (ISO_DATE.test(v) && !Number.isNaN(toEpochMs(v))) dates++;
      if (distinct.size <= maxCategories) distinct.add(v);
    }
  }
  if (seen === 0) return 'string';
  if (bools === seen) return 'bool';
  if (numbers === seen) return integers === seen ? 'int' : 'float';
  if (vectors === seen) return 'embedding';
  if (dates === seen) return 'timestamp';
  if (strings === seen) return distinct.size <= maxCategories && distinct.size * 2 <= seen ? 'category' : 'string';
  return 'string';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?)?$/;
