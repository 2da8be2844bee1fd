import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { LoomError } from '../core/errors/index.js';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { Workspace } from '../storage/workspace.js';
import { experimentIds } from './experiments.js';
import { loadRuns } from './load-runs.js';
import { compileRunQuery, keyExists, keyJoin, type KeyTest } from './query/compile-run-query.js';
import { parseRunQuery } from './query/parse-run-query.js';
import { RUN_ATTRIBUTES, type FieldScope } from './query/run-query.js';
import { reapStaleRuns } from './reap-stale-runs.js';
import type { RunRecord } from './run-record.js';

/** Most runs one page can hold. */
export const MAX_PAGE_SIZE = 5000;

/** Options of searchRuns. */
export interface SearchRunsOptions {
  /** Only runs of these experiments (names); default all. */
  readonly experiments?: readonly string[];
  /**
   * Sort keys, each `<field> [asc|desc]` (default asc), e.g. `metrics.auc desc`. Runs lacking a sort field come
   * last in either direction. Ties, and the default order, are newest first (start time, then id).
   */
  readonly orderBy?: string | readonly string[];
  /** Page size, 1–5000 (default 100). */
  readonly limit?: number;
  /** `nextPageToken` of the previous page of the same search. */
  readonly pageToken?: string;
}

/** One page of runs, and the token for the next page (null on the last one). */
export interface RunPage {
  readonly runs: readonly RunRecord[];
  readonly nextPageToken: string | null;
}

/**
 * Searches runs with a filter (see parseRunQuery for the grammar), in the database: the filter compiles to
 * parameterized SQL answered from indexes, and only the page's runs are loaded. Stale runs are reaped first.
 *
 * @throws LOOM_ERR_TRACKING_QUERY_INVALID, LOOM_ERR_TRACKING_ORDER_INVALID, LOOM_ERR_TRACKING_PAGE_TOKEN_INVALID,
 *   LOOM_ERR_TRACKING_EXPERIMENT_NOT_FOUND
 * @example
 * const page = await searchRuns(ws, 'metrics.auc > 0.9 and params.num_leaves = 31', { orderBy: 'metrics.auc desc', limit: 10 });
 * for (const run of page.runs) console.log(run.name, run.metrics.auc.value);
 */
export async function searchRuns(ws: Workspace, filter: string = '', options: SearchRunsOptions = {}): Promise<RunPage> {
  const store = await ws.metadata();
  const { db } = store;
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LoomError('TRACKING_INVALID_VALUE', { field: 'limit', problem: `${limit} is not an integer from 1 to ${MAX_PAGE_SIZE}` }, { details: { field: 'limit' } });
  }
  const compiled = compileRunQuery(parseRunQuery(filter), filter, store.backend);
  const orders = (typeof options.orderBy === 'string' ? [options.orderBy] : (options.orderBy ?? [])).filter((o) => o.trim() !== '').map(parseOrder);
  const experiments = [...(options.experiments ?? [])];
  const fingerprint = createHash('sha256').update(JSON.stringify([filter, orders, experiments])).digest('hex').slice(0, 16);
  const offset = options.pageToken === undefined ? 0 : readToken(options.pageToken, fingerprint);
  const ids = await experimentIds(db, experiments);
  await reapStaleRuns(db);

  const experimentWhere = ids.length === 0 ? compiled.where : sql<SqlBool>`r.experiment_id in (${sql.join(ids)}) and ${compiled.where}`;
  const first = orders[0];
  const sortKey = first !== undefined && first.scope !== 'attributes' ? first : null;
  // Filter terms on the sort key itself are applied to the sort key's join.
  const onSortKey = sortKey === null ? [] : compiled.required.filter((t) => t.table === keyTable(sortKey.scope) && t.key === sortKey.key);
  const plan = await planFilter(db, store.backend, compiled.required.filter((t) => !onSortKey.includes(t)), experimentWhere, compiled.others + (ids.length > 0 ? 1 : 0), offset + limit + 1);
  const segments = sortKey === null ? [{ joins: [], where: null, clauses: orderClauses(orders, 0) }] : keySegments(sortKey, orders.slice(1), onSortKey);
  const pageIds = await pageOf(db, plan, segments, limit + 1, offset);
  const more = pageIds.length > limit;
  const runs = await loadRuns(db, more ? pageIds.slice(0, limit) : pageIds);
  return { runs, nextPageToken: more ? writeToken(offset + limit, fingerprint) : null };
}

