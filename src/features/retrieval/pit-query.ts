import { sqlIdent } from '../../data/duckdb/sql-text.js';
import { DUCKDB_TYPE, typeFits, type JoinKeyType } from '../definitions/feature-types.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import type { WindowAggregation } from '../definitions/window-aggregation.js';
import { LoomError } from '../../core/errors/index.js';
import { ENTITY_RELATION, entitySelectList, type StagedEntityRows } from './entity-rows.js';

/** One view's part in the join: its normalized source SELECT and the columns to output. */
export interface PitViewPart {
  readonly spec: FeatureViewSpec;
  readonly sourceSelect: string;
  /** Latest-value features to output: feature name → output column. */
  readonly features: readonly { readonly name: string; readonly column: string }[];
  /** Aggregates to output. */
  readonly aggregations: readonly { readonly aggregation: WindowAggregation; readonly column: string }[];
}

// Orders feature rows by (event time, created time) in one HUGEINT, so a single ASOF inequality picks the latest event
// and, among rows with the same event time, the latest created one. An entity row sorts after every created time of
// its own instant. Null created times sort first.
const ORDER_SHIFT = 18446744073709551616n; // 2^64
const ENTITY_CREATED = '9223372036854775807';
const NULL_CREATED = '-9223372036854775808';

/**
 * @internal The SQL of a point-in-time join over the staged entity rows: for each view, an ASOF LEFT JOIN that takes
 * the latest row with `event_ts ≤ entity_ts` (ties → latest created timestamp) and nulls it when older than the TTL
 * (`event_ts < entity_ts − ttl`); aggregates come from `aggregateTable(i)` by (keys, entity_ts). Output: the entity
 * columns, then `columns` (output names of the parts' features) in that order; rows in input order when `order`;
 * `keepRow` keeps `__loom_row` for a later join. `filterCreated` also requires `created_ts ≤ entity_ts` for views with
 * a created column (see filteredCreatedJoin).
 */
export function pitQuery(
  entity: StagedEntityRows,
  parts: readonly PitViewPart[],
  options: { keepRow: boolean; order: boolean; columns: readonly string[]; filterCreated?: boolean },
): string {
  const exprs = new Map<string, string>();
  const joins: string[] = [];
  parts.forEach((part, i) => {
    const v = `v${i}`;
    const keys = joinKeys(part.spec);
    if (part.features.length > 0 && options.filterCreated && part.spec.createdTimestamp !== null) {
      joins.push(filteredCreatedJoin(part, v, keys));
      for (const [j, f] of part.features.entries()) {
        const value = `${v}.__loom_best.c${j}`;
        exprs.set(f.column, part.spec.ttlMs === null ? value : `CASE WHEN ${v}.__loom_best.t >= e.__loom_ts - to_microseconds(${part.spec.ttlMs * 1000}) THEN ${value} END`);
      }
    } else if (part.features.length > 0) {
      const created = part.spec.createdTimestamp !== null;
      const inner = created
        ? `SELECT *, (epoch_us(__loom_ts)::HUGEINT * ${ORDER_SHIFT}) + coalesce(epoch_us(__loom_created), ${NULL_CREATED}) AS __loom_ord FROM (${part.sourceSelect})`
        : part.sourceSelect;
      const on = keys.map((k) => `${entityKey(k)} = ${v}.${sqlIdent(k.name)}`);
      on.push(created ? `(epoch_us(e.__loom_ts)::HUGEINT * ${ORDER_SHIFT}) + ${ENTITY_CREATED} >= ${v}.__loom_ord` : `e.__loom_ts >= ${v}.__loom_ts`);
      joins.push(`ASOF LEFT JOIN (${inner}) ${v} ON ${on.join(' AND ')}`);
      for (const f of part.features) {
        const value = `${v}.${sqlIdent(f.name)}`;
        exprs.set(f.column, part.spec.ttlMs === null ? value : `CASE WHEN ${v}.__loom_ts >= e.__loom_ts - to_microseconds(${part.spec.ttlMs * 1000}) THEN ${value} END`);
      }
    }
    if (part.aggregations.length > 0) {
      const a = `a${i}`;
      joins.push(`LEFT JOIN ${aggregateTable(i)} ${a} ON ${[...keys.map((k) => `${entityKey(k)} = ${a}.${sqlIdent(k.name)}`), `e.__loom_ts = ${a}.__loom_ts`].join(' AND ')}`);
      for (const { aggregation, column } of part.aggregations) {
        const value = `${a}.${sqlIdent(aggregation.name)}`;
        const zeroWhenEmpty = aggregation.fn === 'count' || aggregation.fn === 'distinct' || aggregation.fn === 'sum';
        exprs.set(column, zeroWhenEmpty ? `coalesce(${value}, 0)` : value);
      }
    }
  });
  const select = entitySelectList(entity);
  if (options.keepRow) select.push('e.__loom_row');
  for (const column of options.columns) select.push(`${exprs.get(column)} AS ${sqlIdent(column)}`);
  return `SELECT ${select.join(', ')} FROM ${ENTITY_RELATION} e ${joins.join(' ')}${options.order ? ' ORDER BY e.__loom_row' : ''}`;
}

/**
 * The join for `filterCreated`: a row is usable at t once both its event time and its created time are ≤ t, i.e. from
 * `avail = greatest(event_ts, created_ts)`. Sorting a key's rows by avail, a cumulative window keeps the best row so
 * far by (event_ts, created_ts); the ASOF join then takes the latest avail ≤ t, whose running best is the latest
 * event among the rows already written at t. A null created time counts as written at its event time.
 */
