import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import { openDuckDb, type DuckDbSession } from '../data/duckdb/duckdb-session.js';
import { queryRow } from '../data/duckdb/query-rows.js';
import { sqlString } from '../data/duckdb/sql-text.js';
import { ingestDataset } from '../data/ingest/ingest-dataset.js';
import { datasetSource } from '../features/definitions/feature-source.js';
import { defineConfig, type FeatureConfig } from '../features/definitions/define-config.js';
import { entity } from '../features/definitions/entity.js';
import { featureView } from '../features/definitions/feature-view.js';
import { applyFeatures } from '../features/registry/apply-features.js';
import { buildTrainingSet } from '../features/retrieval/build-training-set.js';
import { CUSTOMER_COLUMNS } from '../synthetic/index.js';
import type { DemoDataset, DemoFeatureStore, DemoTrainingTable } from './demo-report.js';
import type { DemoContext } from './demo-step.js';
import { DEMO_SENSITIVE, DEMO_TARGET, DEMO_TRAINING_DATASETS, demoSourceTables, type TrainingTableBuilder } from './training-table-builder.js';

/** Customer columns passed through the entity rows as features (the SQL builder keeps the same ones). */
const CUSTOMER_FEATURES = CUSTOMER_COLUMNS.filter((c) => !['customer_id', 'email', 'signup_at', 'observed_at'].includes(c));

/** The feature refs every training set reads, in column order. */
export const DEMO_FEATURE_REFS = Object.freeze(['usage:*', 'tickets:*', 'billing:*']);

/** One per-type event dataset a view aggregates: its name, the `event_type` it keeps and the columns it carries. */
const EVENT_SOURCES = Object.freeze([
  { role: 'sessions', dataset: 'churn-sessions', eventType: 'session', columns: ['duration_minutes'] },
  { role: 'tickets', dataset: 'churn-tickets', eventType: 'support_ticket', columns: [] },
  { role: 'invoices', dataset: 'churn-invoices', eventType: 'invoice', columns: ['amount'] },
] as const);

/**
 * The churn world's feature definitions: entity `customer` (key `customer_id`) and three views of declared window
 * aggregates over the per-type event datasets. `usage`: session counts and minutes over 7, 30 and 90 days; `tickets`:
 * support tickets over 30 and 90 days; `billing`: invoiced amount over 30 days, mean invoice and invoice count over 90
 * days. Each view reads the newest version of its dataset, so a re-run over the same world keeps the view versions.
 *
 * @example
 * await applyFeatures(ws, demoFeatureConfig()); // after the churn-sessions, churn-tickets and churn-invoices datasets exist
 */
export function demoFeatureConfig(): FeatureConfig {
  const customer = entity({ name: 'customer', joinKeys: { customer_id: 'string' }, description: 'a customer of the churn world' });
  const view = (name: string, dataset: string, description: string, aggregations: { fn: 'count' | 'sum' | 'mean'; column?: string; window: string; name: string }[]) =>
    featureView({ name, entities: [customer], source: datasetSource(dataset), timestamp: 'event_at', aggregations, owner: 'loom demo', description, tags: { source: 'loom demo' } });
  const usage = view('usage', 'churn-sessions', 'session counts and minutes per customer', [
    { fn: 'count', window: '7d', name: 'sessions_7d' },
    { fn: 'count', window: '30d', name: 'sessions_30d' },
    { fn: 'count', window: '90d', name: 'sessions_90d' },
    { fn: 'sum', column: 'duration_minutes', window: '7d', name: 'session_minutes_7d' },
    { fn: 'sum', column: 'duration_minutes', window: '30d', name: 'session_minutes_30d' },
    { fn: 'sum', column: 'duration_minutes', window: '90d', name: 'session_minutes_90d' },
  ]);
  const tickets = view('tickets', 'churn-tickets', 'support tickets per customer', [
    { fn: 'count', window: '30d', name: 'tickets_30d' },
    { fn: 'count', window: '90d', name: 'tickets_90d' },
  ]);
  const billing = view('billing', 'churn-invoices', 'invoiced amounts per customer', [
    { fn: 'sum', column: 'amount', window: '30d', name: 'billed_30d' },
    { fn: 'mean', column: 'amount', window: '90d', name: 'invoice_mean_90d' },
    { fn: 'count', window: '90d', name: 'invoices_90d' },
  ]);
  return defineConfig({ entities: [customer], views: [usage, tickets, billing] });
}

