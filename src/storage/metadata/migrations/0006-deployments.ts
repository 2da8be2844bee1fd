import type { LoomMigration } from './migration-context.js';
import { autoIdType } from './migration-context.js';

/**
 * Deployments and online experiments: each deployment of a model (strategy spec, arms → registry versions, state and
 * canary step, with a revision for compare-and-set), its append-only event trail, the per-request arm assignments
 * that serving writes in batches, and the feedback outcomes clients post (keyed by request id and outcome name, so a
 * repeated post is a no-op and an outcome may arrive before or long after its assignment).
 */
export const deployments: LoomMigration = {
  name: '0006-deployments',
  async up({ db, backend }) {
    await db.schema
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('spec_json', 'text', (c) => c.notNull())
      .addColumn('arms_json', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('step_started_at', 'bigint', (c) => c.notNull())
      .addColumn('final_arm', 'text')
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deployments_by_model').on('deployments').columns(['model', 'created_at']).execute();
    await db.schema
      .createTable('deployment_events')
      .addColumn('id', autoIdType(backend), (c) => (backend === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_step', 'integer')
      .addColumn('to_step', 'integer')
      .addColumn('arm', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deployment_events_by_deployment').on('deployment_events').columns(['deployment_id', 'id']).execute();
    await db.schema
      .createTable('deployment_assignments')
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('arm', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'text')
      .addColumn('propensity', 'double precision', (c) => c.notNull())
      .addColumn('score', 'double precision')
      .addColumn('served', 'integer', (c) => c.notNull())
      .addColumn('failed', 'integer', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision')
      .addColumn('details_json', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('deployment_assignments_pk', ['deployment_id', 'request_id', 'arm'])
      .execute();
    await db.schema.createIndex('deployment_assignments_by_request').on('deployment_assignments').columns(['request_id']).execute();
    await db.schema
      .createTable('deployment_outcomes')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('value_json', 'text')
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('deployment_outcomes_pk', ['request_id', 'outcome'])
      .execute();
  },
};
