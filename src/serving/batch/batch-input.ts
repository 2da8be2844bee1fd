import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Schema } from '../../core/schema/index.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import { stageTableFile } from '../../data/ingest/read-table-file.js';
import { resolveVersion } from '../../data/versions/resolve-version.js';
import type { Workspace } from '../../storage/workspace.js';

/** The name of the input row number column in `rows()` relations. */
export const ROW_COLUMN = '__loom_row';

/** A batch input staged in DuckDB. */
export interface BatchInput {
  /** What the user named, for messages and the manifest. */
  readonly source: string;
  /** `sha256:<hex>` of a file's bytes, or `dataset:<name>@<version id>`. */
  readonly fingerprint: string;
  readonly schema: Schema;
  readonly rows: number;
  /** SQL of rows [start, end) in input order: `__loom_row` (0-based) then the input columns. */
  relation(start: number, end: number): string;
}

/**
 * Stages a file (CSV, Parquet, JSONL; normalized as ingest does) or, when no such file exists, a dataset version
 * (`name[@version]`), and fingerprints it, so a resumed run can tell whether the input changed.
 *
 * @throws the codes of readTableFile and resolveVersion
 */
export async function openBatchInput(ws: Workspace, connection: DuckDBConnection, input: string): Promise<BatchInput> {
  const path = resolve(input);
  if (existsSync(path) && statSync(path).isFile()) {
    const fingerprint = await fileFingerprint(path);
    const { table, schema, rows } = await stageTableFile(connection, path, { tempDirectory: join(ws.config.home, 'tmp', 'duckdb') });
    return {
      source: input,
      fingerprint,
      schema,
      rows,
      relation: (start, end) => `(SELECT rowid AS ${ROW_COLUMN}, * FROM ${sqlIdent(table)} WHERE rowid >= ${start} AND rowid < ${end})`,
    };
  }
  const version = await resolveVersion(ws, input);
  const parquet = sqlString(await (await ws.artifacts()).localPath(version.blobHash));
  return {
    source: input,
    fingerprint: `dataset:${version.dataset}@${version.id}`,
    schema: version.schema,
    rows: version.rows,
    relation: (start, end) =>
      `(SELECT file_row_number AS ${ROW_COLUMN}, * EXCLUDE (file_row_number) FROM read_parquet(${parquet}, file_row_number = true) WHERE file_row_number >= ${start} AND file_row_number < ${end})`,
  };
}

/** SHA-256 of a file's bytes, streamed. */
async function fileFingerprint(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
