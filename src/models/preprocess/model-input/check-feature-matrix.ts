import { LoomError } from '../../../core/errors/index.js';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * Checks a training matrix before a learner reads it: at least one row and one column, a consistent shape, and every
 * value finite. A column with no finite value is reported as all missing; otherwise the first non-finite value is
 * reported with its row. One pass over `X.values`; allocates two arrays of `X.cols` entries.
 *
 * @throws LOOM_ERR_MODEL_DATA_EMPTY (no rows or no columns), LOOM_ERR_MODEL_INPUT_INVALID (shape; field `X`),
 *   LOOM_ERR_MODEL_FEATURE_INVALID (details.field = the feature name, details.row for a single bad value)
 */
export function checkFeatureMatrix(X: FeatureMatrix): void {
  const { rows, cols, values } = X;
  if (values.length !== rows * cols || X.names.length !== cols) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'X', problem: `its shape is inconsistent: ${values.length} values, ${rows} rows × ${cols} columns, ${X.names.length} names` }, { details: { field: 'X' } });
  }
  if (rows === 0) throw new LoomError('MODEL_DATA_EMPTY', { what: 'rows' }, { details: { field: 'X' } });
  if (cols === 0) throw new LoomError('MODEL_DATA_EMPTY', { what: 'feature columns' }, { details: { field: 'X' } });
  const bad = new Int32Array(cols);
  const firstBad = new Int32Array(cols).fill(-1);
  let anyBad = false;
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, at++) {
      const v = values[at];
      if (v - v !== 0) {
        // v - v is NaN exactly for NaN and ±Infinity.
        if (bad[j] === 0) firstBad[j] = i;
        bad[j]++;
        anyBad = true;
      }
    }
  }
  if (!anyBad) return;
  for (let j = 0; j < cols; j++) {
    if (bad[j] === rows) throw featureError(X.names[j], 'every value is missing (NaN); drop the feature or impute it with a constant', undefined);
  }
  for (let j = 0; j < cols; j++) {
    if (bad[j] > 0) {
      const v = values[firstBad[j] * cols + j];
      throw featureError(X.names[j], `row ${firstBad[j]} holds ${v} (${bad[j]} rows are not finite); impute missing values in the preprocessing pipeline`, firstBad[j]);
    }
  }
}

/** The error for a non-finite feature value met at prediction time (details.field = feature name, details.row). */
export function nonFiniteFeature(name: string, row: number, value: number): LoomError {
  return featureError(name, `row ${row} holds ${value}; every feature must be a finite number, so impute missing values before predicting`, row);
}

function featureError(field: string, problem: string, row: number | undefined): LoomError {
  return new LoomError('MODEL_FEATURE_INVALID', { field, problem }, { details: row === undefined ? { field } : { field, row } });
}
