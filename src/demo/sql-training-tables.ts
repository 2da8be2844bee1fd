import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckDb } from '../data/duckdb/duckdb-session.js';
import { queryRow } from '../data/duckdb/query-rows.js';
import { sqlString } from '../data/duckdb/sql-text.js';
import { ingestDataset } from '../data/ingest/ingest-dataset.js';
import type { DemoTrainingTable } from './demo-report.js';
import type { DemoContext } from './demo-step.js';
import { DEMO_SENSITIVE, DEMO_TARGET, DEMO_TRAINING_DATASETS, demoSourceTables, type TrainingTableBuilder } from './training-table-builder.js';
import { CUSTOMER_COLUMNS } from '../synthetic/index.js';

/** Customer columns kept as features: everything known at `observed_at` but the id, the pseudonymized email and the dates. */
const CUSTOMER_FEATURES = CUSTOMER_COLUMNS.filter((c) => !['customer_id', 'email', 'signup_at', 'observed_at'].includes(c));

/** Features aggregated from the event log, over events strictly before each customer's `observed_at`. */
const EVENT_FEATURES = ['sessions_7d', 'sessions_90d', 'session_hours_90d', 'tickets_30d', 'days_since_last_session'] as const;

/**
 * The SQL builder: in one DuckDB session over the stored Parquet versions, joins each period's customers to their
 * churn labels on (customer_id, observed_at), keeps only labels already known when the world's observation window
 * closed (`label_available_at` < end; later labels did not exist yet), and adds usage aggregated from the event log
 * point-in-time: only events in [observed_at − 90 days, observed_at) count, so the sessions and cancellations after
 * the observation date (which would leak the label) never reach a feature. Customers whose age is missing (the world
 * blanks about 1%) are left out and counted: the fairness check places every row in an age band, and a handful of
 * rows in an "unknown" band would decide the between-band gap on their own. Each table is written as Parquet under
 * `<home>/demo/training/` and ingested as a dataset version (customer_id id, churned target, age_band sensitive).
 */
export const SQL_TRAINING_TABLES: TrainingTableBuilder = Object.freeze({
  name: 'sql',
  description: 'customers with a known age ⋈ labels known by the window end, plus event-log usage over [observed_at − 90 d, observed_at), in DuckDB SQL',
  async build(ctx: DemoContext) {
    const { world, labelsSql, eventsSql, partSql } = await demoSourceTables(ctx);
    const asOf = world.manifest.config.end;
    const dir = join(ctx.ws.config.home, 'demo', 'training');
    mkdirSync(dir, { recursive: true });
    const session = await openDuckDb({ tempDirectory: join(ctx.ws.config.home, 'tmp', 'duckdb') });
    const tables: DemoTrainingTable[] = [];
    try {
      for (const period of ['reference', 'current'] as const) {
        const customersSql = await partSql(period);
        const file = join(dir, `${DEMO_TRAINING_DATASETS[period]}.parquet`);
        await session.connection.run(`CREATE OR REPLACE TEMP TABLE demo_training AS ${trainingSql(customersSql, labelsSql, eventsSql, asOf)}`);
        const counts = await queryRow(
          session.connection,
          `SELECT count(*) AS rows, avg(CAST(${DEMO_TARGET} AS DOUBLE)) AS churn_rate,
             (SELECT count(*) FROM ${customersSql} c JOIN ${labelsSql} l USING (customer_id) WHERE l.label_available_at >= ${asOfSql(asOf)}) AS pending,
             (SELECT count(*) FROM ${customersSql} c JOIN ${labelsSql} l USING (customer_id) WHERE l.label_available_at < ${asOfSql(asOf)} AND c.age IS NULL) AS age_unknown
           FROM demo_training`,
        );
        rmSync(file, { force: true });
        await session.singleThreaded(() => session.connection.run(`COPY demo_training TO ${sqlString(file)} (FORMAT parquet)`));
        const stored = await ingestDataset(
          ctx.ws,
          {
            path: file,
            name: DEMO_TRAINING_DATASETS[period],
            tags: { customer_id: ['id'], [DEMO_TARGET]: ['target'], [DEMO_SENSITIVE]: ['sensitive'] },
            env: ctx.env,
            description: `churn training table, ${period} period: ${SQL_TRAINING_TABLES.description}`,
          },
          ctx.progress(),
        );
        const rows = Number(counts.rows);
        tables.push({
          period,
          dataset: stored.dataset,
          version: stored.version,
          rows,
          columns: stored.columns,
          churnRate: Number(counts.churn_rate),
          labelsPending: Number(counts.pending),
          ageUnknown: Number(counts.age_unknown),
          created: stored.created,
          file,
        });
      }
    } finally {
      session.close();
    }
    return { features: [...CUSTOMER_FEATURES, ...EVENT_FEATURES, DEMO_SENSITIVE], tables };
  },
});

/**
 * The training-table query of one period. Rows are ordered by customer_id, so the same inputs give the same file.
 * `asOf` is an ISO instant: labels that became available at or after it are left out.
 */
export function trainingSql(customers: string, labels: string, events: string, asOf: string): string {
  const hours = '60.0';
  return `
WITH c AS (SELECT * FROM ${customers}),
l AS (SELECT customer_id, observed_at, churned, label_available_at FROM ${labels}),
usage AS (
  SELECT c.customer_id,
    count(*) FILTER (WHERE e.event_type = 'session' AND e.event_at >= c.observed_at - INTERVAL 7 DAY) AS sessions_7d,
    count(*) FILTER (WHERE e.event_type = 'session') AS sessions_90d,
    round(coalesce(sum(e.duration_minutes) FILTER (WHERE e.event_type = 'session'), 0) / ${hours}, 2) AS session_hours_90d,
    count(*) FILTER (WHERE e.event_type = 'support_ticket' AND e.event_at >= c.observed_at - INTERVAL 30 DAY) AS tickets_30d,
    round(epoch(c.observed_at - max(e.event_at) FILTER (WHERE e.event_type = 'session')) / 86400.0, 2) AS days_since_last_session
  FROM c JOIN ${events} e
    ON e.customer_id = c.customer_id AND e.event_at < c.observed_at AND e.event_at >= c.observed_at - INTERVAL 90 DAY
  GROUP BY c.customer_id, c.observed_at
)
SELECT c.customer_id,
  ${CUSTOMER_FEATURES.map((f) => `c.${f}`).join(', ')},
  CAST(coalesce(u.sessions_7d, 0) AS INTEGER) AS sessions_7d,
  CAST(coalesce(u.sessions_90d, 0) AS INTEGER) AS sessions_90d,
  coalesce(u.session_hours_90d, 0) AS session_hours_90d,
  CAST(coalesce(u.tickets_30d, 0) AS INTEGER) AS tickets_30d,
  u.days_since_last_session,
  CASE WHEN c.age < 35 THEN 'under 35' WHEN c.age < 50 THEN '35-49' WHEN c.age < 65 THEN '50-64' ELSE '65+' END AS ${DEMO_SENSITIVE},
  l.churned
FROM c
JOIN l ON l.customer_id = c.customer_id AND l.observed_at = c.observed_at
LEFT JOIN usage u ON u.customer_id = c.customer_id
WHERE l.label_available_at < ${asOfSql(asOf)} AND c.age IS NOT NULL
ORDER BY c.customer_id`;
}

/** An ISO instant as a DuckDB timestamp literal (UTC). */
function asOfSql(asOf: string): string {
  return `TIMESTAMP ${sqlString(new Date(asOf).toISOString().replace('T', ' ').replace(/Z$/, ''))}`;
}
