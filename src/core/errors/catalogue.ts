import { CORE_ERRORS } from './catalogue-core.js';
import { DATA_ERRORS } from './catalogue-data.js';
import { MODEL_ARTIFACT_ERRORS } from './catalogue-model-artifact.js';
import { MODEL_ERRORS } from './catalogue-models.js';
import { STORAGE_ERRORS } from './catalogue-storage.js';
import { TRAINING_ERRORS } from './catalogue-training.js';
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
  ...VALIDATION_ERRORS,
  ...MODEL_ERRORS,
  ...MODEL_ARTIFACT_ERRORS,
  ...TRAINING_ERRORS,
} as const;

/** The per-area tables, in docs order. */
export const ERROR_AREAS: ReadonlyArray<readonly [string, Readonly<Record<string, ErrorDefinition>>]> = [
  ['Core', CORE_ERRORS],
  ['Storage', STORAGE_ERRORS],
  ['Data', DATA_ERRORS],
  ['Validation', VALIDATION_ERRORS],
  ['Models', MODEL_ERRORS],
  ['Model artifacts', MODEL_ARTIFACT_ERRORS],
  ['Training', TRAINING_ERRORS],
];

/** A catalogue key such as `DATA_FILE_NOT_FOUND`. */
export type ErrorName = keyof typeof ERROR_CATALOGUE;
