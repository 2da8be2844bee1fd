import type { DuckDBConnection } from '@duckdb/node-api';

/** A JS value of a small query result: bigints become numbers (exact below 2^53), timestamps Dates, lists arrays. */
export type SqlValue = unknown;

/**
 * Runs a query whose result is small (metadata, aggregates) and returns its rows as objects keyed by column name.
 * Not for bulk data: use readFrame for that.
 */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, SqlValue>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => toPlain(row) as Record<string, SqlValue>);
}

/** The single row of an aggregate query. */
export async function queryRow(connection: DuckDBConnection, sql: string): Promise<Record<string, SqlValue>> {
  const rows = await queryRows(connection, sql);
  return rows[0] ?? {};
}

/** A relation's columns and their DuckDB type names, in order. */
export async function describeRelation(connection: DuckDBConnection, relationSql: string): Promise<{ name: string; type: string }[]> {
  const rows = await queryRows(connection, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${relationSql})`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}
