import type { ModelFeatureRef } from '../../registry/model-feature-refs.js';
import type { Workspace } from '../../storage/workspace.js';

/**
 * @internal Records that dataset version `dataset@version` was built by the feature store from `refs`, so a model
 * trained on it (or on a split of it) is registered with those refs. Idempotent: the same content (same version id)
 * keeps the first record's time and takes the latest refs.
 */
export async function recordTrainingSet(ws: Workspace, record: { dataset: string; version: string; refs: readonly ModelFeatureRef[]; entities: string; now: number }): Promise<void> {
  const { db } = await ws.metadata();
  await db
    .insertInto('feature_training_sets')
    .values({ dataset: record.dataset, version: record.version, refs_json: JSON.stringify(record.refs), entities: record.entities, created_at: record.now })
    .onConflict((oc) => oc.columns(['dataset', 'version']).doUpdateSet({ refs_json: JSON.stringify(record.refs), entities: record.entities }))
    .execute();
}

/** The feature refs recorded for a dataset version, or null when the feature store did not build it. */
export async function trainingSetRefs(ws: Workspace, dataset: string, version: string): Promise<ModelFeatureRef[] | null> {
  const { db } = await ws.metadata();
  const row = await db.selectFrom('feature_training_sets').select('refs_json').where('dataset', '=', dataset).where('version', '=', version).executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.refs_json) as ModelFeatureRef[]);
}
