import type { ColumnTag, LogicalType } from '../../core/frame/column.js';
import { LoomError, isLoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { DuckDbSession } from '../duckdb/duckdb-session.js';
import { describeRelation } from '../duckdb/query-rows.js';
import { sqlIdent, sqlString } from '../duckdb/sql-text.js';
import type { DatasetVersion } from '../versions/dataset-version.js';
import { resolveVersion } from '../versions/resolve-version.js';
import { logicalOf } from './table-schema.js';

/** The version an append extends, with the tags and timestamp column new rows must be read with. */
export interface AppendBase {
  readonly version: DatasetVersion;
  readonly tags: Readonly<Record<string, readonly ColumnTag[]>>;
  readonly timestampColumn?: string;
}

/**
 * The latest version of `name`, or null when the dataset does not exist yet (an append to nothing is a first
 * ingest). Its tags carry over, so a `pii` column stays pseudonymized in appended rows.
 */
export async function previousForAppend(ws: Workspace, name: string): Promise<AppendBase | null> {
  try {
    const version = await resolveVersion(ws, name);
    const tags = Object.fromEntries(version.schema.columns.filter((c) => c.tags.length > 0).map((c) => [c.name, c.tags]));
    const timestampColumn = version.schema.columns.find((c) => c.tags.includes('timestamp'))?.name;
    return { version, tags, ...(timestampColumn ? { timestampColumn } : {}) };
  } catch (err) {
    if (isLoomError(err, 'DATA_DATASET_NOT_FOUND')) return null;
    throw err;
  }
}

/**
 * Builds `target` = the previous version's rows followed by the rows of `table`, after checking that the new rows
 * have the same columns, in the same order, with the same logical types. Category and string count as one, since
 * the split between them is re-decided over the combined rows; int and float count as one, widened to float.
 *
 * @throws LOOM_ERR_SCHEMA_MISMATCH naming the first differing column
 */
export async function appendToPrevious(ws: Workspace, session: DuckDbSession, base: AppendBase, table: string, target: string): Promise<string> {
  const { connection } = session;
  const fresh = await describeRelation(connection, sqlIdent(table));
  const expected = base.version.schema.columns;
  const hint = `Appending to ${base.version.dataset}@${base.version.id.slice(0, 12)} needs the same columns and types; ingest under a new name instead.`;
  for (let i = 0; i < Math.max(expected.length, fresh.length); i++) {
    const want = expected[i];
    const got = fresh[i];
    if (want === undefined || got === undefined || want.name !== got.name) {
      const column = want?.name ?? got!.name;
      throw new LoomError('SCHEMA_MISMATCH', { column, expected: want ? `column "${want.name}" at position ${i + 1}` : 'no column', actual: got ? `column "${got.name}"` : 'no column', hint }, { details: { field: column, problem: 'columns' } });
    }
    const gotType = logicalOf(got.name, got.type);
    if (family(gotType) !== family(want.type)) {
      throw new LoomError('SCHEMA_MISMATCH', { column: want.name, expected: want.type, actual: gotType, hint }, { details: { field: want.name, problem: 'type' } });
    }
  }
  const path = await (await ws.artifacts()).localPath(base.version.blobHash);
  const previous = await describeRelation(connection, `read_parquet(${sqlString(path)})`);
  // An int column meeting floats (either side) becomes DOUBLE for all rows; otherwise new rows take the old type.
  const types = previous.map((c, i) => (family(expected[i].type) === 'number' && logicalOf(fresh[i].name, fresh[i].type) !== expected[i].type ? 'DOUBLE' : c.type));
  const castAll = previous.map((c, i) => `CAST(${sqlIdent(c.name)} AS ${types[i]}) AS ${sqlIdent(c.name)}`).join(', ');
  // Explicit ordering keys: UNION ALL alone does not promise to keep the old rows first.
  const names = previous.map((c) => sqlIdent(c.name)).join(', ');
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${sqlIdent(target)} AS SELECT ${names} FROM (` +
      `SELECT ${castAll}, 0 AS loom_part, file_row_number AS loom_row FROM read_parquet(${sqlString(path)}, file_row_number = true) ` +
      `UNION ALL SELECT ${castAll}, 1 AS loom_part, rowid AS loom_row FROM ${sqlIdent(table)}) ORDER BY loom_part, loom_row`,
  );
  await connection.run(`DROP TABLE IF EXISTS ${sqlIdent(table)}`);
  return target;
}

/** Types that may meet in an append: category and string (re-decided over all rows), and int and float (widened). */
function family(type: LogicalType): string {
  if (type === 'category') return 'string';
  if (type === 'int' || type === 'float') return 'number';
  return type;
}
