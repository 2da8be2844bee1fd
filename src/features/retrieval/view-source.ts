import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isLoomError, LoomError } from '../../core/errors/index.js';
import { sha256Hex } from '../../core/hashing.js';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { describeRelation } from '../../data/duckdb/query-rows.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import { detectFormat } from '../../data/ingest/file-format.js';
import { resolveVersion } from '../../data/versions/resolve-version.js';
import type { Workspace } from '../../storage/workspace.js';
import { DUCKDB_TYPE, isNumericType, typeFits, type FeatureType } from '../definitions/feature-types.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import { tableFileCall } from './table-file-call.js';
import { utcTimestampExpr } from './utc-timestamp.js';

/** A view's rows in DuckDB, normalized for joins, and where they came from. */
export interface OpenedViewSource {
  /**
   * A SELECT over the source with columns: the join keys (declared types), `__loom_ts` (TIMESTAMPTZ, never null),
   * `__loom_created` (TIMESTAMPTZ or null) when the view has a created column, the latest-value features (declared
   * types) and the raw aggregated columns. Nothing is copied: files and datasets are scanned in place.
   */
  readonly select: string;
  /** What was read, for lineage: a path, `dataset@version`, `sql <sha256 prefix>` or `stream <name>@<length>`. */
  readonly lineage: string;
}

const EVENT_BATCH = 10_000;

/**
 * @internal Opens a view's source in `connection`: resolves it (dataset version, file, query, or a stream staged to
 * a JSON Lines file under `tempDir`), checks every declared column and type, and returns the normalized SELECT.
 *
 * @throws LOOM_ERR_FEATURES_SOURCE_FAILED, LOOM_ERR_FEATURES_SOURCE_COLUMN_MISSING,
 *   LOOM_ERR_FEATURES_SOURCE_TYPE_MISMATCH, LOOM_ERR_FEATURES_TIMESTAMP_TYPE, LOOM_ERR_FEATURES_NAIVE_TIMESTAMP
 */
export async function openViewSource(
  ws: Workspace,
  connection: DuckDBConnection,
  spec: FeatureViewSpec,
  index: number,
  tempDir: string,
  options: { readonly withOffset?: boolean } = {},
): Promise<OpenedViewSource> {
  const { relation, lineage, naiveIsUtc } = await rawRelation(ws, connection, spec, index, tempDir);
  let columns: { name: string; type: string }[];
  try {
    columns = await describeRelation(connection, relation);
  } catch (err) {
    throw sourceFailed(spec, lineage, err);
  }
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const available = columns.map((c) => c.name).join(', ');
  const need = (column: string, role: string): string => {
    const type = types.get(column);
    if (type === undefined) throw new LoomError('FEATURES_SOURCE_COLUMN_MISSING', { view: spec.name, column, role, available }, { details: { field: column, view: spec.name } });
    return type;
  };
  const owner = `view "${spec.name}"`;
  const cast = (column: string, declared: FeatureType, role: string): string => {
    const type = need(column, role);
    if (!typeFits(declared, type, naiveIsUtc)) {
      throw new LoomError('FEATURES_SOURCE_TYPE_MISMATCH', { owner, column, declared, actual: type }, { details: { field: column, view: spec.name } });
    }
    return type === DUCKDB_TYPE[declared] ? sqlIdent(column) : `CAST(${sqlIdent(column)} AS ${DUCKDB_TYPE[declared]})`;
  };
  const select: string[] = [];
  for (const e of spec.entities) for (const k of e.joinKeys) select.push(`${cast(k.name, k.type, `join key of entity "${e.name}"`)} AS ${sqlIdent(k.name)}`);
  const ts = await utcTimestampExpr(connection, relation, spec.timestamp, need(spec.timestamp, 'timestamp'), owner, naiveIsUtc);
  select.push(`${ts} AS __loom_ts`);
  if (spec.createdTimestamp !== null) {
    const created = await utcTimestampExpr(connection, relation, spec.createdTimestamp, need(spec.createdTimestamp, 'createdTimestamp'), owner, naiveIsUtc);
    select.push(`${created} AS __loom_created`);
  }
  for (const f of spec.features) select.push(`${cast(f.name, f.type, 'feature')} AS ${sqlIdent(f.name)}`);
  const aggregated = new Set<string>();
  for (const a of spec.aggregations) {
    if (a.column === null || aggregated.has(a.column)) continue;
    const type = need(a.column, `column of aggregation "${a.name}"`);
    if (a.fn !== 'distinct' && a.fn !== 'count' && !isNumericType(type)) {
      throw new LoomError('FEATURES_SOURCE_TYPE_MISMATCH', { owner, column: a.column, declared: `a number (for ${a.fn})`, actual: type }, { details: { field: a.column, view: spec.name } });
    }
    if (!spec.features.some((f) => f.name === a.column)) select.push(`${sqlIdent(a.column)} AS ${sqlIdent(a.column)}`);
    aggregated.add(a.column);
  }
  // Stream rows keep their log offset when asked (online aggregate states record the offset prefix they cover).
  if (options.withOffset && spec.source.kind === 'stream') select.push('__loom_offset');
  return { select: `SELECT ${select.join(', ')} FROM ${relation} WHERE ${sqlIdent(spec.timestamp)} IS NOT NULL`, lineage };
}

/**
 * Checks a view's source without reading its rows (columns, types, timestamp zones): what apply runs on every added
 * or changed view, so a misspelled column fails at apply time, not at training time.
 */
