import type { DuckDBConnection } from '@duckdb/node-api';
import { describeRelation } from '../../data/duckdb/query-rows.js';
import { sqlString } from '../../data/duckdb/sql-text.js';
import type { FileFormat } from '../../data/ingest/file-format.js';

/**
 * @internal The DuckDB table function that reads a Parquet, CSV or JSON file, with `textColumns` kept as text. CSV and
 * JSON readers would otherwise parse time strings themselves, dropping a `Z` (JSON) or silently taking a zone-less
 * time as UTC (CSV); kept as text, utcTimestampExpr checks every value for its zone. Parquet is typed already.
 */
export async function tableFileCall(connection: DuckDBConnection, path: string, format: FileFormat, textColumns: readonly string[]): Promise<string> {
  const file = sqlString(path);
  if (format === 'parquet') return `read_parquet(${file})`;
  const plain = format === 'csv' ? `read_csv(${file}, header = true)` : `read_json(${file}, format = ${format === 'jsonl' ? "'newline_delimited'" : "'auto'"})`;
  const described = await describeRelation(connection, plain);
  const forced = described.filter((c) => textColumns.includes(c.name) && c.type !== 'VARCHAR');
  if (forced.length === 0) return plain;
  if (format === 'csv') return `read_csv(${file}, header = true, types = {${forced.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(', ')}})`;
  const columns = described.map((c) => `${sqlString(c.name)}: ${sqlString(textColumns.includes(c.name) ? 'VARCHAR' : c.type)}`);
  return `read_json(${file}, format = ${format === 'jsonl' ? "'newline_delimited'" : "'auto'"}, columns = {${columns.join(', ')}})`;
}
