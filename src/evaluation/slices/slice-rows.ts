import { LoomError } from '../../core/errors/index.js';
import type { Column } from '../../core/frame/column.js';
import { columnValue } from '../../core/frame/column-ops.js';
import type { Frame } from '../../core/frame/frame.js';
import { isValid } from '../../core/frame/validity.js';
import type { SliceOperator, SliceSpec } from './slice-spec.js';

/** One slice's definition and its rows (ascending indices into the frame). */
export interface SliceRows {
  readonly name: string;
  readonly column: string | null;
  readonly rows: Int32Array;
}

/** The label of null values in value slices. */
export const MISSING_SLICE = '(missing)';
/** Numeric columns with at most this many distinct values are sliced by value under `auto`. */
const AUTO_VALUE_LIMIT = 12;
const AUTO_BINS = 4;

/**
 * The rows of each slice a spec makes on `frame`, in a stable order (values sorted, bins ascending).
 * @throws LOOM_ERR_EVAL_COLUMN_UNKNOWN for a column the frame lacks; LOOM_ERR_EVAL_INVALID_OPTION for bins on a
 *   non-numeric column
 */
export function sliceRows(frame: Frame, spec: SliceSpec, field = 'slice'): SliceRows[] {
  if (spec.kind === 'predicate') {
    const rows: number[] = [];
    for (let i = 0; i < frame.length; i++) if (spec.test(i)) rows.push(i);
    return [{ name: spec.name, column: null, rows: Int32Array.from(rows) }];
  }
  if (!frame.has(spec.column)) {
    throw new LoomError('EVAL_COLUMN_UNKNOWN', { field, column: spec.column, available: frame.names.join(', ') }, { details: { field, column: spec.column } });
  }
  const column = frame.column(spec.column);
  if (spec.kind === 'condition') return [conditionSlice(column, spec.op, spec.value)];
  if (spec.kind === 'value') return valueSlices(column);
  if (spec.kind === 'bins') return binSlices(column, spec.edges ?? quantileEdges(column, spec.bins ?? AUTO_BINS), field);
  const numeric = column.type === 'float' || column.type === 'int';
  if (numeric && distinctCount(column, AUTO_VALUE_LIMIT + 1) > AUTO_VALUE_LIMIT) return binSlices(column, quantileEdges(column, AUTO_BINS), field);
  return valueSlices(column);
}

/** A frame column's value at row i as a number (NaN when null or not numeric). */
function numberAt(column: Column, i: number): number {
  if (!isValid(column.validity, i)) return Number.NaN;
  if (column.type === 'float' || column.type === 'int' || column.type === 'timestamp') return column.values[i];
  if (column.type === 'bool') return column.values[i];
  return Number.NaN;
}

function textAt(column: Column, i: number): string | null {
  const v = columnValue(column, i);
  return v === null ? null : String(v);
}

function valueSlices(column: Column): SliceRows[] {
  const byValue = new Map<string, number[]>();
  for (let i = 0; i < column.length; i++) {
    const key = textAt(column, i) ?? MISSING_SLICE;
    const list = byValue.get(key);
    if (list) list.push(i);
    else byValue.set(key, [i]);
  }
  const numeric = column.type === 'float' || column.type === 'int';
  const keys = [...byValue.keys()].sort((a, b) => (numeric && a !== MISSING_SLICE && b !== MISSING_SLICE ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => ({ name: `${column.name} = ${k}`, column: column.name, rows: Int32Array.from(byValue.get(k)!) }));
}

function binSlices(column: Column, edges: readonly number[], field: string): SliceRows[] {
  if (column.type !== 'float' && column.type !== 'int') {
    throw new LoomError('EVAL_INVALID_OPTION', { field, problem: `"${column.name}" is ${column.type}; bins need a numeric column (slice it by value instead)` }, { details: { field } });
  }
  const parts: number[][] = Array.from({ length: edges.length + 2 }, () => []);
  for (let i = 0; i < column.length; i++) {
    const v = numberAt(column, i);
    if (Number.isNaN(v)) {
      parts[edges.length + 1].push(i);
      continue;
    }
    let b = 0;
    while (b < edges.length && v >= edges[b]) b++;
    parts[b].push(i);
  }
  const fmt = (x: number): string => String(Number(x.toPrecision(6)));
  const names = parts.map((_, b) =>
    b === edges.length + 1 ? `${column.name} = ${MISSING_SLICE}` : b === 0 ? `${column.name} < ${fmt(edges[0])}` : b === edges.length ? `${column.name} ≥ ${fmt(edges[b - 1])}` : `${column.name} in [${fmt(edges[b - 1])}, ${fmt(edges[b])})`,
  );
  return parts.map((rows, b) => ({ name: names[b], column: column.name, rows: Int32Array.from(rows) })).filter((s) => s.rows.length > 0);
}

/** Interior quantile edges of a numeric column (distinct, ascending), for `bins` roughly equal slices. */
function quantileEdges(column: Column, bins: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < column.length; i++) {
    const v = numberAt(column, i);
    if (!Number.isNaN(v)) values.push(v);
  }
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = sorted[Math.floor((b * sorted.length) / bins)];
    if (v !== undefined && v > sorted[0] && (edges.length === 0 || v > edges[edges.length - 1])) edges.push(v);
  }
  return edges;
}

function distinctCount(column: Column, stopAt: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < column.length && seen.size < stopAt; i++) {
    const v = numberAt(column, i);
    if (!Number.isNaN(v)) seen.add(v);
  }
  return seen.size;
}

function conditionSlice(column: Column, op: SliceOperator, value: string | number): SliceRows {
  const rows: number[] = [];
  const numericColumn = column.type === 'float' || column.type === 'int' || column.type === 'timestamp';
  for (let i = 0; i < column.length; i++) {
    if (!isValid(column.validity, i)) continue;
    let cmp: number;
    if (numericColumn && typeof value === 'number') cmp = numberAt(column, i) - value;
    else {
      const t = textAt(column, i)!;
      const v = String(value);
      cmp = t < v ? -1 : t > v ? 1 : 0;
    }
    if (op === '=' ? cmp === 0 : op === '!=' ? cmp !== 0 : op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '>' ? cmp > 0 : cmp >= 0) rows.push(i);
  }
  return { name: `${column.name} ${op} ${value}`, column: column.name, rows: Int32Array.from(rows) };
}