export async function checkViewSource(ws: Workspace, spec: FeatureViewSpec): Promise<void> {
  const tempDir = join(tmpdir(), 'loom-features-check');
  const session = await openDuckDb({ tempDirectory: tempDir, memoryLimit: '512MB' });
  try {
    await openViewSource(ws, session.connection, spec, 0, tempDir);
  } finally {
    session.close();
  }
}

async function rawRelation(ws: Workspace, connection: DuckDBConnection, spec: FeatureViewSpec, index: number, tempDir: string): Promise<{ relation: string; lineage: string; naiveIsUtc: boolean }> {
  const source = spec.source;
  switch (source.kind) {
    case 'file': {
      if (!existsSync(source.path)) throw sourceFailed(spec, source.path, new Error(`file ${source.path} does not exist`));
      const format = detectFormat(source.path, source.format);
      const times = [spec.timestamp, ...(spec.createdTimestamp === null ? [] : [spec.createdTimestamp]), ...spec.entities.flatMap((e) => e.joinKeys.filter((k) => k.type === 'string').map((k) => k.name))];
      try {
        return { relation: await tableFileCall(connection, source.path, format, times), lineage: source.path, naiveIsUtc: false };
      } catch (err) {
        throw sourceFailed(spec, source.path, err);
      }
    }
    case 'dataset': {
      try {
        const version = await resolveVersion(ws, source.dataset);
        const path = await (await ws.artifacts()).localPath(version.blobHash);
        return { relation: `read_parquet(${sqlString(path)})`, lineage: `${version.dataset}@${version.id}`, naiveIsUtc: true };
      } catch (err) {
        throw isLoomError(err) ? sourceFailed(spec, `dataset ${source.dataset}`, err) : err;
      }
    }
    case 'sql':
      return { relation: `(${source.query.trim().replace(/;\s*$/, '')})`, lineage: `sql ${sha256Hex(source.query).slice(0, 16)}`, naiveIsUtc: false };
    case 'stream':
      return stageStream(ws, connection, spec, source.stream, index, tempDir);
  }
}

/**
 * Copies a stream's events to a JSON Lines file in batches (never the whole stream in memory) and reads it as a
 * table. Each event object gains `_offset` and `_logged_at` (the log's UTC storage time).
 */
async function stageStream(ws: Workspace, connection: DuckDBConnection, spec: FeatureViewSpec, stream: string, index: number, tempDir: string): Promise<{ relation: string; lineage: string; naiveIsUtc: boolean }> {
  const log = await ws.events();
  mkdirSync(tempDir, { recursive: true });
  // Unique per call: retrievals and materializations of the same view may stage it at once in one process.
  const path = join(tempDir, `stream-${index}-${randomUUID()}.jsonl`);
  const out = createWriteStream(path);
  let offset = 0;
  try {
    for (;;) {
      const batch = await log.read(stream, offset, EVENT_BATCH);
      if (batch.length === 0) break;
      let text = '';
      for (const event of batch) {
        if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
          throw sourceFailed(spec, `stream ${stream}`, new Error(`event ${event.offset} is not a JSON object`));
        }
        text += `${JSON.stringify({ ...(event.data as object), _offset: event.offset, _logged_at: new Date(event.timestamp).toISOString() })}\n`;
      }
      if (!out.write(text)) await once(out, 'drain');
      offset = batch[batch.length - 1].offset + 1;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  const table = `loom_stream_${index}`;
  // Each column is extracted as text and cast to its declared type, so times keep their zone for the UTC check.
  const text = (name: string) => `(json ->> ${sqlString(name)})`;
  const typed = new Map<string, string>();
  for (const e of spec.entities) for (const k of e.joinKeys) typed.set(k.name, `CAST(${text(k.name)} AS ${DUCKDB_TYPE[k.type]})`);
  typed.set(spec.timestamp, text(spec.timestamp));
  if (spec.createdTimestamp !== null) typed.set(spec.createdTimestamp, text(spec.createdTimestamp));
  for (const f of spec.features) if (!typed.has(f.name)) typed.set(f.name, `CAST(${text(f.name)} AS ${DUCKDB_TYPE[f.type]})`);
  for (const a of spec.aggregations) {
    if (a.column !== null && !typed.has(a.column)) typed.set(a.column, a.fn === 'distinct' || a.fn === 'count' ? text(a.column) : `CAST(${text(a.column)} AS DOUBLE)`);
  }
  try {
    typed.set('__loom_offset', `CAST(${text('_offset')} AS BIGINT)`);
    const select = [...typed].map(([name, expr]) => `${expr} AS ${sqlIdent(name)}`).join(', ');
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${select} FROM read_json_objects(${sqlString(path)}, format = 'newline_delimited')`);
  } catch (err) {
    throw sourceFailed(spec, `stream ${stream}`, err);
  } finally {
    rmSync(path, { force: true });
  }
  return { relation: table, lineage: `stream ${stream}@${offset}`, naiveIsUtc: false };
}

function sourceFailed(spec: FeatureViewSpec, source: string, err: unknown): LoomError {
  const problem = ((err as Error)?.message ?? String(err)).split('\n')[0].slice(0, 300);
  return new LoomError('FEATURES_SOURCE_FAILED', { view: spec.name, source, problem }, { cause: err, details: { field: 'source', view: spec.name } });
}
