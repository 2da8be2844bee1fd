import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import { withTags } from '../../core/frame/column-ops.js';
import { Frame } from '../../core/frame/frame.js';
import type { ColumnSchema, Schema } from '../../core/schema/index.js';
import { readFrame } from './read-frame.js';
import { sqlIdent, sqlString } from './sql-text.js';

/**
 * Loads a relation stored by Loom (text for categories) as a Frame that follows `schema`: category columns are cast
 * to an ENUM of the schema's `categories`, so codes come straight from DuckDB and match the dictionary exactly,
 * and every column carries its schema tags. `columns` selects and orders a subset.
 *
 * @throws LOOM_ERR_FRAME_COLUMN_NOT_FOUND for a name not in the schema
 */
export async function loadFrame(connection: DuckDBConnection, relationSql: string, schema: Schema, columns?: readonly string[]): Promise<Frame> {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const wanted: ColumnSchema[] = (columns ?? schema.columns.map((c) => c.name)).map((name) => {
    const column = byName.get(name);
    if (column === undefined) {
      throw new LoomError('FRAME_COLUMN_NOT_FOUND', { column: name, available: schema.columns.map((c) => c.name).join(', ') }, { details: { field: name } });
    }
    return column;
  });
  if (wanted.length === 0) return new Frame([], 0);
  const select = wanted.map((c) => `${selectExpr(c)} AS ${sqlIdent(c.name)}`).join(', ');
  const frame = await readFrame(connection, `SELECT ${select} FROM ${relationSql}`);
  return new Frame(frame.columns.map((column, i) => (wanted[i].tags.length > 0 ? withTags(column, wanted[i].tags) : column)), frame.length);
}

function selectExpr(c: ColumnSchema): string {
  const id = sqlIdent(c.name);
  if (c.type === 'category' && c.categories && c.categories.length > 0) return `CAST(${id} AS ENUM(${c.categories.map(sqlString).join(', ')}))`;
  if (c.type === 'embedding') return `CAST(${id} AS FLOAT[])`;
  return id;
}
