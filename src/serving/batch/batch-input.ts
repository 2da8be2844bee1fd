import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Schema } from '../../core/schema/index.js';
import { sqlString } from '../../data/duckdb/sql-text.js';
import { resolveVersion } from '../../data/versions/resolve-version.js';
import type { Workspace } from '../../storage/workspace.js';
import { openStreamedFile, streamedRows } from './streamed-file.js';

/** The name of the input row number column in `rows()` relations. */
export const ROW_COLUMN = '__loom_row';

/** A batch input, read chunk by chunk from a Parquet file. */
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
 * Opens a file (CSV, Parquet, JSONL; normalized as ingest does, see openStreamedFile) or, when no such file exists, a
 * dataset version (`name[@version]`), and fingerprints it (SHA-256 of the file streamed in 1 MiB reads, or the
 * version id), so a resumed run can tell whether the input changed. Nothing of the input is held in memory: a
 * non-Parquet file is copied once to the raw Parquet file `staging`, which the caller deletes when done.
 *
 * @throws the codes of readTableFile and resolveVersion
 */
export async function openBatchInput(ws: Workspace, connection: DuckDBConnection, input: string, staging: string): Promise<BatchInput> {
  const path = resolve(input);
  if (existsSync(path) && statSync(path).isFile()) {
    const fingerprint = await fileFingerprint(path);
    const file = await openStreamedFile(connection, path, staging);
    return {
      source: input,
      fingerprint,
      schema: file.schema,
      rows: file.rows,
      relation: (start, end) => streamedRows(file, ROW_COLUMN, start, end),
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
