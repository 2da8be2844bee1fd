import { join } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { Progress } from '../../cli/progress.js';
import { openDuckDb, type DuckDbSession } from '../duckdb/duckdb-session.js';
import { readFrame } from '../duckdb/read-frame.js';
import { sqlIdent, sqlString } from '../duckdb/sql-text.js';
import { DATASET_NAME } from '../ingest/ingest-dataset.js';
import { commitVersion } from '../versions/commit-version.js';
import { resolveVersion } from '../versions/resolve-version.js';
import { groupSplit } from './group-split.js';
import { randomSplit } from './random-split.js';
import { SplitSpec, invalid } from './split-spec.js';
import { stratifiedSplit } from './stratified-split.js';
import { timeSplit } from './time-split.js';

/** One part written by splitDataset. */
export interface SplitPart {
  readonly dataset: string;
  readonly version: string;
  readonly rows: number;
  readonly created: boolean;
}

/**
 * Splits a dataset version into parts and stores each as a new version of the dataset named in `names` (one name
 * per part). Row indices come from the pure split functions (deterministic given the spec); rows keep their order.
 * Each part's source records the parent version, the spec and the part number.
 *
 * @throws LOOM_ERR_DATA_INVALID_SPLIT, LOOM_ERR_DATA_INVALID_NAME, the resolveVersion codes, and
 *   LOOM_ERR_FRAME_COLUMN_NOT_FOUND / LOOM_ERR_FRAME_TYPE_MISMATCH for a bad split column
 * @example
 * await splitDataset(ws, 'adult', { kind: 'stratified', column: 'income', fractions: [0.8, 0.2], seed: 42 }, ['adult-train', 'adult-valid']);
 */
export async function splitDataset(ws: Workspace, ref: string, specInput: SplitSpec, names: readonly string[], progress?: Progress): Promise<SplitPart[]> {
  const spec = SplitSpec.create(specInput);
  if (names.length !== SplitSpec.partCount(spec)) throw invalid('into', `${names.length} names for ${SplitSpec.partCount(spec)} parts`);
  if (new Set(names).size !== names.length) throw invalid('into', 'part names must differ');
  for (const name of names) if (!DATASET_NAME.test(name)) throw new LoomError('DATA_INVALID_NAME', { name }, { details: { field: 'into' } });
  const version = await resolveVersion(ws, ref);
  if ('column' in spec && !version.schema.columns.some((c) => c.name === spec.column)) {
    throw new LoomError('FRAME_COLUMN_NOT_FOUND', { column: spec.column, available: version.schema.columns.map((c) => c.name).join(', ') }, { details: { field: 'column' } });
  }
  const path = await (await ws.artifacts()).localPath(version.blobHash);
  const relation = `read_parquet(${sqlString(path)}, file_row_number = true)`;
  progress?.start(names.length + 1, `split ${version.dataset}`);
  const session = await openDuckDb({ tempDirectory: join(ws.config.home, 'tmp', 'duckdb') });
  try {
    const parts = await partIndices(session, relation, spec, version.rows);
    progress?.update(1);
    await session.connection.run('CREATE OR REPLACE TEMP TABLE loom_assign (row_index BIGINT, part INTEGER)');
    const appender = await session.connection.createAppender('loom_assign');
    parts.forEach((rows, p) => {
      for (let k = 0; k < rows.length; k++) {
        appender.appendBigInt(BigInt(rows[k]));
        appender.appendInteger(p);
        appender.endRow();
      }
    });
    appender.closeSync();
    const tags = Object.fromEntries(version.schema.columns.map((c) => [c.name, c.tags]));
    const columns = version.schema.columns.map((c) => `d.${sqlIdent(c.name)}`).join(', ');
    const out: SplitPart[] = [];
    for (let p = 0; p < names.length; p++) {
      await session.connection.run(
        `CREATE OR REPLACE TEMP TABLE loom_part AS SELECT ${columns} FROM ${relation} d JOIN loom_assign a ON a.row_index = d.file_row_number WHERE a.part = ${p} ORDER BY d.file_row_number`,
      );
      const { version: stored, created } = await commitVersion(ws, session, {
        dataset: names[p],
        table: 'loom_part',
        tags,
        parentId: null,
        source: { kind: 'split', parent: { dataset: version.dataset, version: version.id }, spec, part: p, partName: names[p] },
      });
      out.push({ dataset: names[p], version: stored.id, rows: stored.rows, created });
      progress?.update(p + 2);
    }
    return out;
  } finally {
    session.close();
    progress?.stop();
  }
}

async function partIndices(session: DuckDbSession, relation: string, spec: SplitSpec, rows: number): Promise<Int32Array[]> {
  if (spec.kind === 'random') return randomSplit(rows, spec.fractions, spec.seed);
  const id = sqlIdent(spec.column);
  if (spec.kind === 'time') {
    const types = await readFrame(session.connection, `SELECT typeof(${id}) AS t FROM ${relation} LIMIT 1`);
    const type = types.length > 0 && types.columns[0].type === 'string' ? (types.columns[0].values as string[])[0] : '';
    const expr = type.startsWith('TIMESTAMP') ? `CAST(epoch_ms(${id}) AS DOUBLE)` : /INT|DOUBLE|FLOAT|DECIMAL/.test(type) ? `CAST(${id} AS DOUBLE)` : null;
    if (expr === null) {
      throw new LoomError('FRAME_TYPE_MISMATCH', { column: spec.column, actual: type || 'empty', expected: 'a timestamp or numeric column' }, { details: { field: 'column' } });
    }
    const frame = await readFrame(session.connection, `SELECT ${expr} AS t FROM ${relation} ORDER BY file_row_number`);
    const t = frame.columns[0];
    if (t.type !== 'float') throw new LoomError('CORE_INTERNAL', { problem: `time split read a ${t.type} column` });
    return timeSplit(t.values, spec, t.validity);
  }
  // Dense codes computed by DuckDB, in row order; NULL ranks as a class (or group) of its own.
  const frame = await readFrame(session.connection, `SELECT CAST(dense_rank() OVER (ORDER BY ${id} NULLS LAST) - 1 AS INTEGER) AS code FROM ${relation} ORDER BY file_row_number`);
  const code = frame.columns[0];
  if (code.type !== 'int' || !(code.values instanceof Int32Array)) throw new LoomError('CORE_INTERNAL', { problem: 'split codes are not int32' });
  const codes = code.values;
  return spec.kind === 'stratified' ? stratifiedSplit(codes, spec.fractions, spec.seed) : groupSplit(codes, spec.fractions, spec.seed);
}
