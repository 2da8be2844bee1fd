import { LoomError } from '../../../core/errors/index.js';
import type { GbdtModel } from '../gbdt-model.js';
import { normalizeRows } from './compiled-trees.js';
import { BLOCK_ROWS, scoringBlock } from './scoring-block.js';
import type { PredictOptions } from './predict-batch.js';

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
  const k = model.numOutputs;
  if (rows.length !== numRows * width) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'rows', problem: `it has ${rows.length} values; ${numRows} rows × ${width} features need ${numRows * width}` }, { details: { field: 'rows' } });
  }
  if (out.length !== numRows * k) {
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'out', problem: `it has ${out.length} entries; ${numRows} rows × ${k} outputs need ${numRows * k}` }, { details: { field: 'out' } });
  }
  const compiled = model.compiled;
  const endTree = Math.min(compiled.numTrees, (options.numIterations ?? model.numIterations) * k);
  const { values, raw, addTrees } = scoringBlock(compiled);
  const stride = compiled.numColumns;
  for (let start = 0; start < numRows; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, numRows - start);
    for (let r = 0; r < n; r++) values.set(rows.subarray((start + r) * width, (start + r + 1) * width), r * stride);
    normalizeRows(compiled, values, n);
    raw.fill(0, 0, n * k);
    addTrees(0, endTree, n);
    if (options.rawScore === true) out.set(raw.subarray(0, n * k), start * k);
    else for (let r = 0; r < n; r++) model.convertOutput(raw, r * k, out, (start + r) * k);
  }
  return out;
}
