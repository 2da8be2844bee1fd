import { join } from 'node:path';
import type { Progress } from '../../cli/progress.js';
import { LoomError } from '../../core/errors/index.js';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { queryRow } from '../../data/duckdb/query-rows.js';
import { sqlIdent } from '../../data/duckdb/sql-text.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import { listFeatureViews } from '../registry/feature-registry.js';
import { openViewSource } from '../retrieval/view-source.js';
import { advanceMark, readMarks } from './materialization-marks.js';
import { encodeFeatureValue, entityKeyOf } from './online-codec.js';
import { openOnlineStore } from './open-online-store.js';
import type { OnlineStore, OnlineWrite } from './online-store.js';
import { onlineTable, viewJoinKeys } from './online-table.js';
import { utcLiteral } from './utc-literal.js';
import { copyAggregates } from './materialize-aggregates.js';

/** Rows written to the online store per batch (one transaction on SQLite, one pipeline on Redis). */
const WRITE_BATCH = 1000;

/** What materializeFeatures takes. */
export interface MaterializeOptions {
  /** Views to materialize (names); default every registered feature view. On-demand views have nothing to store. */
  readonly views?: readonly string[];
  /** Only source rows with `start < event_ts` (UTC); default: no lower bound, or the high-water mark when incremental. */
  readonly start?: Date | number;
  /** Only source rows with `event_ts ≤ end` (UTC); default now. */
  readonly end?: Date | number;
  /** Start each view after its stored high-water mark (all history on the first run). Exclusive with `start`. */
  readonly incremental?: boolean;
  /** An open online store to write to; default the workspace's (`kvUri`). */
  readonly store?: OnlineStore;
  /** DuckDB memory limit, default '1GB'. */
  readonly memoryLimit?: string;
  readonly progress?: Progress;
  /** The clock (epoch ms) for `end` and the mark's time; default Date.now. */
  readonly now?: () => number;
}

/** What one view's materialization did. */
export interface ViewMaterialization {
  readonly view: string;
  readonly version: string;
  /** Window of event times read: `(start, end]`, epoch ms UTC; start null = unbounded. */
  readonly start: number | null;
  readonly end: number;
  /** Entities whose latest row in the window was read from the source. */
  readonly rows: number;
  /** Rows that were new or newer than the stored ones (the rest were already there, or older than a streamed row). */
  readonly written: number;
  /** The high-water mark after the run; null when none is stored (a first run with an explicit start sets none). */
  readonly highWaterMark: number | null;
  /** Latest-value features written; window aggregates are not materialized online. */
  /**
   * Window-aggregate states written (entities with source rows up to `end`, and how many were new or newer); null
   * for a view without aggregates. States are recomputed from every row up to `end` whatever `start`: a window needs
   * its whole span.
   */
  readonly aggregates: { readonly rows: number; readonly written: number } | null;
  readonly features: readonly string[];
}

/** What materializeFeatures returns. */
export interface MaterializeResult {
  readonly store: string;
  readonly views: readonly ViewMaterialization[];
}

/**
 * Writes the latest row per entity of each feature view's source (within `(start, end]` of event time; ties on event
 * time → latest created timestamp, as offline) into the online store, with compare-and-set on event time, so a
 * re-run is idempotent and a newer streamed value is never overwritten by an older batch one. Then advances the
 * view version's high-water mark to `end` (never backwards; not when an explicit `start` leaves a gap after it).
 * Incremental runs read only rows after the mark: a row that arrives late with an older event time needs a run with an
 * explicit `start`. Reading happens in DuckDB; rows stream to the store in batches of 1000, behind a progress bar.
 *
 * Window aggregates are materialized as bucketed states per entity (see copyAggregates and windowValue), which reads
 * turn into the value as of the request time.
 *
 * @throws LOOM_ERR_FEATURES_UNKNOWN_FEATURE (unknown view), LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST (window),
 *   source errors, LOOM_ERR_STORAGE_UNREACHABLE
 * @example
 * const result = await materializeFeatures(ws, { incremental: true });
 * for (const v of result.views) console.log(v.view, v.written);
 */
