import type { LoomMigration } from './migration-context.js';
import { autoIdType } from './migration-context.js';

/**
 * The model registry: registered models, their immutable versions, evaluation reports attached to versions, movable
 * aliases (a `revision` column makes every move a compare-and-set), the append-only history of every change, and
 * the deployments table that serving fills (created empty here so lineage can already list it).
 */
export const registry: LoomMigration = {
  name: '0004-registry',
  async up({ db, backend }) {
    await db.schema
      .createTable('registered_models')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('tags_json', 'text', (c) => c.notNull())
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('model_versions')
      .addColumn('model', 'text', (c) => c.notNull().references('registered_models.name'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('model_hash', 'text', (c) => c.notNull())
      .addColumn('flavor', 'text', (c) => c.notNull())
      .addColumn('task', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('manifest_blob', 'text', (c) => c.notNull())
      .addColumn('files_json', 'text', (c) => c.notNull())
      .addColumn('signature_json', 'text', (c) => c.notNull())
      .addColumn('lineage_json', 'text', (c) => c.notNull())
      .addColumn('card_blob', 'text')
      .addColumn('source_dir', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('tags_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_versions_pk', ['model', 'version'])
      .execute();
    // One version per artifact and model: registering the same bytes twice (even from two processes) finds the first.
    await db.schema.createIndex('model_versions_by_hash').unique().on('model_versions').columns(['model', 'model_hash']).execute();
    await db.schema.createIndex('model_versions_by_run').on('model_versions').columns(['run_id']).execute();
    await db.schema
      .createTable('model_evaluations')
      .addColumn('id', autoIdType(backend), (c) => (backend === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('report_blob', 'text', (c) => c.notNull())
      .addColumn('card_blob', 'text')
      .addColumn('data_ref', 'text', (c) => c.notNull())
      .addColumn('data_rows', 'bigint', (c) => c.notNull())
      .addColumn('evaluated_at', 'bigint', (c) => c.notNull())
      .addColumn('attached_at', 'bigint', (c) => c.notNull())
      .addColumn('attached_by', 'text', (c) => c.notNull())
      .addForeignKeyConstraint('model_evaluations_version_fk', ['model', 'version'], 'model_versions', ['model', 'version'])
      .execute();
    await db.schema.createIndex('model_evaluations_by_version').on('model_evaluations').columns(['model', 'version', 'id']).execute();
    await db.schema
      .createTable('model_aliases')
      .addColumn('model', 'text', (c) => c.notNull().references('registered_models.name'))
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_aliases_pk', ['model', 'alias'])
      .addForeignKeyConstraint('model_aliases_version_fk', ['model', 'version'], 'model_versions', ['model', 'version'])
      .execute();
    await db.schema
      .createTable('registry_events')
      .addColumn('id', autoIdType(backend), (c) => (backend === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('version', 'integer')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('alias', 'text')
      .addColumn('from_version', 'integer')
      .addColumn('to_version', 'integer')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registry_events_by_model').on('registry_events').columns(['model', 'id']).execute();
    await db.schema
      .createTable('model_deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('alias', 'text')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('strategy', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('model_deployments_by_version').on('model_deployments').columns(['model', 'version']).execute();
  },
};
