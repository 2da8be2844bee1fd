import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Progress } from '../../cli/progress.js';
import { LoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { describeRelation } from '../../data/duckdb/query-rows.js';
import { readFrame } from '../../data/duckdb/read-frame.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import type { ModelFeatureRef } from '../../registry/model-feature-refs.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureConfig } from '../definitions/define-config.js';
import type { FeatureType } from '../definitions/feature-types.js';
import type { OnDemandView } from '../definitions/on-demand-view.js';
import { specFields, type FeatureViewSpec } from '../definitions/view-spec.js';
import { stageEntityRows, type EntityRowsInput } from './entity-rows.js';
import { checkOutputColumns, resolveFeatureRefs, type ResolvedView } from './feature-refs.js';
import { computeOnDemandTable, onDemandTable } from './on-demand-offline.js';
import { aggregateQuery, checkEntityKeys, pitQuery, type PitViewPart } from './pit-query.js';
import { withQueryProgress } from './query-progress.js';
import { openViewSource } from './view-source.js';

/** What getHistoricalFeatures takes. */
export interface HistoricalFeaturesRequest {
  /** The entity rows: a file (`{ path }`) or a dataset (`{ dataset: 'name[@version]' }`). */
  readonly entities: EntityRowsInput;
  /** Feature refs: `view:feature`, `view@version:feature`, `view:*`. */
  readonly features: readonly string[];
  /** The entity rows' time column (UTC); default `event_timestamp`. */
  readonly timestampColumn?: string;
  /** Name output columns `view__feature` instead of `feature`. */
  readonly fullNames?: boolean;
  /**
   * Also require `created_ts ≤ entity_ts` for views with a created timestamp, so a row written (or corrected) after
   * the entity time is never served, even when its event time is earlier. Default false: the created timestamp only
   * breaks ties (Feast's rule). Costs one extra sort of those views' rows.
   */
  readonly filterCreated?: boolean;
  /** Write the result to this Parquet file instead of returning a Frame (the result never enters JS memory). */
  readonly out?: string;
  /** The loaded config; needed only for on-demand views (their transforms are code, which the registry does not hold). */
  readonly config?: FeatureConfig;
  /** DuckDB memory limit (default '2GB'); beyond it the join spills to `tempDirectory`. */
  readonly memoryLimit?: string;
  /** Where DuckDB spills (default `<workspace home>/tmp/duckdb`). */
  readonly tempDirectory?: string;
  /** Folder a relative `entities.path` or `out` is resolved from (default the cwd). */
  readonly cwd?: string;
  readonly progress?: Progress;
}

/** What getHistoricalFeatures returns. */
export interface HistoricalFeatures {
  readonly rows: number;
  /** Output columns and their types: the entity rows' columns, then the features in request order. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** The Parquet file written, when `out` was given. */
  readonly out: string | null;
  /** The result, when `out` was not given. */
  readonly frame: Frame | null;
  /** The view versions read and what each read (dataset version, file, stream length). */
  readonly views: readonly { readonly view: string; readonly version: string; readonly source: string }[];
  /** What the entity rows were. */
  readonly entities: string;
  /** Each feature column's ref and view version, in column order: what a model trained on this set reads. */
  readonly features: readonly ModelFeatureRef[];
}

/**
 * Point-in-time correct training data. For each entity row (keys + time t) and each requested feature view it takes
 * the latest feature row with `t − ttl ≤ event_ts ≤ t` (ties on event time → the latest created timestamp; no TTL →
 * no lower bound), as one DuckDB ASOF LEFT JOIN per view; window aggregates follow WindowAggregation; on-demand
 * features run their transform per row (the function serving uses). Rows with no match get nulls; output rows keep
 * the entity rows' order and every entity column. All times are UTC: zone-less times are refused.
 *
 * Memory: DuckDB runs under `memoryLimit` and spills to `tempDirectory`; nothing is loaded into JS unless no `out`
 * is given (then the result is returned as a Frame), and on-demand views stream one 2048-row chunk at a time.
 *
 * @throws LOOM_ERR_FEATURES_UNKNOWN_FEATURE, LOOM_ERR_FEATURES_INVALID_REF, LOOM_ERR_FEATURES_ENTITY_TIMESTAMP_MISSING,
 *   LOOM_ERR_FEATURES_ENTITY_KEY_MISSING, LOOM_ERR_FEATURES_TIMESTAMP_TYPE, LOOM_ERR_FEATURES_NAIVE_TIMESTAMP,
 *   LOOM_ERR_FEATURES_OUTPUT_COLUMN_CLASH, LOOM_ERR_FEATURES_ON_DEMAND_UNAVAILABLE, source errors
 * @example
 * const result = await getHistoricalFeatures(ws, {
 *   entities: { path: 'labels.csv' },              // customer_id, event_timestamp (UTC), label
 *   features: ['customer_stats:plan', 'customer_stats:spend_sum_30d'],
 *   out: 'training.parquet',
 * });
 * console.log(result.rows);
 */
