import type { LoomMigration } from './migration-context.js';

/**
 * Experiment tracking: experiments, runs, their params, tags, metric series (plus the latest value of each metric,
 * which search filters and sorts on), dataset lineage and artifacts.
 *
 * Search runs in the database: every filterable value sits in a (key, value) table with an index on
 * (key, value, run_id), so `metrics.auc > 0.9` is an index range scan, not a scan of every run in JS.
 */
export const tracking: LoomMigration = {
  name: '0002-tracking',
  async up({ db }) {
    await db.schema
      .createTable('experiments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_message', 'text')
      .addColumn('start_time', 'bigint', (c) => c.notNull())
      .addColumn('end_time', 'bigint')
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('git_sha', 'text')
      .addColumn('git_dirty', 'integer')
      .addColumn('seed', 'bigint')
      .addColumn('system_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('runs_by_experiment').on('runs').columns(['experiment_id', 'start_time']).execute();
    await db.schema.createIndex('runs_by_start').on('runs').columns(['start_time']).execute();
    await db.schema.createIndex('runs_by_status').on('runs').columns(['status', 'heartbeat_at']).execute();
    await db.schema.createIndex('runs_by_name').on('runs').columns(['name']).execute();

    for (const table of ['run_params', 'run_tags'] as const) {
      await db.schema
        .createTable(table)
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('num_value', 'double precision')
        .addPrimaryKeyConstraint(`${table}_pk`, ['run_id', 'key'])
        .execute();
      await db.schema.createIndex(`${table}_by_value`).on(table).columns(['key', 'value', 'run_id']).execute();
      await db.schema.createIndex(`${table}_by_number`).on(table).columns(['key', 'num_value', 'run_id']).execute();
    }

    await db.schema
      .createTable('run_metrics')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .execute();
    await db.schema.createIndex('run_metrics_by_key').on('run_metrics').columns(['run_id', 'key', 'step']).execute();

    await db.schema
      .createTable('run_latest_metrics')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('min_value', 'double precision')
      .addColumn('max_value', 'double precision')
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_latest_metrics_pk', ['run_id', 'key'])
      .execute();
    await db.schema.createIndex('run_latest_metrics_by_value').on('run_latest_metrics').columns(['key', 'value', 'run_id']).execute();

    await db.schema
      .createTable('run_datasets')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_datasets_pk', ['run_id', 'role', 'dataset'])
      .execute();
    await db.schema.createIndex('run_datasets_by_dataset').on('run_datasets').columns(['dataset', 'version', 'run_id']).execute();

    await db.schema
      .createTable('run_artifacts')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('bytes', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_artifacts_pk', ['run_id', 'path'])
      .execute();
  },
};