function filteredCreatedJoin(part: PitViewPart, v: string, keys: readonly { name: string; type: JoinKeyType }[]): string {
  const keyCols = keys.map((k) => sqlIdent(k.name));
  const best = `{'t': __loom_ts, ${part.features.map((f, j) => `'c${j}': ${sqlIdent(f.name)}`).join(', ')}}`;
  const ordered = `SELECT *, (epoch_us(__loom_ts)::HUGEINT * ${ORDER_SHIFT}) + coalesce(epoch_us(__loom_created), ${NULL_CREATED}) AS __loom_ord, greatest(__loom_ts, coalesce(__loom_created, __loom_ts)) AS __loom_avail FROM (${part.sourceSelect})`;
  const running = `SELECT ${keyCols.join(', ')}, __loom_avail, arg_max(${best}, __loom_ord) OVER (PARTITION BY ${keyCols.join(', ')} ORDER BY __loom_avail RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __loom_best FROM (${ordered})`;
  const on = [...keys.map((k) => `${entityKey(k)} = ${v}.${sqlIdent(k.name)}`), `e.__loom_ts >= ${v}.__loom_avail`];
  return `ASOF LEFT JOIN (${running}) ${v} ON ${on.join(' AND ')}`;
}

/** @internal Name of the temp table holding view i's aggregates at the entity rows' (keys, time) points. */
export function aggregateTable(i: number): string {
  return `loom_agg_${i}`;
}

/**
 * @internal The SQL that computes a view's window aggregates at every distinct (keys, entity_ts) of the entity rows:
 * entity points and source rows are unioned and each aggregate is a RANGE window per entity ordered by time. The
 * frame `[t − window + 1µs, t]` is exactly `t − window < event_ts ≤ t` at DuckDB's microsecond resolution, and
 * CURRENT ROW in RANGE mode includes every source row stamped exactly t.
 */
export function aggregateQuery(part: PitViewPart, i: number): string {
  const keys = joinKeys(part.spec);
  const keyCols = keys.map((k) => sqlIdent(k.name));
  const points = `SELECT DISTINCT ${keys.map((k) => `${entityKey(k)} AS ${sqlIdent(k.name)}`).join(', ')}, e.__loom_ts, 1 AS __loom_point FROM ${ENTITY_RELATION} e WHERE e.__loom_ts IS NOT NULL`;
  const columns = [...new Set(part.aggregations.map((a) => a.aggregation.column).filter((c): c is string => c !== null))];
  const rows = `SELECT ${[...keyCols, '__loom_ts', '0 AS __loom_point', '1 AS __loom_src', ...columns.map(sqlIdent)].join(', ')} FROM (${part.sourceSelect})`;
  const windows = [...new Set(part.aggregations.map((a) => a.aggregation.windowMs))];
  const windowName = (ms: number) => `w${windows.indexOf(ms)}`;
  const aggs = part.aggregations.map(({ aggregation: a }) => {
    const col = a.column === null ? '__loom_src' : sqlIdent(a.column);
    const expr =
      a.fn === 'count'
        ? `count(${col})`
        : a.fn === 'distinct'
          ? `count(DISTINCT ${col})`
          : a.fn === 'mean'
            ? `avg(CAST(${col} AS DOUBLE))`
            : `${a.fn}(CAST(${col} AS DOUBLE))`;
    return `${expr} OVER ${windowName(a.windowMs)} AS ${sqlIdent(a.name)}`;
  });
  const partition = keyCols.join(', ');
  const windowDefs = windows.map((ms) => `${windowName(ms)} AS (PARTITION BY ${partition} ORDER BY __loom_ts RANGE BETWEEN to_microseconds(${ms * 1000 - 1}) PRECEDING AND CURRENT ROW)`);
  return `CREATE OR REPLACE TEMP TABLE ${aggregateTable(i)} AS SELECT ${[...keyCols, '__loom_ts', ...aggs].join(', ')}, __loom_point FROM (${points} UNION ALL BY NAME ${rows}) WINDOW ${windowDefs.join(', ')} QUALIFY __loom_point = 1`;
}

/**
 * @internal Checks the entity rows carry every join key of the views, with a fitting type.
 * @throws LOOM_ERR_FEATURES_ENTITY_KEY_MISSING, LOOM_ERR_FEATURES_SOURCE_TYPE_MISMATCH
 */
export function checkEntityKeys(entity: StagedEntityRows, specs: readonly FeatureViewSpec[]): void {
  const types = new Map(entity.columns.map((c) => [c.name, c.type]));
  for (const spec of specs) {
    for (const e of spec.entities) {
      for (const k of e.joinKeys) {
        const type = types.get(k.name);
        if (type === undefined) {
          throw new LoomError('FEATURES_ENTITY_KEY_MISSING', { column: k.name, entity: e.name, view: spec.name, available: entity.columns.map((c) => c.name).join(', ') }, { details: { field: k.name } });
        }
        if (!typeFits(k.type, type, false)) {
          throw new LoomError('FEATURES_SOURCE_TYPE_MISMATCH', { owner: 'the entity rows', column: k.name, declared: k.type, actual: type }, { details: { field: k.name } });
        }
      }
    }
  }
}

function joinKeys(spec: FeatureViewSpec): { name: string; type: JoinKeyType }[] {
  return spec.entities.flatMap((e) => e.joinKeys.map((k) => ({ name: k.name, type: k.type })));
}

function entityKey(k: { name: string; type: JoinKeyType }): string {
  // Entity columns were checked to fit; integer widths other than BIGINT are widened so the join compares one type.
  return `CAST(e.${sqlIdent(k.name)} AS ${DUCKDB_TYPE[k.type]})`;
}