/**
 * The feature-store builder: splits the event log into per-type datasets (a view aggregates its whole source), applies
 * `demoFeatureConfig`, writes each period's entity rows (customers with a known age ⋈ labels known by the window end,
 * the same population as the SQL builder, stamped 1 ms before `observed_at`), and builds each training set with
 * `buildTrainingSet`, a point-in-time join in DuckDB that records the feature refs the models will be registered with.
 * The window `(t − W, t]` at `t = observed_at − 1 ms` is `[observed_at − W, observed_at)` for the world's
 * whole-second event times: exactly the SQL builder's windows.
 *
 * @example
 * const steps = DEMO_STEPS.map((s) => (s.name === 'features' ? buildTrainingStep(FEATURE_STORE_TRAINING_TABLES) : s));
 * await runDemo({ seed: 42, customers: 1000, home: '.loom', steps }); // DEMO_STEPS already uses this builder
 */
export const FEATURE_STORE_TRAINING_TABLES: TrainingTableBuilder = Object.freeze({
  name: 'feature store',
  description: 'customers with a known age ⋈ labels known by the window end, plus usage, ticket and billing window aggregates at observed_at (point-in-time, views usage, tickets, billing)',
  async build(ctx: DemoContext) {
    const { world, labelsSql, eventsSql, partSql } = await demoSourceTables(ctx);
    const asOf = asOfSql(world.manifest.config.end);
    const dir = join(ctx.ws.config.home, 'demo', 'features');
    mkdirSync(dir, { recursive: true });
    const session = await openDuckDb({ tempDirectory: join(ctx.ws.config.home, 'tmp', 'duckdb') });
    const sources: DemoDataset[] = [];
    const entityFiles: { period: 'reference' | 'current'; file: string; rows: number; churnRate: number; pending: number; ageUnknown: number }[] = [];
    try {
      for (const s of EVENT_SOURCES) {
        const file = join(dir, `${s.dataset}.parquet`);
        const select = `SELECT customer_id, event_at${s.columns.map((c) => `, ${c}`).join('')} FROM ${eventsSql} WHERE event_type = ${sqlString(s.eventType)} ORDER BY event_at, customer_id`;
        await copyTo(session, select, file);
        const stored = await ingestDataset(
          ctx.ws,
          { path: file, name: s.dataset, timestamp: 'event_at', tags: { customer_id: ['id'] }, env: ctx.env, description: `churn-events rows of type ${s.eventType}, a feature view source` },
          ctx.progress(),
        );
        sources.push({ role: s.role, name: stored.dataset, version: stored.version, rows: stored.rows, columns: stored.columns, created: stored.created });
      }
      for (const period of ['reference', 'current'] as const) {
        const customersSql = await partSql(period);
        const file = join(dir, `${DEMO_TRAINING_DATASETS[period]}-entities.parquet`);
        await copyTo(session, entityRowsSql(customersSql, labelsSql, asOf), file);
        const counts = await queryRow(
          session.connection,
          `SELECT count(*) AS rows, avg(CAST(${DEMO_TARGET} AS DOUBLE)) AS churn_rate,
             (SELECT count(*) FROM ${customersSql} c JOIN ${labelsSql} l USING (customer_id) WHERE l.label_available_at >= ${asOf}) AS pending,
             (SELECT count(*) FROM ${customersSql} c JOIN ${labelsSql} l USING (customer_id) WHERE l.label_available_at < ${asOf} AND c.age IS NULL) AS age_unknown
           FROM read_parquet(${sqlString(file)})`,
        );
        entityFiles.push({ period, file, rows: Number(counts.rows), churnRate: Number(counts.churn_rate), pending: Number(counts.pending), ageUnknown: Number(counts.age_unknown) });
      }
    } finally {
      session.close();
    }
    ctx.report.datasets = [...ctx.report.datasets, ...sources];

    const config = demoFeatureConfig();
    const { applied } = await applyFeatures(ctx.ws, config);
    const tables: DemoTrainingTable[] = [];
    let store: DemoFeatureStore | null = null;
    for (const e of entityFiles) {
      const set = await buildTrainingSet(ctx.ws, {
        entities: { path: e.file },
        features: DEMO_FEATURE_REFS,
        dataset: DEMO_TRAINING_DATASETS[e.period],
        tags: { customer_id: ['id'], [DEMO_TARGET]: ['target'], [DEMO_SENSITIVE]: ['sensitive'] },
        drop: ['event_timestamp'],
        description: `churn training table, ${e.period} period: ${FEATURE_STORE_TRAINING_TABLES.description}`,
        env: ctx.env,
        progress: ctx.progress(),
      });
      if (set.rows !== e.rows) throw new LoomError('CORE_INTERNAL', { problem: `the ${e.period} training set has ${set.rows} rows for ${e.rows} entity rows` });
      tables.push({
        period: e.period,
        dataset: set.dataset,
        version: set.version,
        rows: set.rows,
        columns: set.columns.length,
        churnRate: e.churnRate,
        labelsPending: e.pending,
        ageUnknown: e.ageUnknown,
        created: set.created,
        file: e.file,
      });
      store ??= {
        views: set.views.map((v) => ({
          view: v.view,
          version: v.version,
          source: v.source,
          features: set.features.filter((f) => f.view === v.view).map((f) => f.feature),
        })),
        refs: set.features.map((f) => f.ref),
        applied,
        materialization: null,
      };
    }
    ctx.report.featureStore = store;
    const featureColumns = store!.views.flatMap((v) => v.features);
    return { features: [...CUSTOMER_FEATURES, ...featureColumns, DEMO_SENSITIVE], tables };
  },
});

