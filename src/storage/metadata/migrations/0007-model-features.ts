import type { LoomMigration } from './migration-context.js';

/**
 * Feature refs of models: `feature_training_sets` records, per dataset version built by the feature store, the
 * feature refs and view versions its columns came from; `model_feature_refs` holds, per registered model version,
 * the refs it was trained on (copied at registration from the training set behind its train dataset, or given
 * explicitly). `loom features apply` reads the latter to refuse breaking changes to views a model uses, and serving
 * reads it to enrich requests with online features.
 */
export const modelFeatures: LoomMigration = {
  name: '0007-model-features',
  async up({ db }) {
    await db.schema
      .createTable('feature_training_sets')
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('refs_json', 'text', (c) => c.notNull())
      .addColumn('entities', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('feature_training_sets_pk', ['dataset', 'version'])
      .execute();
    await db.schema
      .createTable('model_feature_refs')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('view', 'text', (c) => c.notNull())
      .addColumn('view_version', 'text', (c) => c.notNull())
      .addColumn('feature', 'text', (c) => c.notNull())
      .addColumn('column_name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_feature_refs_pk', ['model', 'version', 'position'])
      .addForeignKeyConstraint('model_feature_refs_version_fk', ['model', 'version'], 'model_versions', ['model', 'version'])
      .execute();
    await db.schema.createIndex('model_feature_refs_by_view').on('model_feature_refs').columns(['view', 'view_version']).execute();
  },
};
