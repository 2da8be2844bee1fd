import type { LoomMigration } from './migration-context.js';

/**
 * The feature registry: entities, feature views (one row per name, pointing at the latest version), their immutable
 * versions (content-addressed specs), and the materialization high-water marks the online store advances.
 */
export const features: LoomMigration = {
  name: '0003-features',
  async up({ db }) {
    await db.schema
      .createTable('feature_entities')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('spec_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('removed_at', 'bigint')
      .execute();
    await db.schema
      .createTable('feature_views')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('latest_version', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('tags_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('removed_at', 'bigint')
      .execute();
    await db.schema
      .createTable('feature_view_versions')
      .addColumn('view', 'text', (c) => c.notNull().references('feature_views.name'))
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('spec_json', 'text', (c) => c.notNull())
      .addColumn('retained', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('feature_view_versions_pk', ['view', 'version'])
      .execute();
    await db.schema.createIndex('feature_view_versions_by_time').on('feature_view_versions').columns(['view', 'created_at']).execute();
    await db.schema
      .createTable('feature_materializations')
      .addColumn('view', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('store', 'text', (c) => c.notNull())
      .addColumn('high_water_mark', 'bigint', (c) => c.notNull())
      .addColumn('rows', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('feature_materializations_pk', ['view', 'version', 'store'])
      .execute();
  },
};