/**
 * The entity rows of one period: the SQL builder's population and customer columns, plus `age_band`, `churned` and
 * `event_timestamp` = `observed_at` − 1 ms as UTC TIMESTAMPTZ (so an event stamped exactly at `observed_at` is after
 * the row, as the SQL builder's `< observed_at`). Ordered by customer_id.
 */
export function entityRowsSql(customers: string, labels: string, asOf: string): string {
  return `
SELECT c.customer_id,
  ${CUSTOMER_FEATURES.map((f) => `c.${f}`).join(', ')},
  CASE WHEN c.age < 35 THEN 'under 35' WHEN c.age < 50 THEN '35-49' WHEN c.age < 65 THEN '50-64' ELSE '65+' END AS ${DEMO_SENSITIVE},
  l.churned,
  timezone('UTC', c.observed_at) - INTERVAL 1 MILLISECOND AS event_timestamp
FROM ${customers} c
JOIN (SELECT customer_id, observed_at, churned, label_available_at FROM ${labels}) l ON l.customer_id = c.customer_id AND l.observed_at = c.observed_at
WHERE l.label_available_at < ${asOf} AND c.age IS NOT NULL
ORDER BY c.customer_id`;
}

/** Writes a query's rows to a Parquet file, single-threaded so the same inputs give the same bytes. */
async function copyTo(session: DuckDbSession, select: string, file: string): Promise<void> {
  rmSync(file, { force: true });
  await session.singleThreaded(() => session.connection.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet)`));
}

/** An ISO instant as a DuckDB timestamp literal (UTC), the type the stored label times have. */
function asOfSql(asOf: string): string {
  return `TIMESTAMP ${sqlString(new Date(asOf).toISOString().replace('T', ' ').replace(/Z$/, ''))}`;
}
