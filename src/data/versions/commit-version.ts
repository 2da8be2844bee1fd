import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hashJson } from '../../core/hashing.js';
import type { ColumnTag } from '../../core/frame/column.js';
import type { Schema } from '../../core/schema/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { DuckDbSession } from '../duckdb/duckdb-session.js';
import { sqlIdent, sqlString } from '../duckdb/sql-text.js';
import { inferTableSchema } from '../ingest/table-schema.js';
import type { Profile } from '../profile/profile.js';
import { profileTable } from '../profile/profile-table.js';
import { versionFromRow, type DatasetVersion, type VersionSource } from './dataset-version.js';

/** Rows per Parquet row group. Fixed, so the same rows always give the same file bytes. */
export const PARQUET_ROW_GROUP_SIZE = 122_880;

/** What to store as a new dataset version. */
export interface CommitRequest {
  readonly dataset: string;
  /** A normalized DuckDB temp table holding exactly the version's rows, in order. */
  readonly table: string;
  readonly tags: Readonly<Record<string, readonly ColumnTag[]>>;
  readonly parentId: string | null;
  readonly source: VersionSource;
  readonly description?: string;
  /** The profiler; profileTable unless a caller supplies its own. */
  readonly profile?: (connection: DuckDbSession['connection'], relationSql: string, schema: Schema) => Promise<Profile>;
  /** Called after each of the 4 steps (schema, blob, profile, commit). */
  readonly onStep?: (done: number) => void;
}

/** The stored version and whether this call created it (false when identical content was already there). */
export interface CommitResult {
  readonly version: DatasetVersion;
  readonly created: boolean;
}

/**
 * Stores a DuckDB table as an immutable dataset version:
 * 1. infers the schema; 2. writes Parquet (zstd, one thread, fixed row groups, so identical rows give identical
 * bytes) to a temp file and puts it in the artifact store; 3. the id is SHA-256 of canonical `{ schema, blob }`, and
 * if the dataset already has it nothing more is written; 4. profiles the rows; 5. writes the dataset row and the
 * version row in one metadata transaction. A failure at any step leaves no version behind (at most an unreferenced
 * blob, which content addressing makes harmless).
 */
export async function commitVersion(ws: Workspace, session: DuckDbSession, request: CommitRequest): Promise<CommitResult> {
  const { connection } = session;
  const schema = await inferTableSchema(connection, request.table, request.tags);
  request.onStep?.(1);
  const tmpDir = join(ws.config.home, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `version-${randomBytes(8).toString('hex')}.parquet`);
  let blob: string;
  try {
    await session.singleThreaded(() =>
      connection.run(
        `COPY (SELECT * FROM ${sqlIdent(request.table)}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${PARQUET_ROW_GROUP_SIZE})`,
      ),
    );
    const artifacts = await ws.artifacts();
    blob = (await artifacts.putFile(tmp)).hash;
  } finally {
    rmSync(tmp, { force: true });
  }
  request.onStep?.(2);
  const id = hashJson({ schema, blob });
  const { db } = await ws.metadata();
  const existing = await db.selectFrom('dataset_versions').selectAll().where('dataset', '=', request.dataset).where('id', '=', id).executeTakeFirst();
  if (existing !== undefined) {
    request.onStep?.(4);
    return { version: versionFromRow(existing), created: false };
  }
  const profile = await (request.profile ?? profileTable)(connection, sqlIdent(request.table), schema);
  request.onStep?.(3);
  const now = Date.now();
  const row = {
    dataset: request.dataset,
    id,
    parent_id: request.parentId,
    blob_hash: blob,
    rows: profile.rows,
    schema_json: JSON.stringify(schema),
    profile_json: JSON.stringify(profile),
    source_json: JSON.stringify(request.source),
    created_at: now,
  };
  await db.transaction().execute(async (trx) => {
    const dataset = await trx.selectFrom('datasets').select('name').where('name', '=', request.dataset).executeTakeFirst();
    if (dataset === undefined) {
      await trx
        .insertInto('datasets')
        .values({ name: request.dataset, description: request.description ?? '', latest_version: null, created_at: now, updated_at: now })
        .execute();
    }
    await trx.insertInto('dataset_versions').values(row).execute();
    await trx
      .updateTable('datasets')
      .set({ latest_version: id, updated_at: now, ...(request.description === undefined ? {} : { description: request.description }) })
      .where('name', '=', request.dataset)
      .execute();
  });
  request.onStep?.(4);
  return { version: versionFromRow(row), created: true };
}
