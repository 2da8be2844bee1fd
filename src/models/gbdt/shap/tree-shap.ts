import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { featureValue } from '../data/feature-matrix.js';
import type { GbdtMatrix } from '../data/gbdt-matrix.js';
import type { GbdtModel } from '../gbdt-model.js';
import type { PredictOptions } from '../predict/predict-batch.js';
import { predictionMatrix } from '../predict/prediction-input.js';
import { addRowShap } from './add-row-shap.js';
import { shapThreadsFor, treeShapInThreads } from './shap-threads.js';

/**
 * Options of treeShap and treeShapRow: `numIterations` as in prediction (rawScore does not apply), and `numThreads`
 * for treeShap: 1 explains on the calling thread; more (0 or absent: one per core) share inputs of at least 2,048
 * rows with worker threads. The contributions are the same bits for any thread count.
 */
export type TreeShapOptions = Pick<PredictOptions, 'numIterations'> & { readonly numThreads?: number };

/** The default options, shared so that calls without options allocate nothing. @internal */
export const NO_SHAP_OPTIONS: TreeShapOptions = Object.freeze({});

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2) for every row of `data`: how much each
 * feature moves the row's raw score away from the expected raw score, with cover = training rows per node, as
 * LightGBM's `predict_contrib` computes it.
 *
 * Layout (LightGBM's): row i, output k, feature f at `(i·K + k)·(F + 1) + f`, where K is numOutputs (classes for
 * multiclass) and F the number of features; entry f = F is the expected value (bias). For each row and output, the
 * F + 1 entries sum to the raw score (local accuracy). `out` is caller-owned (numRows·K·(F + 1) entries, overwritten;
 * a new array when omitted). Values are raw-score units (log-odds for binary), not probabilities.
 *
 * @throws LOOM_ERR_GBDT_PREDICT_INPUT_INVALID for input that lacks features or has the wrong types or shape, or an
 *   `out` of the wrong length.
 * @example
 * const contributions = treeShap(model, testFrame);
 * const F = model.features.length;
 * const bias = contributions[F]; // row 0's expected value
 */
export function treeShap(model: GbdtModel, data: Frame | GbdtMatrix, out?: Float64Array, options: TreeShapOptions = NO_SHAP_OPTIONS): Float64Array {
  const matrix = predictionMatrix(model, data);
  const numFeatures = matrix.columns.length;
  const width = model.numOutputs * (numFeatures + 1);
  const result = out ?? new Float64Array(matrix.numRows * width);
  if (result.length !== matrix.numRows * width) {
    const problem = `it has ${result.length} entries; ${matrix.numRows} rows × ${model.numOutputs} outputs × ${numFeatures + 1} need ${matrix.numRows * width}`;
    throw new LoomError('GBDT_PREDICT_INPUT_INVALID', { field: 'out', problem }, { details: { field: 'out' } });
  }
  result.fill(0);
  const threads = shapThreadsFor(options.numThreads, matrix.numRows);
  if (threads > 1) {
    treeShapInThreads(model, matrix.columns, matrix.numRows, result, options, threads);
    return result;
  }
  const row = new Float64Array(numFeatures);
  for (let i = 0; i < matrix.numRows; i++) {
    for (let f = 0; f < numFeatures; f++) row[f] = featureValue(matrix.columns[f], i);
    addRowShap(model, row, result, i * width, options);
  }
  return result;
}
