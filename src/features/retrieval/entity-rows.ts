import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LoomError } from '../../core/errors/index.js';
import { describeRelation } from '../../data/duckdb/query-rows.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import { detectFormat } from '../../data/ingest/file-format.js';
import { resolveVersion } from '../../data/versions/resolve-version.js';
import type { Workspace } from '../../storage/workspace.js';
import { tableFileCall } from './table-file-call.js';
import { utcTimestampExpr } from './utc-timestamp.js';

/**
 * The entity rows of a retrieval: a Parquet, CSV or JSON Lines file, or a dataset (`name` or `name@version`). They
 * hold the join keys, the timestamp column (UTC) and any other columns (labels), which pass through unchanged.
 */
export type EntityRowsInput = { readonly path: string; readonly format?: string } | { readonly dataset: string };

/** The staged entity rows. */
export interface StagedEntityRows {
  /** The input's columns and DuckDB types, in input order. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: number;
  /** The time column; retrieval outputs it as the parsed UTC TIMESTAMPTZ (`__loom_ts`). */
  readonly timestampColumn: string;
  /** `dataset@version` or the file path. */
  readonly lineage: string;
}

/** The relation staged rows are read through: input columns plus `__loom_row` (0-based input order) and `__loom_ts`. */
export const ENTITY_RELATION = 'loom_entities';

/**
 * @internal Exposes the entity rows to DuckDB as the view `loom_entities` without copying Parquet (rows are numbered
 * by file_row_number); CSV and JSON are loaded into a DuckDB temp table, which spills to disk, never into JS, with the
 * time column and `textColumns` (string join keys) read as text.
 *
 * @throws LOOM_ERR_DATA_FILE_NOT_FOUND, LOOM_ERR_FEATURES_ENTITY_TIMESTAMP_MISSING, LOOM_ERR_FEATURES_TIMESTAMP_TYPE,
 *   LOOM_ERR_FEATURES_NAIVE_TIMESTAMP, dataset errors
 */
export async function stageEntityRows(
  ws: Workspace,
  connection: DuckDBConnection,
  input: EntityRowsInput,
  timestampColumn: string,
  cwd: string,
  textColumns: readonly string[] = [],
): Promise<StagedEntityRows> {
  let base: string;
  let lineage: string;
  let naiveIsUtc = false;
  if ('dataset' in input) {
    const version = await resolveVersion(ws, input.dataset);
    const path = await (await ws.artifacts()).localPath(version.blobHash);
    base = `(SELECT * EXCLUDE (file_row_number), file_row_number AS __loom_row FROM read_parquet(${sqlString(path)}, file_row_number = true))`;
    lineage = `${version.dataset}@${version.id}`;
    naiveIsUtc = true;
  } else {
    const path = resolve(cwd, input.path);
    if (!existsSync(path)) throw new LoomError('DATA_FILE_NOT_FOUND', { path: input.path, cwd }, { details: { field: 'entities' } });
    const format = detectFormat(path, input.format);
    lineage = path;
    if (format === 'parquet') {
      base = `(SELECT * EXCLUDE (file_row_number), file_row_number AS __loom_row FROM read_parquet(${sqlString(path)}, file_row_number = true))`;
    } else {
      try {
        const call = await tableFileCall(connection, path, format, [timestampColumn, ...textColumns]);
        await connection.run(`CREATE OR REPLACE TEMP TABLE loom_entities_raw AS SELECT * FROM ${call}`);
      } catch (err) {
        throw new LoomError('DATA_PARSE_FAILED', { path: input.path, format, problem: ((err as Error).message ?? '').split('\n')[0] }, { cause: err, details: { field: 'entities' } });
      }
      base = '(SELECT *, rowid AS __loom_row FROM loom_entities_raw)';
    }
  }
  const described = await describeRelation(connection, base);
  const columns = described.filter((c) => c.name !== '__loom_row');
  const ts = columns.find((c) => c.name === timestampColumn);
  if (ts === undefined) {
    throw new LoomError('FEATURES_ENTITY_TIMESTAMP_MISSING', { column: timestampColumn, available: columns.map((c) => c.name).join(', ') }, { details: { field: 'timestampColumn', column: timestampColumn } });
  }
  const tsExpr = await utcTimestampExpr(connection, base, timestampColumn, ts.type, 'the entity rows', naiveIsUtc);
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${ENTITY_RELATION} AS SELECT *, ${tsExpr} AS __loom_ts FROM ${base}`);
  const count = await connection.runAndReadAll(`SELECT count(*) FROM ${base}`);
  return { columns, rows: Number(count.getRows()[0][0]), timestampColumn, lineage };
}

/** @internal The staged rows' columns as a SELECT list over alias `e`; the time column is the parsed UTC instant. */
export function entitySelectList(entity: StagedEntityRows): string[] {
  return entity.columns.map((c) => (c.name === entity.timestampColumn ? `e.__loom_ts AS ${sqlIdent(c.name)}` : `e.${sqlIdent(c.name)}`));
}