/** Most index entries counted per filter term when SQLite chooses between driving from it and walking the order. */
const COUNT_LIMIT = 5000;

/** The match fraction assumed for a filter term whose selectivity is not counted (an attribute test, say). */
const UNCOUNTED_FRACTION = 1 / 3;

/**
 * Chooses how required key tests run. PostgreSQL plans from statistics, so they are plain joins. SQLite has no
 * statistics in a fresh store and would guess, so Loom counts from the index (up to COUNT_LIMIT) the rows each test
 * matches and compares two costs: driving from the most selective test (a join; the others probe each candidate,
 * then the matches are sorted) reads about its count; walking the sort order and probing every run met reads about
 * `want` divided by the product of the tests' match fractions (UNCOUNTED_FRACTION for each of the `others`
 * terms), and stops at the page end.
 */
async function planFilter(db: Kysely<LoomDatabase>, backend: string, required: readonly KeyTest[], where: RawBuilder<SqlBool>, others: number, want: number): Promise<Filter> {
  if (required.length === 0) return { joins: [], where };
  if (backend !== 'sqlite') return { joins: required.map((t, i) => keyJoin(t, `f${i}`)), where };
  const counts: number[] = [];
  for (const t of required) {
    const x = sql.table('x');
    const counted = await sql<{ n: number }>`select count(*) as n from (select 1 from ${sql.table(t.table)} ${x} where ${x}.key = ${t.key} and ${t.predicate(x, false)} limit ${COUNT_LIMIT}) c`.execute(db);
    counts.push(Number(counted.rows[0].n));
  }
  // The largest rowid is the number of runs ever created, read from the end of the table without a scan.
  const total = Math.max(1, Number((await sql<{ n: number | null }>`select max(rowid) as n from runs`.execute(db)).rows[0].n ?? 1));
  const walk = counts.reduce((rows, n) => rows * (total / Math.max(n, 1)), want / UNCOUNTED_FRACTION ** others);
  const best = counts.indexOf(Math.min(...counts));
  const drive = counts[best] < COUNT_LIMIT && counts[best] < walk;
  const probes = required.filter((_, i) => !drive || i !== best).map(keyExists);
  return {
    joins: drive ? [keyJoin(required[best], 'f0')] : [],
    where: probes.length === 0 ? where : sql<SqlBool>`${where} and ${sql.join(probes, sql` and `)}`,
  };
}

/** A part of the sort order that one query reads: its extra joins and condition, and its sort terms. */
interface Segment {
  readonly joins: readonly RawBuilder<unknown>[];
  readonly where: RawBuilder<SqlBool> | null;
  readonly clauses: OrderClauses;
}

/**
 * The segments of an order whose first key is a metric, param or tag: runs with a (numeric) value, through an inner
 * join that can walk the (key, value) index in order and stop at the page end; for params and tags, then runs with a
 * text value; last, runs that lack the key (they sort last in either direction). One left join sorted as a whole
 * would read every run. Segments the filter rules out are skipped.
 */
