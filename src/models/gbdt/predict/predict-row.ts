import { LoomError } from '../../../core/errors/index.js';
import type { GbdtModel } from '../gbdt-model.js';
import { normalizeRows } from './compiled-trees.js';
import { scoringBlock } from './scoring-block.js';
import { checkOut, scoreInBlocks, type PredictOptions } from './predict-batch.js';

/**
 * The serving path: predicts one row given as feature values in the model's feature order (`model.features`; NaN =
 * missing; categorical features as codes of the feature's dictionary, -1 = missing or unseen). Writes numOutputs
 * values into `out` (caller-owned) and returns it. Allocates nothing.
 *
 * @throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID when `row` or `out` has the wrong length.
 * @example
 * const out = new Float64Array(model.numOutputs);
 * predictRow(model, Float64Array.of(39, 7, 77516), out);
 */
export function predictRow(model: GbdtModel, row: Float64Array, out: Float64Array, options: PredictOptions = {}): Float64Array {
  if (row.length !== model.features.length) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'row', problem: `it has ${row.length} values, the model ${model.features.length} features` }, { details: { field: 'row' } });
  }
  if (out.length !== model.numOutputs) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'out', problem: `it has ${out.length} entries, the model ${model.numOutputs} outputs` }, { details: { field: 'out' } });
  }
  const compiled = model.compiled;
  const endTree = Math.min(compiled.numTrees, (options.numIterations ?? model.numIterations) * model.numOutputs);
  const { values, raw, addTrees } = scoringBlock(compiled);
  values.set(row);
  normalizeRows(compiled, values, 1);
  raw.fill(0, 0, model.numOutputs);
  addTrees(0, endTree, 1);
  if (options.rawScore === true) for (let k = 0; k < model.numOutputs; k++) out[k] = raw[k];
  else model.convertOutput(raw, 0, out, 0);
  return out;
}

/**
 * predictRow for `numRows` rows at once: `rows` holds them back to back (numRows × numFeatures values, in the model's
 * feature order), and `out` gets numRows × numOutputs entries, row-major. Each row's outputs are those predictRow
 * gives it, bit for bit; the trees are walked over the rows together (as predictBatch walks them).
 *
 * @throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID when `rows` or `out` has the wrong length.
 * @example
 * const out = new Float64Array(2 * model.numOutputs);
 * predictRows(model, Float64Array.of(39, 7, 77516, 50, 2, 83311), 2, out);
 */
export function predictRows(model: GbdtModel, rows: Float64Array, numRows: number, out: Float64Array, options: PredictOptions = {}): Float64Array {
  const width = model.features.length;
  if (rows.length !== numRows * width) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'rows', problem: `it has ${rows.length} values; ${numRows} rows × ${width} features need ${numRows * width}` }, { details: { field: 'rows' } });
  }
  checkOut(model, out, numRows);
  return scoreInBlocks(model, numRows, out, options, (values, stride, start, n) => {
    for (let r = 0; r < n; r++) values.set(rows.subarray((start + r) * width, (start + r + 1) * width), r * stride);
  });
}
