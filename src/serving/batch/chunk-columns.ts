import type { Column } from '../../core/frame/column.js';
import { columnValue } from '../../core/frame/column-ops.js';
import type { Frame } from '../../core/frame/frame.js';
import type { ColumnSchema, Schema } from '../../core/schema/index.js';
import { checkInputColumns, type RawColumns, type RecordError } from '../input-columns.js';

/** One chunk of batch input, checked against a model's input signature. */
export interface CheckedChunk {
  /** Per signature column, one JS value per chunk row (after the coercions below). */
  readonly columns: RawColumns;
  /** Every problem, in row then column order; `index` is the row within the chunk. */
  readonly errors: readonly RecordError[];
}

/**
 * Takes the signature columns of a chunk read from a file or dataset and checks them as serving checks a request
 * (checkInputColumns), after the coercions a typed file needs: text in a numeric column is parsed as a number
 * (`"39"` → 39; `"abc"` stays text and is reported), numbers in a category or string column become text (ZIP codes
 * read as integers), `"true"`/`"false"` become booleans. A signature column the input lacks is reported on every row
 * as missing. Allocates one array per signature column (the chunk's rows); the caller keeps one chunk at a time.
 */
export function checkChunk(frame: Frame, signature: Schema, flavor: string): CheckedChunk {
  const columns = new Map<string, unknown[]>();
  for (const spec of signature.columns) {
    const column = frame.columns.find((c) => c.name === spec.name);
    columns.set(spec.name, column === undefined ? new Array<unknown>(frame.length).fill(undefined) : coerce(column, spec, frame.length));
  }
  return { columns, errors: checkInputColumns(signature, columns, frame.length, flavor) };
}

function coerce(column: Column, spec: ColumnSchema, rows: number): unknown[] {
  const out = new Array<unknown>(rows);
  for (let i = 0; i < rows; i++) {
    const v = columnValue(column, i);
    out[i] = v === null ? null : coerceValue(v, spec);
  }
  return out;
}

function coerceValue(v: number | boolean | string | number[], spec: ColumnSchema): unknown {
  switch (spec.type) {
    case 'float':
    case 'int': {
      if (typeof v !== 'string') return v;
      const text = v.trim();
      const n = text === '' ? Number.NaN : Number(text);
      return Number.isFinite(n) ? n : v;
    }
    case 'category':
    case 'string':
      return typeof v === 'number' ? String(v) : v;
    case 'bool':
      return v === 'true' ? true : v === 'false' ? false : typeof v === 'number' && (v === 0 || v === 1) ? v === 1 : v;
    default:
      return v;
  }
}
