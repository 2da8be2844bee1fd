import type { Column, LogicalType } from '../../core/frame/column.js';
import { columnValue } from '../../core/frame/column-ops.js';
import type { Frame } from '../../core/frame/frame.js';
import type { JsonValue } from './expectation.js';
import type { ExpectationFailure } from './expectation-result.js';

/** The named column, or null when the frame lacks it. @internal */
export function findColumn(frame: Frame, name: string): Column | null {
  return frame.has(name) ? frame.column(name) : null;
}

/** Logical types whose storage is a numeric array (int, float, timestamp). @internal */
export const NUMERIC_TYPES = ['int', 'float', 'timestamp'] as const;

/** Logical types holding text (category, string). @internal */
export const TEXT_TYPES = ['category', 'string'] as const;

/** The failing rows' values, read once per kept row (never in the scan). @internal */
export function failuresAt(column: Column, rows: Int32Array): ExpectationFailure[] {
  const out: ExpectationFailure[] = [];
  for (const row of rows) out.push({ row, value: jsonValue(columnValue(column, row)) });
  return out;
}

/** A column value as JSON: non-finite numbers become the strings "NaN", "Infinity", "-Infinity". @internal */
export function jsonValue(value: number | boolean | string | number[] | null): JsonValue {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/**
 * The expectation's column when it exists and has one of the `allowed` types; otherwise the reason it cannot be
 * evaluated, as a string. @internal
 */
export function columnOfType<T extends LogicalType>(frame: Frame, name: string, allowed: readonly T[]): Extract<Column, { type: T }> | string {
  const column = findColumn(frame, name);
  if (column === null) return `column "${name}" is missing`;
  if (!(allowed as readonly LogicalType[]).includes(column.type)) return `column "${name}" is ${column.type}; this expectation needs ${allowed.join(' or ')}`;
  return column as Extract<Column, { type: T }>;
}