export async function getHistoricalFeatures(ws: Workspace, request: HistoricalFeaturesRequest): Promise<HistoricalFeatures> {
  const cwd = request.cwd ?? process.cwd();
  const tempDirectory = request.tempDirectory ?? join(ws.config.home, 'tmp', 'duckdb');
  const session = await openDuckDb({ tempDirectory, memoryLimit: request.memoryLimit ?? '2GB' });
  const connection = session.connection;
  try {
    const resolved = await resolveFeatureRefs(ws, request.features, request.fullNames ?? false);
    // String join keys are read as text from CSV/JSON entity rows, so ids such as "007" keep their leading zeros.
    const stringKeys = resolved.featureViews.flatMap((v) => v.spec.entities.flatMap((e) => e.joinKeys.filter((k) => k.type === 'string').map((k) => k.name)));
    const entity = await stageEntityRows(ws, connection, request.entities, request.timestampColumn ?? 'event_timestamp', cwd, stringKeys);
    checkOutputColumns(resolved.columns, entity.columns.map((c) => c.name));
    checkEntityKeys(entity, resolved.featureViews.map((v) => v.spec));
    const onDemand = resolved.onDemandViews.map((od) => ({ resolved: od, view: onDemandTransform(od, request.config) }));

    // On-demand inputs are read from hidden columns of the joined rows.
    const hidden = new Map<string, { column: string; type: FeatureType }>();
    for (const od of onDemand) for (const ref of od.view.inputs) if (!hidden.has(ref)) hidden.set(ref, { column: `__loom_in_${hidden.size}`, type: 'float' });
    const parts: PitViewPart[] = [];
    const views: { view: string; version: string; source: string }[] = [];
    for (const [i, fv] of resolved.featureViews.entries()) {
      const source = await openViewSource(ws, connection, fv.spec, i, tempDirectory);
      views.push({ view: fv.name, version: fv.version, source: source.lineage });
      parts.push(viewPart(fv, source.select, hidden));
    }
    for (const od of resolved.onDemandViews) views.push({ view: od.name, version: od.version, source: `transform ${od.spec.transformSha256}` });
    for (const [ref, h] of hidden) {
      const [view, feature] = ref.split(':');
      h.type = specFields(resolved.featureViews.find((v) => v.name === view)!.spec).find((f) => f.name === feature)!.type;
    }

    for (const [i, part] of parts.entries()) {
      if (part.aggregations.length > 0) await withQueryProgress(connection, request.progress, `aggregating ${part.spec.name}`, () => connection.run(aggregateQuery(part, i)));
    }
    let finalQuery: string;
    if (onDemand.length === 0) {
      finalQuery = pitQuery(entity, parts, { keepRow: false, order: true, columns: resolved.columns.map((c) => c.column), filterCreated: request.filterCreated });
    } else {
      await withQueryProgress(connection, request.progress, 'joining features', () => connection.run(`CREATE OR REPLACE TEMP TABLE loom_result AS ${pitQuery(entity, parts, { keepRow: true, order: false, columns: [...resolved.columns.filter((c) => !onDemand.some((od) => od.resolved.requested.includes(c))).map((c) => c.column), ...[...hidden.values()].map((h) => h.column)], filterCreated: request.filterCreated })}`));
      for (const [i, od] of onDemand.entries()) await computeOnDemandTable(connection, od.view, i, 'loom_result', entity, hidden);
      const select = [...entity.columns.map((c) => `r.${sqlIdent(c.name)}`)];
      for (const c of resolved.columns) {
        const odIndex = onDemand.findIndex((od) => od.resolved.requested.includes(c));
        if (odIndex < 0) select.push(`r.${sqlIdent(c.column)}`);
        else select.push(`${c.feature.type === 'timestamp' ? `CAST(o${odIndex}.${sqlIdent(c.feature.name)} AS TIMESTAMPTZ)` : `o${odIndex}.${sqlIdent(c.feature.name)}`} AS ${sqlIdent(c.column)}`);
      }
      const joins = onDemand.map((_, i) => `LEFT JOIN ${onDemandTable(i)} o${i} ON o${i}.__loom_row = r.__loom_row`).join(' ');
      finalQuery = `SELECT ${select.join(', ')} FROM loom_result r ${joins} ORDER BY r.__loom_row`;
    }
    const ordered = finalQuery;
    const features = resolved.columns.map((c): ModelFeatureRef => {
      const owner = [...resolved.featureViews, ...resolved.onDemandViews].find((v) => v.requested.includes(c))!;
      return { ref: c.ref, view: owner.name, viewVersion: owner.version, feature: c.feature.name, column: c.column };
    });
    const columns = await describeRelation(connection, `(${ordered})`);
    if (request.out !== undefined) {
      const out = resolve(cwd, request.out);
      mkdirSync(dirname(out), { recursive: true });
      const partial = `${out}.partial-${randomUUID()}`;
      try {
        await withQueryProgress(connection, request.progress, 'writing training set', () => connection.run(`COPY (${ordered}) TO ${sqlString(partial)} (FORMAT parquet)`));
        renameSync(partial, out);
      } finally {
        rmSync(partial, { force: true });
      }
      return { rows: entity.rows, columns, out, frame: null, views, entities: entity.lineage, features };
    }
    const frame = await withQueryProgress(connection, request.progress, 'reading training set', () => readFrame(connection, ordered));
    return { rows: frame.length, columns, out: null, frame, views, entities: entity.lineage, features };
  } finally {
    session.close();
  }
}