export async function materializeFeatures(ws: Workspace, options: MaterializeOptions = {}): Promise<MaterializeResult> {
  const clock = options.now ?? Date.now;
  const end = toMs(options.end ?? clock(), 'end');
  const start = options.start === undefined ? null : toMs(options.start, 'start');
  if (start !== null && options.incremental) {
    throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'start', problem: 'give either start/end or incremental, not both' }, { details: { field: 'start' } });
  }
  if (start !== null && start >= end) {
    throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'start', problem: `start (${new Date(start).toISOString()}) must be before end (${new Date(end).toISOString()})` }, { details: { field: 'start' } });
  }
  const registered = (await listFeatureViews(ws)).filter((v) => v.spec.kind === 'feature-view');
  for (const name of options.views ?? []) {
    if (!registered.some((v) => v.name === name)) {
      throw new LoomError('FEATURES_UNKNOWN_FEATURE', { ref: name, suggestion: ` Feature views: ${registered.map((v) => v.name).join(', ') || '(none)'}.` }, { details: { field: 'views', ref: name } });
    }
  }
  const selected = registered.filter((v) => options.views === undefined || options.views.includes(v.name));
  const store = options.store ?? (await openOnlineStore(ws.config.kvUri));
  const tempDirectory = join(ws.config.home, 'tmp', 'duckdb');
  const session = await openDuckDb({ tempDirectory, memoryLimit: options.memoryLimit ?? '1GB' });
  const results: ViewMaterialization[] = [];
  try {
    const marks = await readMarks(ws, store.name);
    for (const [i, view] of selected.entries()) {
      const spec = view.spec as FeatureViewSpec;
      const mark = marks.find((m) => m.view === view.name && m.version === view.latestVersion);
      const from = options.incremental ? (mark?.highWaterMark ?? null) : start;
      const source = await openViewSource(ws, session.connection, spec, i, tempDirectory, { withOffset: spec.aggregations.length > 0 });
      const { rows, written } = spec.features.length === 0 ? { rows: 0, written: 0 } : await copyLatest(session.connection, store, spec, view.latestVersion, source.select, from, end, i, options.progress);
      const aggregates = spec.aggregations.length === 0 ? null : await copyAggregates(session.connection, store, spec, view.latestVersion, source.select, end, i, options.progress);
      const advances = from === null || (mark !== undefined && from <= mark.highWaterMark);
      const now = clock();
      if (advances) await advanceMark(ws, { view: view.name, version: view.latestVersion, store: store.name, highWaterMark: end, rows: written + (aggregates?.written ?? 0), now });
      const highWaterMark = advances ? Math.max(end, mark?.highWaterMark ?? end) : (mark?.highWaterMark ?? null);
      results.push({ view: view.name, version: view.latestVersion, start: from, end, rows, written, aggregates, highWaterMark, features: [...spec.features.map((f) => f.name), ...spec.aggregations.map((a) => a.name)] });
    }
  } finally {
    session.close();
    if (options.store === undefined) await store.close();
  }
  return { store: store.name, views: results };
}

async function copyLatest(
  connection: Awaited<ReturnType<typeof openDuckDb>>['connection'],
  store: OnlineStore,
  spec: FeatureViewSpec,
  version: string,
  select: string,
  start: number | null,
  end: number,
  index: number,
  progress: Progress | undefined,
): Promise<{ rows: number; written: number }> {
  const keys = viewJoinKeys(spec);
  const keyCols = keys.map((k) => sqlIdent(k.name)).join(', ');
  const created = spec.createdTimestamp !== null;
  const where = [`__loom_ts <= ${utcLiteral(end)}`];
  if (start !== null) where.push(`__loom_ts > ${utcLiteral(start)}`);
  // Ties on event time go to the latest created time, with null created times first, exactly as the offline ASOF join.
  const order = created ? '__loom_ts DESC, __loom_created DESC NULLS LAST' : '__loom_ts DESC';
  const readable = spec.features.map((f, j) => `${f.type === 'timestamp' ? `epoch_ms(${sqlIdent(f.name)})` : f.type === 'int' || f.type === 'float' ? `CAST(${sqlIdent(f.name)} AS DOUBLE)` : sqlIdent(f.name)} AS c${j}`);
  const table = `loom_materialize_${index}`;
  // Two steps: the window filter first, then the latest row per key. In one statement DuckDB 1.5's top-N window
  // optimizer fails an internal assertion on this filter shape.
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${table}_in AS SELECT * FROM (${select}) WHERE ${where.join(' AND ')} AND ${keys.map((k) => `${sqlIdent(k.name)} IS NOT NULL`).join(' AND ')}`);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${keyCols}, epoch_ms(__loom_ts) AS __ts, ${created ? 'epoch_ms(__loom_created)' : 'NULL::BIGINT'} AS __cr, ${readable.join(', ')} FROM ${table}_in QUALIFY row_number() OVER (PARTITION BY ${keyCols} ORDER BY ${order}) = 1`,
  );
  await connection.run(`DROP TABLE ${table}_in`);
  const total = Number((await queryRow(connection, `SELECT count(*) AS n FROM ${table}`)).n);
  const tableName = onlineTable(spec.name, version);
  const names = [...keys.map((k) => k.name), '__ts', '__cr', ...spec.features.map((_, j) => `c${j}`)];
  let done = 0;
  let written = 0;
  progress?.start(total, `materializing ${spec.name}`);
  try {
    const result = await connection.stream(`SELECT ${names.map(sqlIdent).join(', ')} FROM ${table}`);
    let batch: OnlineWrite[] = [];
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const columns = chunk.getColumnsObject(names);
      for (let r = 0; r < chunk.rowCount; r++) {
        const keyValues: Record<string, unknown> = {};
        for (const k of keys) keyValues[k.name] = columns[k.name][r];
        const values: Record<string, string> = {};
        spec.features.forEach((f, j) => {
          values[f.name] = encodeFeatureValue(columns[`c${j}`][r], f.type);
        });
        const cr = columns.__cr[r];
        batch.push({ entityKey: entityKeyOf(keys, keyValues, spec.name, 'a source row'), eventTs: Number(columns.__ts[r]), createdTs: cr === null ? null : Number(cr), values });
        if (batch.length >= WRITE_BATCH) {
          written += await store.write(tableName, batch);
          done += batch.length;
          batch = [];
          progress?.update(done);
        }
      }
    }
    if (batch.length > 0) {
      written += await store.write(tableName, batch);
      done += batch.length;
      progress?.update(done);
    }
  } finally {
    progress?.stop();
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
  }
  return { rows: total, written };
}

function toMs(value: Date | number, field: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field, problem: 'it is not a valid time' }, { details: { field } });
  return ms;
}