function keySegments(first: Order, rest: readonly Order[], onKey: readonly KeyTest[]): Segment[] {
  const k = sql.table('k');
  const dir = sql.raw(first.direction);
  const table = sql.table(keyTable(first.scope));
  const extra = onKey.length === 0 ? sql`` : sql` and ${sql.join(onKey.map((t) => t.predicate(k, false)), sql` and `)}`;
  const restClauses = orderClauses(rest, 1);
  const join = (present: RawBuilder<unknown>) => [sql`join ${table} ${k} on ${k}.run_id = r.id and ${k}.key = ${first.key} and ${present}${extra}`];
  const segments: Segment[] = [];
  if (first.scope === 'metrics') {
    segments.push({ joins: join(sql`${k}.value is not null`), where: null, clauses: { joins: restClauses.joins, sorts: [sql`${k}.value ${dir}`, ...restClauses.sorts] } });
  } else {
    segments.push({ joins: join(sql`${k}.num_value is not null`), where: null, clauses: { joins: restClauses.joins, sorts: [sql`${k}.num_value ${dir}`, ...restClauses.sorts] } });
    if (!onKey.some((t) => t.column === 'num_value')) {
      segments.push({ joins: join(sql`${k}.num_value is null`), where: null, clauses: { joins: restClauses.joins, sorts: [sql`${k}.value ${dir}`, ...restClauses.sorts] } });
    }
  }
  if (onKey.length === 0) {
    const present = first.scope === 'metrics' ? sql` and x.value is not null` : sql``;
    segments.push({ joins: [], where: sql<SqlBool>`not exists (select 1 from ${table} x where x.run_id = r.id and x.key = ${first.key}${present})`, clauses: restClauses });
  }
  return segments;
}

/** Rows `offset …offset+want` of the segments read one after another; counts a segment only when a page skips it whole. */
async function pageOf(db: Kysely<LoomDatabase>, filter: Filter, segments: readonly Segment[], want: number, offset: number): Promise<string[]> {
  const out: string[] = [];
  let before = 0;
  for (const segment of segments) {
    const local = Math.max(0, offset - before);
    const part: Filter = { joins: [...filter.joins, ...segment.joins], where: segment.where === null ? filter.where : sql<SqlBool>`${filter.where} and ${segment.where}` };
    const rows = await selectIds(db, part, segment.clauses, want - out.length, local);
    out.push(...rows);
    if (out.length === want) break;
    before += rows.length > 0 || local === 0 ? local + rows.length : await countRows(db, part);
  }
  return out;
}

async function countRows(db: Kysely<LoomDatabase>, filter: Filter): Promise<number> {
  const counted = await sql<{ n: number }>`select count(*) as n from runs r ${sql.join(filter.joins, sql` `)} where ${filter.where}`.execute(db);
  return Number(counted.rows[0].n);
}

function keyTable(scope: FieldScope): 'run_latest_metrics' | 'run_params' | 'run_tags' {
  return scope === 'metrics' ? 'run_latest_metrics' : scope === 'params' ? 'run_params' : 'run_tags';
}

/** The filter part of a search: inner joins and a condition on runs aliased `r`. */
interface Filter {
  readonly joins: readonly RawBuilder<unknown>[];
  readonly where: RawBuilder<SqlBool>;
}

async function selectIds(db: Kysely<LoomDatabase>, filter: Filter, clauses: OrderClauses, limit: number, offset: number): Promise<string[]> {
  const result = await sql<{ id: string }>`select r.id from runs r ${sql.join([...filter.joins, ...clauses.joins], sql` `)} where ${filter.where} order by ${sql.join([...clauses.sorts, sql`r.start_time desc`, sql`r.id desc`])} limit ${limit} offset ${offset}`.execute(db);
  return result.rows.map((r) => r.id);
}

interface OrderClauses {
  readonly joins: readonly RawBuilder<unknown>[];
  readonly sorts: readonly RawBuilder<unknown>[];
}

