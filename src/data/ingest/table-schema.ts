import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import type { ColumnTag, LogicalType } from '../../core/frame/column.js';
import { parseSchema, type ColumnSchema, type Schema } from '../../core/schema/index.js';
import { describeRelation, queryRow } from '../duckdb/query-rows.js';
import { sqlIdent } from '../duckdb/sql-text.js';
import { tagsOf } from './column-tags.js';

/** A text column is a category when it has at most this many distinct values (and at most half its rows). */
export const CATEGORY_MAX_DISTINCT = 1000;

/**
 * The Loom schema of a normalized table (see normalizeTable). Text columns become `category` when
 * 0 < distinct ≤ CATEGORY_MAX_DISTINCT and distinct ≤ half the non-null rows, else `string`; a `target` column is
 * a category whenever distinct ≤ CATEGORY_MAX_DISTINCT, because a label is categorical however few rows there are.
 * A category's `categories` are its distinct values sorted by code unit, which is the dictionary every load uses.
 * `nullable` is observed: true when the column has a null.
 */
export async function inferTableSchema(connection: DuckDBConnection, table: string, tags: Readonly<Record<string, readonly ColumnTag[]>>): Promise<Schema> {
  const columns = await describeRelation(connection, sqlIdent(table));
  const stats: string[] = ['count(*) AS "rows"'];
  columns.forEach(({ name, type }, i) => {
    const id = sqlIdent(name);
    stats.push(`count(${id}) AS c${i}`);
    if (type === 'VARCHAR') stats.push(`count(DISTINCT ${id}) AS d${i}`);
    if (type === 'DOUBLE[]') stats.push(`max(len(${id})) AS l${i}`);
  });
  const row = await queryRow(connection, `SELECT ${stats.join(', ')} FROM ${sqlIdent(table)}`);
  const rows = Number(row.rows);
  const out: ColumnSchema[] = [];
  const categorical: number[] = [];
  columns.forEach(({ name, type }, i) => {
    const nonNull = Number(row[`c${i}`]);
    const columnTags = [...tagsOf(tags, name)];
    const base = { name, nullable: nonNull < rows, tags: columnTags };
    let logical: LogicalType;
    if (type === 'VARCHAR') {
      const distinct = Number(row[`d${i}`]);
      const isCategory = distinct > 0 && distinct <= CATEGORY_MAX_DISTINCT && (distinct <= nonNull / 2 || columnTags.includes('target'));
      logical = isCategory ? 'category' : 'string';
      if (isCategory) categorical.push(i);
    } else logical = logicalOf(name, type);
    out.push(logical === 'embedding' ? { ...base, type: logical, dim: Math.max(1, Number(row[`l${i}`] ?? 1)) } : { ...base, type: logical });
  });
  if (categorical.length > 0) {
    const lists = await queryRow(
      connection,
      `SELECT ${categorical.map((i) => `list(DISTINCT ${sqlIdent(columns[i].name)}) FILTER (WHERE ${sqlIdent(columns[i].name)} IS NOT NULL) AS k${i}`).join(', ')} FROM ${sqlIdent(table)}`,
    );
    for (const i of categorical) out[i] = { ...out[i], categories: sortByCodeUnit(lists[`k${i}`] as string[]) };
  }
  return parseSchema({ columns: out.map((c) => ({ ...c, tags: [...c.tags] })) });
}

/** Loom's type for a normalized DuckDB column type. */
export function logicalOf(name: string, type: string): LogicalType {
  switch (type) {
    case 'BOOLEAN':
      return 'bool';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return 'int';
    case 'DOUBLE':
      return 'float';
    case 'TIMESTAMP':
      return 'timestamp';
    case 'VARCHAR':
      return 'string';
    case 'DOUBLE[]':
      return 'embedding';
    default:
      throw new LoomError('DATA_UNSUPPORTED_TYPE', { column: name, type }, { details: { field: name } });
  }
}

function sortByCodeUnit(values: readonly string[]): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
