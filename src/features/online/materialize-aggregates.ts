import type { DuckDBConnection } from '@duckdb/node-api';
import type { Progress } from '../../cli/progress.js';
import { queryRow } from '../../data/duckdb/query-rows.js';
import { sqlIdent } from '../../data/duckdb/sql-text.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import type { WindowAggregation } from '../definitions/window-aggregation.js';
import { entityKeyOf } from './online-codec.js';
import type { OnlineStore, OnlineWrite } from './online-store.js';
import { aggregateTable, viewJoinKeys } from './online-table.js';
import { bucketWidthMs, encodeBuckets, type WindowBucket } from './window-state.js';
import { utcLiteral } from './utc-literal.js';

const WRITE_BATCH = 1000;

/**
 * @internal Computes, in DuckDB, every entity's bucketed window-aggregate state as of `end` from the view's source
 * rows (`select`, normalized by openViewSource; with `__loom_offset` for stream sources) and writes it to the view
 * version's aggregate table with the store's compare-and-set on `(newest event time, offset)`.
 *
 * A state covers a prefix of the source: for a stream, the events with offset ≤ X, where X is the last offset before
 * the first event stamped after `end` (so the stream updater, which folds only events after a state's offset, never
 * counts an event twice); for other sources every row with `event_ts ≤ end`. Buckets that no read at or after the
 * entity's newest event can include are left out, exactly as the stream updater prunes them.
 */
