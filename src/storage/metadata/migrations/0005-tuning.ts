import type { LoomMigration } from './migration-context.js';

/**
 * Hyperparameter tuning: a study (its search space and settings, fingerprinted so a resume with other ones is refused),
 * its trials (one tracked run each) and every trial's intermediate scores, which the pruners read back after a resume.
 */
export const tuning: LoomMigration = {
  name: '0005-tuning',
  async up({ db }) {
    await db.schema
      .createTable('tuning_studies')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('space_json', 'text', (c) => c.notNull())
      .addColumn('settings_json', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('parent_run_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tuning_trials')
      .addColumn('study', 'text', (c) => c.notNull().references('tuning_studies.name'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('run_id', 'text')
      .addColumn('message', 'text')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addPrimaryKeyConstraint('tuning_trials_pk', ['study', 'number'])
      .execute();
    await db.schema
      .createTable('tuning_intermediate_values')
      .addColumn('study', 'text', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('tuning_intermediate_values_pk', ['study', 'number', 'step'])
      .execute();
  },
};
