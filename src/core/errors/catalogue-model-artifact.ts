import type { ErrorArea } from './error-definition.js';

/** Errors from src/models/artifact: saving and loading model directories. */
export const MODEL_ARTIFACT_ERRORS = {
  ARTIFACT_MODEL_FORMAT_UNSUPPORTED: {
    status: 400,
    message: 'The model at {dir} has format version {version}, but this Loom reads versions up to {supported}. Upgrade loom-ml to load it.',
    meaning: 'A model directory was written by a newer Loom, or its manifest names a format this Loom does not know.',
    fix: 'Upgrade loom-ml, or re-train the model with this version.',
  },
  ARTIFACT_MODEL_TAMPERED: {
    status: 409,
    message: 'The model at {dir} fails its integrity check: {file} {problem}. Restore the directory from its source or re-train the model.',
    meaning: 'A file of the model (or the manifest itself) no longer matches the hash recorded when it was saved.',
    fix: 'Copy the model again from where it came from, or re-train it. Never edit a saved model by hand.',
  },
  ARTIFACT_MODEL_FILE_MISSING: {
    status: 404,
    message: 'The model at {dir} is missing {file}. Copy the whole model directory, or re-train the model.',
    meaning: 'A model directory lacks its manifest or one of the files the manifest lists.',
    fix: 'Copy the complete directory; `loom train --out <dir>` writes all of it.',
  },
  ARTIFACT_MODEL_INVALID: {
    status: 400,
    message: 'The model manifest at {dir} is invalid at "{field}": {problem}.',
    meaning: 'manifest.json is not valid JSON or does not have the documented shape.',
    fix: 'Restore the directory from its source or re-train; docs/model-artifact.md describes the manifest.',
  },
  ARTIFACT_MODEL_EXISTS: {
    status: 409,
    message: 'A model already exists at {dir}. Choose another --out directory, or pass overwrite to replace it.',
    meaning: 'Saving would replace a model directory that is already there.',
    fix: 'Use a new directory or allow overwriting explicitly.',
  },
} as const satisfies ErrorArea;
