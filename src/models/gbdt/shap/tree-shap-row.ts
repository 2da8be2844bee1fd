import { LoomError } from '../../../core/errors/index.js';
import type { GbdtModel } from '../gbdt-model.js';
import { addRowShap } from './add-row-shap.js';
import { NO_SHAP_OPTIONS, type TreeShapOptions } from './tree-shap.js';

/**
 * The single-row path: TreeSHAP for one row of feature values in the model's feature order (NaN = missing;
 * categorical features as codes of the feature's dictionary, -1 = missing or unseen). Writes numOutputs × (F + 1)
 * values into `out` (caller-owned, overwritten; same layout as one row of treeShap) and returns it. Allocates nothing
 * after the model's first call.
 *
 * @throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID when `row` or `out` has the wrong length.
 * @example
 * const out = new Float64Array(model.numOutputs * (model.features.length + 1));
 * treeShapRow(model, Float64Array.of(39, 7, 77516), out);
 */
export function treeShapRow(model: GbdtModel, row: Float64Array, out: Float64Array, options: TreeShapOptions = NO_SHAP_OPTIONS): Float64Array {
  const numFeatures = model.features.length;
  if (row.length !== numFeatures) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'row', problem: `it has ${row.length} values, the model ${numFeatures} features` }, { details: { field: 'row' } });
  }
  const width = model.numOutputs * (numFeatures + 1);
  if (out.length !== width) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'out', problem: `it has ${out.length} entries; ${model.numOutputs} outputs × ${numFeatures + 1} need ${width}` }, { details: { field: 'out' } });
  }
  out.fill(0);
  addRowShap(model, row, out, 0, options);
  return out;
}
