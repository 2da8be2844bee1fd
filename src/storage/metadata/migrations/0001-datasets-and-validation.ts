import type { LoomMigration } from './migration-context.js';
import { autoIdType } from './migration-context.js';

/** Datasets, their immutable versions, validation suites and validation results. */
export const datasetsAndValidation: LoomMigration = {
  name: '0001-datasets-and-validation',
  async up({ db, backend }) {
    await db.schema
      .createTable('datasets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('latest_version', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('dataset_versions')
      .addColumn('dataset', 'text', (c) => c.notNull().references('datasets.name'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('blob_hash', 'text', (c) => c.notNull())
      .addColumn('rows', 'bigint', (c) => c.notNull())
      .addColumn('schema_json', 'text', (c) => c.notNull())
      .addColumn('profile_json', 'text', (c) => c.notNull())
      .addColumn('source_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('dataset_versions_pk', ['dataset', 'id'])
      .execute();
    await db.schema.createIndex('dataset_versions_by_time').on('dataset_versions').columns(['dataset', 'created_at']).execute();
    await db.schema
      .createTable('validation_suites')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('suite_json', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('validation_results')
      .addColumn('id', autoIdType(backend), (c) => (backend === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('suite', 'text', (c) => c.notNull())
      .addColumn('suite_hash', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('success', 'integer', (c) => c.notNull())
      .addColumn('result_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('validation_results_by_suite').on('validation_results').columns(['suite', 'created_at']).execute();
  },
};
