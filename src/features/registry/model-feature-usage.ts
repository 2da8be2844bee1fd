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
 * The registered model versions that use `view`, from the model registry.
 *
 * The registry does not record feature refs yet (model_versions has no feature column), so this returns [] and
 * apply treats every view as unused. Once the registry stores the refs each model was trained with, this query
 * reads them and the breaking-change guard in applyFeatures takes effect with no other change.
 */
export const registeredModelUsage: FeatureUsageLookup = async () => [];
