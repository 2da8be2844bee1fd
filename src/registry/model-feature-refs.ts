import { LoomError } from '../core/errors/index.js';
import type { ModelLineage } from '../models/artifact/index.js';
import type { Db } from './registry-context.js';

/**
 * One feature a model version was trained on: the ref `view:feature`, the view version its values came from, and the
 * model input column it fills (the training set's column name: `feature`, or `view__feature` with full names).
 */
export interface ModelFeatureRef {
  readonly ref: string;
  readonly view: string;
  readonly viewVersion: string;
  readonly feature: string;
  readonly column: string;
}

const REF = /^[A-Za-z][A-Za-z0-9_]*:[A-Za-z][A-Za-z0-9_]*$/;
const VERSION = /^[0-9a-f]{64}$/;

/**
 * @internal Checks refs given to ModelRegistry.register (`features`).
 * @throws LOOM_ERR_REGISTRY_INVALID_OPTION naming the bad entry
 */
export function checkFeatureRefs(refs: readonly ModelFeatureRef[]): ModelFeatureRef[] {
  if (!Array.isArray(refs)) throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'features', problem: 'it must be an array of { ref, view, viewVersion, feature, column }' }, { details: { field: 'features' } });
  const columns = new Set<string>();
  return refs.map((r, i) => {
    const field = `features[${i}]`;
    const bad = (problem: string) => new LoomError('REGISTRY_INVALID_OPTION', { field, problem }, { details: { field } });
    if (r === null || typeof r !== 'object') throw bad('it must be an object { ref, view, viewVersion, feature, column }');
    if (typeof r.ref !== 'string' || !REF.test(r.ref) || r.ref !== `${r.view}:${r.feature}`) throw bad('ref must be "view:feature" and match view and feature');
    if (typeof r.viewVersion !== 'string' || !VERSION.test(r.viewVersion)) throw bad('viewVersion must be the 64-hex view version (loom features show <view>)');
    if (typeof r.column !== 'string' || r.column === '') throw bad('column must name the model input the feature fills');
    if (columns.has(r.column)) throw bad(`column "${r.column}" is listed twice`);
    columns.add(r.column);
    return { ref: r.ref, view: r.view, viewVersion: r.viewVersion, feature: r.feature, column: r.column };
  });
}

/**
 * @internal The feature refs behind a model's training data: the training set recorded for its `train` dataset
 * version, following split parts to the dataset they were split from and appended versions to their base. Empty
 * when the train data was not built by the feature store.
 */
export async function trainingSetFeatureRefs(db: Db, lineage: ModelLineage): Promise<ModelFeatureRef[]> {
  const train = lineage.datasets.find((d) => d.role === 'train');
  if (train === undefined) return [];
  let at: { dataset: string; version: string } | null = { dataset: train.name, version: train.version };
  for (let hop = 0; at !== null && hop < 32; hop++) {
    const found = await db.selectFrom('feature_training_sets').select('refs_json').where('dataset', '=', at.dataset).where('version', '=', at.version).executeTakeFirst();
    if (found !== undefined) return JSON.parse(found.refs_json) as ModelFeatureRef[];
    const row = await db.selectFrom('dataset_versions').select(['parent_id', 'source_json']).where('dataset', '=', at.dataset).where('id', '=', at.version).executeTakeFirst();
    if (row === undefined) return [];
    const source = JSON.parse(row.source_json) as { kind?: string; parent?: { dataset: string; version: string } };
    at = source.kind === 'split' && source.parent !== undefined ? { dataset: source.parent.dataset, version: source.parent.version } : row.parent_id !== null ? { dataset: at.dataset, version: row.parent_id } : null;
  }
  return [];
}

/** @internal Stores a new version's refs, inside the registration transaction. */
export async function insertFeatureRefs(db: Db, model: string, version: number, refs: readonly ModelFeatureRef[]): Promise<void> {
  if (refs.length === 0) return;
  await db
    .insertInto('model_feature_refs')
    .values(refs.map((r, position) => ({ model, version, position, view: r.view, view_version: r.viewVersion, feature: r.feature, column_name: r.column })))
    .execute();
}

/** @internal The refs of one model version, in training-set order. */
export async function readFeatureRefs(db: Db, model: string, version: number): Promise<ModelFeatureRef[]> {
  const rows = await db.selectFrom('model_feature_refs').selectAll().where('model', '=', model).where('version', '=', version).orderBy('position').execute();
  return rows.map((r) => ({ ref: `${r.view}:${r.feature}`, view: r.view, viewVersion: r.view_version, feature: r.feature, column: r.column_name }));
}
