import type { DuckDBConnection } from '@duckdb/node-api';
import { renameSync, rmSync, statSync } from 'node:fs';
import { LoomError } from '../../core/errors/index.js';
import type { ColumnTag } from '../../core/frame/column.js';
import type { Schema } from '../../core/schema/index.js';
import { queryRow } from '../../data/duckdb/query-rows.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import { detectFormat, readCsvHeader } from '../../data/ingest/file-format.js';
import { normalizedSelect } from '../../data/ingest/normalize-table.js';
import { CSV_NULL_MARKERS, readSource } from '../../data/ingest/read-source.js';
import { inferTableSchema } from '../../data/ingest/table-schema.js';

/** A raw input file read in place: its Parquet form and ingest's normalization as SQL expressions over it. */
export interface StreamedFile {
  /** A Parquet file holding the raw columns in file order: the input itself, or its one-pass copy. */
  readonly parquet: string;
  /** Ingest's normalized columns, as a SELECT list over the raw columns (`expr AS "name", …`). */
  readonly columns: string;
  readonly schema: Schema;
  readonly rows: number;
}

const RAW = 'loom_src';
const NORMALIZED = 'loom_norm';

/**
 * Opens a CSV, Parquet or JSON(L) file for chunked reading without holding it in memory. A Parquet file is read in
 * place; any other file is copied once, streaming, to the raw Parquet file `staging` (its columns as DuckDB read them,
 * no normalization yet), because only Parquet lets a chunk be read by row number without scanning what precedes it
 * (DuckDB skips row groups outside a `file_row_number` range). Ingest's normalization (normalizeTable) and schema
 * inference (inferTableSchema) then run as streaming aggregates over views of that file, and the normalization's
 * SELECT list is kept so each chunk applies it to its own rows: the values are exactly those ingest would store.
 *
 * @throws LOOM_ERR_DATA_EMPTY, LOOM_ERR_DATA_PARSE_FAILED and the other codes of readTableFile
 */
export async function openStreamedFile(connection: DuckDBConnection, path: string, staging: string): Promise<StreamedFile> {
  const format = detectFormat(path);
  if (statSync(path).size === 0) throw new LoomError('DATA_EMPTY', { path }, { details: { field: 'path' } });
  const parquet = format === 'parquet' ? path : await stageRaw(connection, path, format, staging);
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdent(RAW)} AS SELECT * FROM read_parquet(${sqlString(parquet)})`);
  const rows = Number((await queryRow(connection, `SELECT count(*) AS n FROM ${sqlIdent(RAW)}`)).n);
  if (rows === 0) throw new LoomError('DATA_EMPTY', { path }, { details: { field: 'path' } });
  const { select, tags } = await normalizedRawSelect(connection, format);
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdent(NORMALIZED)} AS ${select}`);
  const schema = await inferTableSchema(connection, NORMALIZED, tags);
  return { parquet, columns: select.slice('SELECT '.length, select.length - FROM_RAW.length), schema, rows };
}

/** SQL of rows [start, end) of a streamed file: `rowColumn` (0-based input row) then the normalized columns. */
export function streamedRows(file: StreamedFile, rowColumn: string, start: number, end: number): string {
  return `(SELECT file_row_number AS ${sqlIdent(rowColumn)}, ${file.columns} FROM read_parquet(${sqlString(file.parquet)}, file_row_number = true) AS ${sqlIdent(RAW)} WHERE file_row_number >= ${start} AND file_row_number < ${end})`;
}

const FROM_RAW = ` FROM ${sqlIdent(RAW)}`;

/** Ingest's normalization of the raw view as a SELECT (normalizedSelect), applied per chunk instead of materialized. */
async function normalizedRawSelect(connection: DuckDBConnection, format: ReturnType<typeof detectFormat>): Promise<{ select: string; tags: Readonly<Record<string, readonly ColumnTag[]>> }> {
  const { select, tags } = await normalizedSelect(connection, RAW, { format, tags: {}, env: process.env });
  return { select, tags };
}

/**
 * Copies a CSV or JSON file to a raw Parquet file in one streaming pass, read exactly as readSource reads it (strict
 * CSV, the same null markers, a whole-file sniff when the sample's types do not hold). On any read failure readSource
 * itself reads the file to report the coded error with its line diagnostics.
 */
async function stageRaw(connection: DuckDBConnection, path: string, format: ReturnType<typeof detectFormat>, staging: string): Promise<string> {
  const copy = (call: string) => connection.run(`COPY (SELECT * FROM ${call}) TO ${sqlString(`${staging}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`);
  try {
    if (format === 'csv') {
      const header = await readCsvHeader(path);
      if (header === null) throw new LoomError('DATA_EMPTY', { path }, { details: { field: 'path' } });
      const options = `header = true, delim = ${sqlString(header.delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false, nullstr = [${CSV_NULL_MARKERS.map(sqlString).join(', ')}]`;
      try {
        await copy(`read_csv(${sqlString(path)}, ${options})`);
      } catch (err) {
        const message = (err as Error).message;
        if (!/Could not convert|Conversion Error/i.test(message) || /Expected Number of Columns/i.test(message)) throw err;
        await copy(`read_csv(${sqlString(path)}, ${options}, sample_size = -1)`);
      }
    } else {
      await copy(`read_json(${sqlString(path)}, format = ${format === 'jsonl' ? "'newline_delimited'" : "'auto'"})`);
    }
  } catch (err) {
    rmSync(`${staging}.tmp`, { force: true });
    if (err instanceof LoomError) throw err;
    await readSource(connection, 'loom_read_check', path, format);
    await connection.run('DROP TABLE IF EXISTS loom_read_check');
    throw err;
  }
  renameSync(`${staging}.tmp`, staging);
  return staging;
}
