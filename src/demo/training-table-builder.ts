import { LoomError } from '../core/errors/index.js';
import { sqlString } from '../data/duckdb/sql-text.js';
import { resolveVersion } from '../data/versions/resolve-version.js';
import type { DemoTrainingTable } from './demo-report.js';
import type { DemoContext } from './demo-step.js';

/** Dataset names of the churn training tables, by period. */
export const DEMO_TRAINING_DATASETS = Object.freeze({ reference: 'churn-training-reference', current: 'churn-training-current' });

/** The label column of the training tables. */
export const DEMO_TARGET = 'churned';
/** The sensitive column the tables carry for fairness: age in bands, derived from `age` (tagged sensitive by the world). */
export const DEMO_SENSITIVE = 'age_band';

/**
 * How the demo turns the ingested datasets into one labelled row per customer and period. The demo's step calls
 * `build`; a point-in-time feature-store version (feature views plus an ASOF join) can replace the SQL one here
 * without touching the steps after it, as long as it returns the two periods' dataset versions with the same target
 * and sensitive column.
 */
export interface TrainingTableBuilder {
  /** Short name, shown in the report. */
  readonly name: string;
  /** One sentence on how the rows are made. */
  readonly description: string;
  build(ctx: DemoContext): Promise<{ features: readonly string[]; tables: readonly DemoTrainingTable[] }>;
}

/** What every builder starts from: the world, and DuckDB table expressions over the ingested dataset versions. */
export interface DemoSourceTables {
  readonly world: NonNullable<DemoContext['state']['world']>;
  /** `read_parquet(…)` of the labels and events datasets. */
  readonly labelsSql: string;
  readonly eventsSql: string;
  /** `read_parquet(…)` of a period's customers part. */
  partSql(period: 'reference' | 'current'): Promise<string>;
}

/**
 * The source tables of the demo's training tables.
 * @throws LOOM_ERR_CORE_INTERNAL when the generate, ingest and split steps have not run
 */
export async function demoSourceTables(ctx: DemoContext): Promise<DemoSourceTables> {
  const world = ctx.state.world;
  const byRole = new Map(ctx.report.datasets.map((d) => [d.role, d]));
  const labels = byRole.get('labels');
  const events = byRole.get('events');
  const reference = byRole.get('reference');
  const current = byRole.get('current');
  if (world === undefined || labels === undefined || events === undefined || reference === undefined || current === undefined) {
    throw new LoomError('CORE_INTERNAL', { problem: 'the features step needs the generate, ingest and split steps before it' });
  }
  const artifacts = await ctx.ws.artifacts();
  const parquet = async (d: { readonly name: string; readonly version: string }): Promise<string> => `read_parquet(${sqlString(await artifacts.localPath((await resolveVersion(ctx.ws, `${d.name}@${d.version}`)).blobHash))})`;
  return { world, labelsSql: await parquet(labels), eventsSql: await parquet(events), partSql: (period) => parquet(period === 'reference' ? reference : current) };
}
