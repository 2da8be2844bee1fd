import type { Workspace } from '../../storage/workspace.js';

/** A registered model version that reads features of a view. */
export interface ModelFeatureUse {
  /** `name` and `version` of the registered model version. */
  readonly model: string;
  readonly modelVersion: number;
  /** The view version it was trained on. */
  readonly viewVersion: string;
  /** The feature refs it reads from the view. */
  readonly features: readonly string[];
}

/** Answers which registered models read a view; apply consults it before a breaking change. */
export type FeatureUsageLookup = (ws: Workspace, view: string) => Promise<readonly ModelFeatureUse[]>;

/**
 * The registered model versions that use `view`, from the model registry: the feature refs each version was
 * registered with (`model_feature_refs`, filled at registration from the feature-store training set behind the
 * model's train dataset, or given explicitly). Archived versions no longer count. Ordered by model, then version.
 *
 * @example
 * for (const use of await registeredModelUsage(ws, 'customer_stats')) console.log(use.model, use.modelVersion, use.features);
 */
export const registeredModelUsage: FeatureUsageLookup = async (ws, view) => {
  const { db } = await ws.metadata();
  const rows = await db
    .selectFrom('model_feature_refs as r')
    .innerJoin('model_versions as v', (j) => j.onRef('v.model', '=', 'r.model').onRef('v.version', '=', 'r.version'))
    .select(['r.model', 'r.version', 'r.view_version', 'r.feature'])
    .where('r.view', '=', view)
    .where('v.stage', '!=', 'archived')
    .orderBy('r.model')
    .orderBy('r.version')
    .orderBy('r.position')
    .execute();
  const uses = new Map<string, { model: string; modelVersion: number; viewVersion: string; features: string[] }>();
  for (const r of rows) {
    const key = `${r.model}\u0000${r.version}\u0000${r.view_version}`;
    let use = uses.get(key);
    if (use === undefined) {
      use = { model: r.model, modelVersion: Number(r.version), viewVersion: r.view_version, features: [] };
      uses.set(key, use);
    }
    use.features.push(`${view}:${r.feature}`);
  }
  return [...uses.values()];
};
