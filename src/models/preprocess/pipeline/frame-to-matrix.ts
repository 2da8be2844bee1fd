import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { columnTypeError } from '../columns/step-column.js';
import { FeatureMatrix } from '../model-input/feature-matrix.js';

/**
 * Writes the named columns of `frame` into a row-major Float64Array: `out[i * names.length + j]` is column `j` of row
 * `i`; null rows are NaN. Float, int, bool (0/1) and timestamp (epoch ms) columns are accepted. `out` (caller-owned,
 * at least rows × columns long) is allocated when not given.
 *
 * @throws LOOM_ERR_PREPROCESS_COLUMN_MISSING (a name absent), LOOM_ERR_PREPROCESS_COLUMN_TYPE (a category, string or
 *   embedding column: encode it first), LOOM_ERR_MODEL_INPUT_INVALID (field `out`: too short)
 */
export function frameToMatrix(frame: Frame, names: readonly string[], out?: Float64Array): FeatureMatrix {
  const rows = frame.length;
  const cols = names.length;
  const values = out ?? new Float64Array(rows * cols);
  if (values.length < rows * cols) {
    throw new LoomError('MODEL_INPUT_INVALID', { field: 'out', problem: `it holds ${values.length} values, and ${rows} rows × ${cols} features need ${rows * cols}` }, { details: { field: 'out' } });
  }
  for (let j = 0; j < cols; j++) {
    const name = names[j];
    if (!frame.has(name)) throw new LoomError('PREPROCESS_COLUMN_MISSING', { field: name, type: 'a feature' }, { details: { field: name } });
    const column = frame.column(name);
    if (column.type !== 'float' && column.type !== 'int' && column.type !== 'bool' && column.type !== 'timestamp') {
      throw columnTypeError(name, column.type, 'a numeric column', 'the feature matrix; encode categories with one_hot, ordinal, target_encode or hash, or drop the column');
    }
    const source = column.values;
    const validity = column.validity;
    for (let i = 0, at = j; i < rows; i++, at += cols) values[at] = validity === null || isValid(validity, i) ? source[i] : Number.NaN;
  }
  return FeatureMatrix.create(values.length === rows * cols ? values : values.subarray(0, rows * cols), cols, names);
}