/** Joins and sort terms for order keys; a run lacking a key sorts after those that have it, in either direction. */
function orderClauses(orders: readonly Order[], firstAlias: number): OrderClauses {
  const joins: RawBuilder<unknown>[] = [];
  const sorts: RawBuilder<unknown>[] = [];
  orders.forEach((order, i) => {
    const alias = sql.table(`o${firstAlias + i}`);
    const dir = sql.raw(order.direction);
    if (order.scope === 'metrics') {
      joins.push(sql`left join run_latest_metrics ${alias} on ${alias}.run_id = r.id and ${alias}.key = ${order.key}`);
      sorts.push(sql`(${alias}.value is null)`, sql`${alias}.value ${dir}`);
    } else if (order.scope === 'params' || order.scope === 'tags') {
      joins.push(sql`left join ${sql.table(order.scope === 'params' ? 'run_params' : 'run_tags')} ${alias} on ${alias}.run_id = r.id and ${alias}.key = ${order.key}`);
      // Numbers first in numeric order, then text in text order.
      sorts.push(sql`(${alias}.value is null)`, sql`(${alias}.num_value is null)`, sql`${alias}.num_value ${dir}`, sql`${alias}.value ${dir}`);
    } else if (order.key === 'experiment') {
      joins.push(sql`join experiments ${alias} on ${alias}.id = r.experiment_id`);
      sorts.push(sql`${alias}.name ${dir}`);
    } else {
      const column = sql.ref(`r.${order.key}`);
      // Only end_time and git_sha can be null; a null test on the others would stop the start_time index serving the order.
      if (order.key === 'end_time' || order.key === 'git_sha') sorts.push(sql`(${column} is null)`);
      sorts.push(sql`${column} ${dir}`);
    }
  });
  return { joins, sorts };
}

interface Order {
  readonly scope: FieldScope;
  readonly key: string;
  readonly direction: 'asc' | 'desc';
}

function parseOrder(text: string): Order {
  const match = /^\s*(?:([A-Za-z]+)\.(?:`([^`]+)`|([A-Za-z0-9_\-./:@]+))|([A-Za-z_]+))(?:\s+(asc|desc))?\s*$/i.exec(text);
  const bad = (problem: string): never => {
    throw new LoomError('TRACKING_ORDER_INVALID', { order: text, problem }, { details: { field: 'orderBy' } });
  };
  if (!match) return bad('expected `<field> [asc|desc]`');
  const direction = (match[5]?.toLowerCase() ?? 'asc') as 'asc' | 'desc';
  if (match[4] !== undefined) {
    const key = match[4].toLowerCase() === 'run_id' ? 'id' : match[4].toLowerCase();
    if (!RUN_ATTRIBUTES.has(key)) return bad(`"${match[4]}" is not a run attribute (${[...RUN_ATTRIBUTES.keys()].join(', ')})`);
    return { scope: 'attributes', key, direction };
  }
  const scopeName = match[1].toLowerCase();
  const key = match[2] ?? match[3];
  const scope = ({ metric: 'metrics', metrics: 'metrics', param: 'params', params: 'params', tag: 'tags', tags: 'tags', attribute: 'attributes', attributes: 'attributes', run: 'attributes' } as Record<string, FieldScope>)[scopeName];
  if (scope === undefined) return bad(`"${match[1]}" is not a sortable scope (metrics, params, tags, attributes)`);
  if (scope === 'attributes') {
    const attr = key.toLowerCase() === 'run_id' ? 'id' : key.toLowerCase();
    if (!RUN_ATTRIBUTES.has(attr)) return bad(`"${key}" is not a run attribute (${[...RUN_ATTRIBUTES.keys()].join(', ')})`);
    return { scope, key: attr, direction };
  }
  return { scope, key, direction };
}

function writeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

function readToken(token: string, fingerprint: string): number {
  let parsed: { o?: unknown; f?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
  } catch {
    parsed = {};
  }
  const shown = token.length > 24 ? `${token.slice(0, 24)}…` : token;
  if (typeof parsed !== 'object' || parsed === null || !Number.isSafeInteger(parsed.o) || (parsed.o as number) < 0 || typeof parsed.f !== 'string') {
    throw new LoomError('TRACKING_PAGE_TOKEN_INVALID', { token: shown, problem: 'it is not a token this search issued' }, { details: { field: 'pageToken' } });
  }
  if (parsed.f !== fingerprint) {
    throw new LoomError('TRACKING_PAGE_TOKEN_INVALID', { token: shown, problem: 'it belongs to a search with another filter, order or experiment list' }, { details: { field: 'pageToken' } });
  }
  return parsed.o as number;
}
