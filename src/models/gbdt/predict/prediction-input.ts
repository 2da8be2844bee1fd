import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import type { FeatureMatrix } from '../data/feature-matrix.js';
import { frameFeatureColumns } from '../data/frame-feature-columns.js';
import { isGbdtMatrix, type GbdtMatrix } from '../data/gbdt-matrix.js';
import type { GbdtModel } from '../gbdt-model.js';

/**
 * Prediction rows in the model's feature order: Frame columns by name (categories re-expressed in the training
 * dictionary; unseen ones act as missing and go right at every categorical split), or matrix columns by position.
 *
 * @throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID for a missing column, a column of the wrong type or kind, or the wrong
 *   number of matrix columns or rows.
 */
export function predictionMatrix(model: GbdtModel, data: Frame | GbdtMatrix): FeatureMatrix {
  const features = model.features;
  const names = features.map((f) => f.name);
  const categorical = features.map((f) => f.categorical);
  if (isGbdtMatrix(data)) {
    if (data.columns.length !== features.length) fail('columns', `${data.columns.length} columns given, the model has ${features.length} features`);
    const numRows = data.columns.length > 0 ? data.columns[0].length : 0;
    data.columns.forEach((c, f) => {
      if (c.length !== numRows) fail(names[f], `it has ${c.length} rows, the first column ${numRows}`);
    });
    return { numRows, names, categorical, dictionaries: features.map((f) => f.dictionary), columns: data.columns.map((values) => ({ values, validity: null })) };
  }
  const read = frameFeatureColumns(data, names, features.map((f) => f.dictionary), 'GBDT_PREDICT_INPUT_INVALID');
  read.isCategory.forEach((isCategory, f) => {
    if (isCategory && !features[f].categorical) fail(names[f], 'it is a category column, but the model was trained on it as a number');
  });
  return { numRows: data.length, names, categorical, dictionaries: read.dictionaries, columns: read.columns };
}

function fail(field: string, problem: string): never {
  throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field, problem }, { details: { field } });
}
