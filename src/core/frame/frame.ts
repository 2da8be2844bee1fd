import { LoomError } from '../errors/index.js';
import type { Column, ColumnTag } from './column.js';
import { columnValue, sliceColumn, takeColumn, withTags } from './column-ops.js';

/** One row as a plain object, for display and small request/response payloads. */
export type FrameRecord = Record<string, number | boolean | string | number[] | null>;

/**
 * An immutable table of typed columns of equal length. Selection and slicing are cheap: they share column memory.
 *
 * @example
 * const frame = new Frame([{ type: 'float', name: 'x', length: 2, values: new Float64Array([1, 2]), validity: null, tags: [] }]);
 * frame.slice(1).column('x'); // a view on the second row
 */
export class Frame {
  readonly columns: readonly Column[];
  readonly length: number;
  readonly #byName: ReadonlyMap<string, Column>;

  /** @throws LOOM_ERR_FRAME_LENGTH_MISMATCH, LOOM_ERR_SCHEMA_INVALID (duplicate column names) */
  constructor(columns: readonly Column[], length?: number) {
    const rows = length ?? (columns.length > 0 ? columns[0].length : 0);
    const byName = new Map<string, Column>();
    for (const column of columns) {
      if (column.length !== rows) {
        throw new LoomError('FRAME_LENGTH_MISMATCH', { column: column.name, actual: column.length, expected: rows }, { details: { field: column.name } });
      }
      if (byName.has(column.name)) {
        throw new LoomError('SCHEMA_INVALID', { field: column.name, problem: 'the column name appears twice' }, { details: { field: column.name } });
      }
      byName.set(column.name, column);
    }
    this.columns = Object.freeze([...columns]);
    this.length = rows;
    this.#byName = byName;
  }

  /** Column names in order. */
  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** True when the frame has a column of that name. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The named column. @throws LOOM_ERR_FRAME_COLUMN_NOT_FOUND */
  column(name: string): Column {
    const column = this.#byName.get(name);
    if (column === undefined) {
      throw new LoomError('FRAME_COLUMN_NOT_FOUND', { column: name, available: this.names.join(', ') }, { details: { field: name } });
    }
    return column;
  }

  /** The named columns, in the given order, sharing memory. @throws LOOM_ERR_FRAME_COLUMN_NOT_FOUND */
  select(names: readonly string[]): Frame {
    return new Frame(names.map((n) => this.column(n)), this.length);
  }

  /** Every column except the named ones. Unknown names are an error, so typos do not pass silently. */
  drop(names: readonly string[]): Frame {
    for (const name of names) this.column(name);
    const dropped = new Set(names);
    return new Frame(this.columns.filter((c) => !dropped.has(c.name)), this.length);
  }

  /** Rows [start, end) as views on this frame's memory. Negative or out-of-range bounds are clamped. */
  slice(start = 0, end = this.length): Frame {
    const s = Math.max(0, Math.min(this.length, start));
    const e = Math.max(s, Math.min(this.length, end));
    return new Frame(this.columns.map((c) => sliceColumn(c, s, e)), e - s);
  }

  /** The rows at `indices`, in that order, copied. */
  take(indices: Int32Array): Frame {
    return new Frame(this.columns.map((c) => takeColumn(c, indices)), indices.length);
  }

  /** A frame with `column` added, or replacing the column of the same name in place. */
  withColumn(column: Column): Frame {
    const at = this.columns.findIndex((c) => c.name === column.name);
    const columns = [...this.columns];
    if (at >= 0) columns[at] = column;
    else columns.push(column);
    return new Frame(columns, this.length);
  }

  /** A frame whose named column carries `tags` (replacing its previous tags). */
  withTags(name: string, tags: readonly ColumnTag[]): Frame {
    return this.withColumn(withTags(this.column(name), tags));
  }

  /** Names of the columns carrying `tag`. */
  tagged(tag: ColumnTag): string[] {
    return this.columns.filter((c) => c.tags.includes(tag)).map((c) => c.name);
  }

  /** Rows [start, end) as plain objects. For display and small payloads only. */
  toRecords(start = 0, end = this.length): FrameRecord[] {
    const out: FrameRecord[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) {
      const record: FrameRecord = {};
      for (const column of this.columns) record[column.name] = columnValue(column, i);
      out.push(record);
    }
    return out;
  }
}
