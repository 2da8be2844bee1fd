import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import { queryRow } from '../duckdb/query-rows.js';
import { sqlIdent, sqlString } from '../duckdb/sql-text.js';
import { readCsvHeader, type FileFormat } from './file-format.js';

/** How a source file was read, recorded in the version's source JSON. */
export interface ReadOptions {
  readonly [key: string]: string | number | boolean | readonly string[];
}

/** Strings that mean "missing" in CSV input: Adult writes `?`, most exports write an empty field. */
export const CSV_NULL_MARKERS: readonly string[] = ['?', ''];

/**
 * Loads a file into the temp table `table` with DuckDB, strictly: a CSV row with the wrong number of fields is an
 * error naming its line (`strict_mode`, no null padding), never a silently padded row.
 *
 * @returns the row count and the reader options used.
 * @throws LOOM_ERR_DATA_EMPTY, LOOM_ERR_DATA_PARSE_FAILED (with `details.line` when DuckDB names one)
 */
export async function readSource(connection: DuckDBConnection, table: string, path: string, format: FileFormat): Promise<{ rows: number; options: ReadOptions }> {
  if (statSync(path).size === 0) throw new LoomError('DATA_EMPTY', { path }, { details: { field: 'path' } });
  let options: ReadOptions;
  if (format === 'csv') {
    const header = await readCsvHeader(path);
    if (header === null) throw new LoomError('DATA_EMPTY', { path }, { details: { field: 'path' } });
    options = { header: true, delim: header.delimiter, quote: '"', escape: '"', strict_mode: true, null_padding: false, nullstr: CSV_NULL_MARKERS };
    try {
      await createFrom(connection, table, csvCall(path, options));
    } catch (err) {
      const message = (err as Error).message;
      if (/Could not convert|Conversion Error/i.test(message) && !/Expected Number of Columns/i.test(message)) {
        // The sniffer typed a column from its sample and a later row disagrees: sniff the whole file instead.
        options = { ...options, sample_size: -1 };
        try {
          await createFrom(connection, table, csvCall(path, options));
        } catch (again) {
          throw await csvFailure(connection, path, header.names, options, again);
        }
      } else {
        throw await csvFailure(connection, path, header.names, options, err);
      }
    }
  } else {
    const call =
      format === 'parquet'
        ? `read_parquet(${sqlString(path)})`
        : `read_json(${sqlString(path)}, format = ${format === 'jsonl' ? "'newline_delimited'" : "'auto'"})`;
    options = format === 'parquet' ? {} : { format: format === 'jsonl' ? 'newline_delimited' : 'auto' };
    try {
      await createFrom(connection, table, call);
    } catch (err) {
      throw parseFailed(path, format, err);
    }
  }
  const { n } = await queryRow(connection, `SELECT count(*) AS n FROM ${sqlIdent(table)}`);
  const rows = Number(n);
  if (rows === 0) throw new LoomError('DATA_EMPTY', { path }, { details: { field: 'path' } });
  return { rows, options };
}

async function createFrom(connection: DuckDBConnection, table: string, call: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(table)} AS SELECT * FROM ${call}`);
}

function csvCall(path: string, options: ReadOptions): string {
  const args = Object.entries(options).map(([k, v]) => `${k} = ${sqlValue(v)}`);
  return `read_csv(${sqlString(path)}, ${args.join(', ')})`;
}

function sqlValue(v: string | number | boolean | readonly string[]): string {
  if (typeof v === 'string') return sqlString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `[${v.map(sqlString).join(', ')}]`;
}

/**
 * When the sniffer gives up on a malformed file it does not say where. Re-reading with a fixed dialect and every
 * column as text makes DuckDB's strict parser name the first bad line.
 */
async function csvFailure(connection: DuckDBConnection, path: string, names: readonly string[], options: ReadOptions, err: unknown): Promise<LoomError> {
  if (lineOf((err as Error).message) !== undefined) return parseFailed(path, 'csv', err);
  const columns = `{${names.map((n, i) => `${sqlString(n || `column${i}`)}: 'VARCHAR'`).join(', ')}}`;
  const diagnostic = `read_csv(${sqlString(path)}, auto_detect = false, header = true, delim = ${sqlString(String(options.delim))}, quote = '"', escape = '"', strict_mode = true, null_padding = false, columns = ${columns})`;
  try {
    await connection.run(`SELECT count(*) FROM ${diagnostic}`);
  } catch (detail) {
    if (lineOf((detail as Error).message) !== undefined) return parseFailed(path, 'csv', detail);
  }
  return parseFailed(path, 'csv', err);
}

function lineOf(message: string): number | undefined {
  const match = /Error on Line:\s*(\d+)/i.exec(message) ?? /in line (\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

function parseFailed(path: string, format: string, err: unknown): LoomError {
  const message = (err as Error).message ?? String(err);
  const line = lineOf(message);
  const counts = /Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/i.exec(message);
  const problem =
    line !== undefined && counts
      ? `line ${line} has ${counts[2]} fields but the header has ${counts[1]}`
      : line !== undefined
        ? `line ${line}: ${(/Could not convert[^\n]*/.exec(message)?.[0] ?? firstLine(message)).slice(0, 300)}`
        : firstLine(message);
  return new LoomError('DATA_PARSE_FAILED', { path, format, problem }, { cause: err, details: { field: 'path', ...(line === undefined ? {} : { line }) } });
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error:\s*/, '').slice(0, 300);
}