function viewPart(fv: ResolvedView<FeatureViewSpec>, sourceSelect: string, hidden: ReadonlyMap<string, { column: string }>): PitViewPart {
  const features: { name: string; column: string }[] = [];
  const aggregations: PitViewPart['aggregations'][number][] = [];
  const add = (name: string, column: string) => {
    const aggregation = fv.spec.aggregations.find((a) => a.name === name);
    if (aggregation !== undefined) aggregations.push({ aggregation, column });
    else features.push({ name, column });
  };
  for (const r of fv.requested) add(r.feature.name, r.column);
  for (const [ref, h] of hidden) {
    const [view, feature] = ref.split(':');
    if (view === fv.name) add(feature, h.column);
  }
  return { spec: fv.spec, sourceSelect, features, aggregations };
}

/**
 * @internal The loaded on-demand view whose transform is the registered version `od` (offline and online retrieval
 * both take their transforms from here).
 * @throws LOOM_ERR_FEATURES_ON_DEMAND_UNAVAILABLE (no config, not declared, or a transform that differs from the registry)
 */
export function onDemandTransform(od: ResolvedView, config: FeatureConfig | undefined): OnDemandView {
  const view = config?.onDemandViews.find((v) => v.name === od.name);
  if (view === undefined) {
    throw new LoomError('FEATURES_ON_DEMAND_UNAVAILABLE', { view: od.name, problem: config === undefined ? 'no config was given' : 'the given config does not declare it' }, { details: { field: od.name } });
  }
  if (od.spec.kind !== 'on-demand-view' || view.transformSha256 !== od.spec.transformSha256) {
    throw new LoomError('FEATURES_ON_DEMAND_UNAVAILABLE', { view: od.name, problem: `the config's transform differs from registered version ${od.version.slice(0, 12)} (run \`loom features apply\`)` }, { details: { field: od.name } });
  }
  return view;
}