export async function copyAggregates(
  connection: DuckDBConnection,
  store: OnlineStore,
  spec: FeatureViewSpec,
  version: string,
  select: string,
  end: number,
  index: number,
  progress: Progress | undefined,
): Promise<{ rows: number; written: number }> {
  const keys = viewJoinKeys(spec);
  const keyCols = keys.map((k) => sqlIdent(k.name));
  const stream = spec.source.kind === 'stream';
  const t = `loom_aggstate_${index}`;
  let offset: number | null = null;
  let where = `__loom_ts <= ${utcLiteral(end)}`;
  if (stream) {
    const cut = await queryRow(connection, `SELECT min(__loom_offset) FILTER (WHERE __loom_ts > ${utcLiteral(end)}) AS first_after, max(__loom_offset) AS last FROM (${select})`);
    offset = cut.first_after !== null ? Number(cut.first_after) - 1 : cut.last !== null ? Number(cut.last) : -1;
    where = `__loom_offset <= ${offset}`;
  }
  const columns = [...new Set(spec.aggregations.map((a) => a.column).filter((c): c is string => c !== null))];
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${t}_in AS SELECT ${[...keyCols, '__loom_ts', ...columns.map(sqlIdent)].join(', ')} FROM (${select}) WHERE ${where} AND ${keyCols.map((k) => `${k} IS NOT NULL`).join(' AND ')}`,
  );
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${t}_base AS SELECT ${keyCols.join(', ')}, max(__loom_ts) AS __mx FROM ${t}_in GROUP BY ALL`);
  const windows = [...new Set(spec.aggregations.map((a) => a.windowMs))];
  const parts: string[] = [];
  for (const [w, windowMs] of windows.entries()) {
    const widthUs = bucketWidthMs(windowMs) * 1000;
    const k = `CAST(ceil(epoch_us(r.__loom_ts) / ${widthUs}::DOUBLE) AS BIGINT)`;
    const stats: string[] = [];
    const fields: string[] = [];
    spec.aggregations.forEach((a, j) => {
      if (a.windowMs !== windowMs) return;
      for (const [name, expr] of bucketStats(a)) {
        stats.push(`${expr} AS ${name}${j}`);
        fields.push(`${name}${j} := ${name}${j}`);
      }
    });
    const grouped = `SELECT ${keyCols.map((c) => `r.${c}`).join(', ')}, ${k} AS k, ${stats.join(', ')} FROM ${t}_in r JOIN ${t}_base b USING (${keyCols.join(', ')}) WHERE ${k} > floor((epoch_us(b.__mx) - ${windowMs * 1000}) / ${widthUs}::DOUBLE) GROUP BY ALL`;
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${t}_w${w} AS SELECT ${keyCols.join(', ')}, CAST(to_json(list(struct_pack(k := k, ${fields.join(', ')}) ORDER BY k)) AS VARCHAR) AS j FROM (${grouped}) GROUP BY ALL`);
    parts.push(`LEFT JOIN ${t}_w${w} w${w} USING (${keyCols.join(', ')})`);
  }
  const names = [...keys.map((x) => x.name), '__ts', ...windows.map((_, w) => `j${w}`)];
  const query = `SELECT ${keyCols.join(', ')}, epoch_ms(__mx) AS __ts, ${windows.map((_, w) => `w${w}.j AS j${w}`).join(', ')} FROM ${t}_base ${parts.join(' ')}`;
  const total = Number((await queryRow(connection, `SELECT count(*) AS n FROM ${t}_base`)).n);
  const table = aggregateTable(spec.name, version);
  let done = 0;
  let written = 0;
  progress?.start(total, `aggregating ${spec.name}`);
  try {
    const result = await connection.stream(query);
    let batch: OnlineWrite[] = [];
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const cols = chunk.getColumnsObject(names);
      for (let r = 0; r < chunk.rowCount; r++) {
        const keyValues: Record<string, unknown> = {};
        for (const key of keys) keyValues[key.name] = cols[key.name][r];
        const values: Record<string, string> = {};
        spec.aggregations.forEach((a, j) => {
          const text = cols[`j${windows.indexOf(a.windowMs)}`][r] as string | null;
          values[a.name] = encodeBuckets(a, text === null ? [] : bucketsOf(a, j, JSON.parse(text) as Record<string, unknown>[]));
        });
        batch.push({ entityKey: entityKeyOf(keys, keyValues, spec.name, 'a source row'), eventTs: Number(cols.__ts[r]), createdTs: offset, values });
        if (batch.length >= WRITE_BATCH) {
          written += await store.write(table, batch);
          done += batch.length;
          batch = [];
          progress?.update(done);
        }
      }
    }
    if (batch.length > 0) {
      written += await store.write(table, batch);
      done += batch.length;
      progress?.update(done);
    }
  } finally {
    progress?.stop();
    for (const suffix of ['_in', '_base', ...windows.map((_, w) => `_w${w}`)]) await connection.run(`DROP TABLE IF EXISTS ${t}${suffix}`);
  }
  return { rows: total, written };
}

/** Per-bucket SQL of one aggregate, as (field prefix, expression) pairs over the bucket's rows `r`. */
function bucketStats(a: WindowAggregation): [string, string][] {
  const col = a.column === null ? null : `r.${sqlIdent(a.column)}`;
  const num = `CAST(${col} AS DOUBLE)`;
  switch (a.fn) {
    case 'count':
      return [['n', col === null ? 'count(*)' : `count(${col})`]];
    case 'sum':
      return [['s', `coalesce(sum(${num}), 0)`]];
    case 'mean':
      return [
        ['s', `coalesce(sum(${num}), 0)`],
        ['n', `count(${col})`],
      ];
    case 'min':
    case 'max':
      return [['m', `${a.fn}(${num})`]];
    case 'distinct':
      return [['d', `coalesce(list(DISTINCT CAST(${col} AS VARCHAR)) FILTER (WHERE ${col} IS NOT NULL), [])`]];
  }
}

function bucketsOf(a: WindowAggregation, j: number, rows: readonly Record<string, unknown>[]): WindowBucket[] {
  return rows.map((row) => ({
    k: Number(row.k),
    n: Number(row[`n${j}`] ?? 0),
    s: Number(row[`s${j}`] ?? 0),
    m: row[`m${j}`] === null || row[`m${j}`] === undefined ? null : Number(row[`m${j}`]),
    d: a.fn === 'distinct' ? new Set((row[`d${j}`] as string[] | null) ?? []) : null,
  }));
}
