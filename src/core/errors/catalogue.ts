import { BATCH_PREDICT_ERRORS } from './catalogue-batch-predict.js';
import { CORE_ERRORS } from './catalogue-core.js';
import { DATA_ERRORS } from './catalogue-data.js';
import { DEPLOYMENT_ERRORS } from './catalogue-deployment.js';
import { DEPLOYMENT_STATISTICS_ERRORS } from './catalogue-deployment-statistics.js';
import { FEATURES_ERRORS } from './catalogue-features.js';
import { EVALUATION_ERRORS } from './catalogue-evaluation.js';
import { GBDT_RANKING_ERRORS } from './catalogue-gbdt-ranking.js';
import { MODEL_ARTIFACT_ERRORS } from './catalogue-model-artifact.js';
import { MODEL_ERRORS } from './catalogue-models.js';
import { REGISTRY_ERRORS } from './catalogue-registry.js';
import { SERVING_ERRORS } from './catalogue-serving.js';
import { STORAGE_ERRORS } from './catalogue-storage.js';
import { TRAINING_ERRORS } from './catalogue-training.js';
import { TRACKING_ERRORS } from './catalogue-tracking.js';
import { TUNING_ERRORS } from './catalogue-tuning.js';
import { VALIDATION_ERRORS } from './catalogue-validation.js';
import type { ErrorDefinition } from './error-definition.js';

/**
 * Every Loom error code, without its `LOOM_ERR_` prefix. Areas live in their own files; this merges them and a test
 * checks that no code is defined twice and that docs/errors.md lists exactly these codes.
 */
export const ERROR_CATALOGUE = {
  ...CORE_ERRORS,
  ...STORAGE_ERRORS,
  ...DATA_ERRORS,
  ...FEATURES_ERRORS,
  ...VALIDATION_ERRORS,
  ...MODEL_ERRORS,
  ...GBDT_RANKING_ERRORS,
  ...MODEL_ARTIFACT_ERRORS,
  ...TRAINING_ERRORS,
  ...TRACKING_ERRORS,
  ...TUNING_ERRORS,
  ...EVALUATION_ERRORS,
  ...REGISTRY_ERRORS,
  ...SERVING_ERRORS,
  ...BATCH_PREDICT_ERRORS,
  ...DEPLOYMENT_ERRORS,
  ...DEPLOYMENT_STATISTICS_ERRORS,
} as const;

/** The per-area tables, in docs order. */
export const ERROR_AREAS: ReadonlyArray<readonly [string, Readonly<Record<string, ErrorDefinition>>]> = [
  ['Core', CORE_ERRORS],
  ['Storage', STORAGE_ERRORS],
  ['Data', DATA_ERRORS],
  ['Features', FEATURES_ERRORS],
  ['Validation', VALIDATION_ERRORS],
  ['Models', MODEL_ERRORS],
  ['GBDT ranking', GBDT_RANKING_ERRORS],
  ['Model artifacts', MODEL_ARTIFACT_ERRORS],
  ['Training', TRAINING_ERRORS],
  ['Tracking', TRACKING_ERRORS],
  ['Tuning', TUNING_ERRORS],
  ['Evaluation', EVALUATION_ERRORS],
  ['Registry and promotion gates', REGISTRY_ERRORS],
  ['Serving', SERVING_ERRORS],
  ['Batch prediction', BATCH_PREDICT_ERRORS],
  ['Deployment', DEPLOYMENT_ERRORS],
  ['Deployment statistics', DEPLOYMENT_STATISTICS_ERRORS],
];

/** A catalogue key such as `DATA_FILE_NOT_FOUND`. */
export type ErrorName = keyof typeof ERROR_CATALOGUE;
