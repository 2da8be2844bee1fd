import { LoomError } from '../core/errors/index.js';
import type { Column } from '../core/frame/column.js';
import { boolColumn, categoryColumn, embeddingColumn, floatColumn, intColumn, stringColumn, timestampColumn, toEpochMs } from '../core/frame/column-builders.js';
import { Frame } from '../core/frame/frame.js';
import type { ColumnSchema, Schema } from '../core/schema/index.js';

/** One problem with one input row: its index in the request, the field, and what is wrong (a sentence fragment). */
export interface RecordError {
  readonly index: number;
  readonly field: string;
  readonly problem: string;
}

/**
 * A request's inputs before checking: per signature column, one raw JSON value per row. `undefined` means the
 * field was absent, `null` an explicit missing value.
 */
export type RawColumns = ReadonlyMap<string, readonly unknown[]>;

/** At most this many record errors are reported in one response. */
export const MAX_REPORTED_ERRORS = 100;

/**
 * Checks every value against the model's input signature: the field is present; numbers are finite (JSON has no
 * NaN, and a string "NaN" is not a number); integers are safe integers; booleans, strings, timestamps (epoch ms or
 * ISO-8601) and embeddings (`dim` finite numbers) have their types. `null` is a missing value, accepted for columns
 * the model saw missing values in, and for every column of a GBDT model (which routes missing values natively).
 * Returns every problem, in row then column order.
 */
export function checkInputColumns(signature: Schema, columns: RawColumns, rows: number, flavor: string): RecordError[] {
  const errors: RecordError[] = [];
  for (const spec of signature.columns) {
    const values = columns.get(spec.name);
    const nullOk = spec.nullable || flavor === 'gbdt';
    for (let i = 0; i < rows; i++) {
      const problem = valueProblem(spec, values === undefined ? undefined : values[i], nullOk);
      if (problem !== null) errors.push({ index: i, field: spec.name, problem });
    }
  }
  return errors.sort((a, b) => a.index - b.index);
}

/** The problem with one value for a column, or null when it is acceptable. @internal */
export function valueProblem(spec: ColumnSchema, v: unknown, nullOk: boolean): string | null {
  if (v === undefined) return 'is missing';
  if (v === null) return nullOk ? null : 'is null, and the model never saw a missing value in this column';
  switch (spec.type) {
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? null : `must be a finite number (got ${describe(v)})`;
    case 'int':
      return typeof v === 'number' && Number.isSafeInteger(v) ? null : `must be an integer (got ${describe(v)})`;
    case 'bool':
      return typeof v === 'boolean' ? null : `must be true or false (got ${describe(v)})`;
    case 'category':
    case 'string':
      return typeof v === 'string' ? null : `must be a string (got ${describe(v)})`;
    case 'timestamp':
      if (typeof v === 'number' && Number.isFinite(v)) return null;
      if (typeof v === 'string' && !Number.isNaN(toEpochMs(v))) return null;
      return `must be a timestamp: epoch milliseconds or an ISO-8601 string (got ${describe(v)})`;
    case 'embedding': {
      const dim = spec.dim ?? 0;
      if (!Array.isArray(v) || v.length !== dim) return `must be an array of ${dim} numbers (got ${describe(v)})`;
      for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) return `must hold finite numbers only (got ${describe(x)})`;
      return null;
    }
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v);
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * Builds the model's input frame from checked raw columns, keeping the rows in `keep` (all rows when null), in order.
 * Categories get a dictionary of their own; the model re-expresses them in its training dictionary, where an unseen
 * category counts as missing (GBDT) or falls in the "other" bucket (one-hot).
 */
export function buildInputFrame(signature: Schema, columns: RawColumns, rows: number, keep: readonly number[] | null): Frame {
  const n = keep === null ? rows : keep.length;
  const built: Column[] = signature.columns.map((spec) => {
    const raw = columns.get(spec.name)!;
    const values = keep === null ? raw : keep.map((i) => raw[i]);
    switch (spec.type) {
      case 'float':
        return floatColumn(spec.name, values as (number | null)[]);
      case 'int':
        return intColumn(spec.name, values as (number | null)[]);
      case 'bool':
        return boolColumn(spec.name, values as (boolean | null)[]);
      case 'category':
        return categoryColumn(spec.name, values as (string | null)[]);
      case 'string':
        return stringColumn(spec.name, values as (string | null)[]);
      case 'timestamp':
        return timestampColumn(spec.name, values as (number | string | null)[]);
      case 'embedding':
        return embeddingColumn(spec.name, spec.dim ?? 0, values as (number[] | null)[]);
    }
  });
  return new Frame(built, n);
}

/** The 400 for a request whose records are invalid (not partial): names the first field, lists up to 100 problems. */
export function invalidRecords(errors: readonly RecordError[]): LoomError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (${errors.length - 1} more problem${errors.length > 2 ? 's' : ''} in details.errors.)` : '';
  return new LoomError('SERVING_INVALID_RECORD', { index: first.index, field: first.field, problem: first.problem, more }, {
    details: { field: first.field, index: first.index, errors: errors.slice(0, MAX_REPORTED_ERRORS) },
  });
}

/** A structural request error naming the field. */
export function invalidRequest(field: string, problem: string): LoomError {
  return new LoomError('SERVING_INVALID_REQUEST', { field, problem }, { details: { field } });
}
